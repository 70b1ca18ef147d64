package dev.vigil.posture.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SARIF 2.1.0 (OASIS), one run: {@code tool.driver} named {@code vigil} with its version and one
 * {@code rules} entry per check (short description, help, default level, properties with the severity,
 * a GitHub-style {@code security-severity} and tags: MITRE ATT&amp;CK and CIS ids). Each finding is a
 * result with {@code ruleId}, {@code level}, message and location: the file and start line for file
 * input, a logical location ({@code namespace/kind/name}) for cluster objects. Waived findings carry a
 * {@code suppressions} entry ({@code external} for the waiver file, {@code inSource} for annotations).
 * Input anomalies become tool execution notifications.
 */
public final class SarifWriter implements ReportWriter {

    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** Indented; never closes the writer it is given (the caller's file or stdout). */
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Writer out;
    private final AuditInfo info;
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();

    public SarifWriter(Writer out, AuditInfo info) {
        this.out = out;
        this.info = info;
        for (Rule r : info.rules()) {
            rules.put(r.id(), r);
        }
    }

    @Override
    public void finding(Finding finding) {
        rules.putIfAbsent(finding.check(), Rule.of(finding));
        findings.add(finding);
    }

    @Override
    public void finish(Summary summary) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "vigil");
        driver.put("version", info.toolVersion());
        driver.put("fullName", "Vigil " + info.title());
        ArrayNode ruleArray = driver.putArray("rules");
        List<String> ruleIds = new ArrayList<>(rules.keySet());
        for (Rule r : rules.values()) {
            rule(ruleArray.addObject(), r);
        }
        run.putObject("automationDetails").put("id", "vigil/" + info.audit() + "/");
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        if (!summary.anomalies().isEmpty()) {
            ArrayNode notes = invocation.putArray("toolExecutionNotifications");
            for (String a : summary.anomalies()) {
                ObjectNode n = notes.addObject();
                n.put("level", "warning");
                n.putObject("message").put("text", a);
            }
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            result(results.addObject(), f, ruleIds.indexOf(f.check()));
        }
        try {
            MAPPER.writeValue(out, root);
            out.append('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rule(ObjectNode node, Rule r) {
        node.put("id", r.id());
        node.put("name", r.title());
        node.putObject("shortDescription").put("text", r.title());
        node.putObject("fullDescription").put("text", r.description() == null ? r.title() : r.description());
        if (r.help() != null) {
            node.putObject("help").put("text", r.help());
        }
        if (r.helpUri() != null) {
            node.put("helpUri", r.helpUri());
        }
        node.putObject("defaultConfiguration").put("level", level(r.severity()));
        ObjectNode props = node.putObject("properties");
        props.put("severity", r.severity().label());
        props.put("security-severity", securitySeverity(r.severity()));
        ArrayNode tags = props.putArray("tags");
        tags.add("security");
        r.tags().forEach(tags::add);
    }

    private static void result(ObjectNode node, Finding f, int ruleIndex) {
        node.put("ruleId", f.check());
        node.put("ruleIndex", ruleIndex);
        node.put("level", level(f.severity()));
        node.putObject("message").put("text", f.message());
        ObjectNode location = node.putArray("locations").addObject();
        Resource r = f.resource();
        if (r.file() != null) {
            ObjectNode physical = location.putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", uri(r.file()));
            if (r.line() > 0) {
                physical.putObject("region").put("startLine", r.line());
            }
        }
        ObjectNode logical = location.putArray("logicalLocations").addObject();
        logical.put("name", r.name());
        logical.put("fullyQualifiedName", (r.namespace() == null ? "" : r.namespace() + "/") + r.kind() + "/" + r.name());
        logical.put("kind", "resource");
        if (f.waived()) {
            ObjectNode s = node.putArray("suppressions").addObject();
            s.put("kind", f.waiver().source().startsWith("annotation") ? "inSource" : "external");
            s.put("status", "accepted");
            s.put("justification", f.waiver().reason() + " (" + f.waiver().source() + ")");
        }
        ObjectNode props = node.putObject("properties");
        props.put("severity", f.severity().label());
        props.put("resource", r.display());
        if (f.remediation() != null) {
            props.put("remediation", f.remediation());
        }
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    private static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }

    private static String uri(String file) {
        String path = file.replace('\\', '/');
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path;
        }
    }
}
