package dev.vigil.lab.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Server-side printing ({@code meta.k8s.io/v1 Table}), which kubectl asks for on every
 * {@code get}: the column set of kube-apiserver's printers for the kinds the lab stores (wide
 * columns at priority 1), Name and Age for the rest.
 */
final class Tables {

    private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {
    }

    private Tables() {
    }

    /** Converts a list or single object returned by the store into a Table. */
    static Map<String, Object> toTable(String resource, JsonNode body, Instant now) {
        List<Column> columns = columns(resource, now);
        List<Object> defs = new ArrayList<>();
        for (Column c : columns) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", c.name());
            d.put("type", c.type());
            d.put("format", c.name().equals("Name") ? "name" : "");
            d.put("description", "");
            d.put("priority", c.priority());
            defs.add(d);
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items")) {
            body.path("items").forEach(items::add);
        } else {
            items.add(body);
        }
        List<Object> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<Object> cells = new ArrayList<>();
            for (Column c : columns) {
                cells.add(c.cell().apply(item));
            }
            Map<String, Object> partial = new LinkedHashMap<>();
            partial.put("kind", "PartialObjectMetadata");
            partial.put("apiVersion", "meta.k8s.io/v1");
            partial.put("metadata", item.path("metadata"));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cells", cells);
            row.put("object", partial);
            rows.add(row);
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.put("metadata", Map.of("resourceVersion", body.path("metadata").path("resourceVersion").asString("")));
        table.put("columnDefinitions", defs);
        table.put("rows", rows);
        return table;
    }

    private static List<Column> columns(String resource, Instant now) {
        Column name = new Column("Name", "string", 0, o -> o.path("metadata").path("name").asString());
        Column age = new Column("Age", "string", 0, o -> age(o, now));
        return switch (resource) {
            case "pods" -> List.of(name,
                    new Column("Ready", "string", 0, Tables::podReady),
                    new Column("Status", "string", 0, o -> o.path("status").path("phase").asString("Pending")),
                    new Column("Restarts", "string", 0, Tables::restarts),
                    age,
                    new Column("IP", "string", 1, o -> o.path("status").path("podIP").asString("<none>")),
                    new Column("Node", "string", 1, o -> o.path("spec").path("nodeName").asString("<none>")),
                    new Column("Nominated Node", "string", 1, o -> "<none>"),
                    new Column("Readiness Gates", "string", 1, o -> "<none>"));
            case "services" -> List.of(name,
                    new Column("Type", "string", 0, o -> o.path("spec").path("type").asString("ClusterIP")),
                    new Column("Cluster-IP", "string", 0, o -> o.path("spec").path("clusterIP").asString("<none>")),
                    new Column("External-IP", "string", 0, o -> "<none>"),
                    new Column("Port(s)", "string", 0, Tables::servicePorts),
                    age,
                    new Column("Selector", "string", 1, o -> labels(o.path("spec").path("selector"))));
            case "deployments", "statefulsets" -> List.of(name,
                    new Column("Ready", "string", 0, o -> o.path("status").path("readyReplicas").asInt(0) + "/"
                            + o.path("spec").path("replicas").asInt(1)),
                    age,
                    new Column("Containers", "string", 1, o -> containerField(o, "name")),
                    new Column("Images", "string", 1, o -> containerField(o, "image")));
            case "replicasets" -> List.of(name,
                    new Column("Desired", "integer", 0, o -> o.path("spec").path("replicas").asInt(1)),
                    new Column("Current", "integer", 0, o -> o.path("status").path("replicas").asInt(0)),
                    new Column("Ready", "integer", 0, o -> o.path("status").path("readyReplicas").asInt(0)),
                    age);
            case "nodes" -> List.of(name,
                    new Column("Status", "string", 0, o -> "Ready"),
                    new Column("Roles", "string", 0, o -> "control-plane"),
                    age,
                    new Column("Version", "string", 0, o -> o.path("status").path("nodeInfo").path("kubeletVersion").asString()),
                    new Column("Internal-IP", "string", 1, Tables::internalIp),
                    new Column("Container-Runtime", "string", 1,
                            o -> o.path("status").path("nodeInfo").path("containerRuntimeVersion").asString()));
            case "namespaces" -> List.of(name,
                    new Column("Status", "string", 0, o -> o.path("status").path("phase").asString("Active")), age);
            default -> List.of(name, age);
        };
    }

    private static String podReady(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            if (s.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    private static String restarts(JsonNode pod) {
        int n = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            n += s.path("restartCount").asInt(0);
        }
        return Integer.toString(n);
    }

    private static String servicePorts(JsonNode svc) {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            ports.add(p.path("port").asInt() + "/" + p.path("protocol").asString("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static String containerField(JsonNode workload, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
            values.add(c.path(field).asString());
        }
        return String.join(",", values);
    }

    private static String internalIp(JsonNode node) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if (a.path("type").asString().equals("InternalIP")) {
                return a.path("address").asString();
            }
        }
        return "<none>";
    }

    private static String labels(JsonNode map) {
        List<String> kv = new ArrayList<>();
        for (var e : map.properties()) {
            kv.add(e.getKey() + "=" + e.getValue().asString());
        }
        return kv.isEmpty() ? "<none>" : String.join(",", kv);
    }

    /** kubectl's short human duration: 45s, 3m12s, 5h, 2d. */
    static String age(JsonNode o, Instant now) {
        String created = o.path("metadata").path("creationTimestamp").asString("");
        if (created.isEmpty()) {
            return "<unknown>";
        }
        long s = Math.max(0, Duration.between(Instant.parse(created), now).toSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        return h < 48 ? h + "h" : (h / 24) + "d";
    }
}
