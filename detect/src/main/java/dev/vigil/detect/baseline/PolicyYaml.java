package dev.vigil.detect.baseline;

import dev.vigil.model.alert.Rfc3339;
import dev.vigil.model.identity.WorkloadRef;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Workload policies as readable YAML, the one format of {@code vigil policy export}, {@code import}
 * and the agent's state directory. Version {@value #VERSION}:
 *
 * <pre>
 * version: 1
 * workloads:
 * - workload: {namespace: shop, kind: Deployment, name: web}
 *   mode: monitor                       # learn | monitor | protect
 *   learning_started: '2026-11-26T16:53:44.000000000Z'
 *   last_change: '…'
 *   mode_changed: '…'
 *   network:
 *     peers:
 *     - {kind: workload, name: shop/db, port: 5432, proto: tcp, apps: [postgresql]}
 *     listening:
 *     - {port: 8080, proto: tcp}
 *     dns_names: [api.example.com]
 *   containers:
 *   - name: web
 *     processes:
 *     - exe: /usr/sbin/nginx
 *       name: nginx
 *       args: ['-g daemon off;']          # argument shapes, see ArgShape
 *     - {exe: /bin/sh, name: sh, any_args: true}
 *     files_written: [/var/cache/nginx]  # directories
 *     token_readers: [/app/server]
 * </pre>
 *
 * Reading is strict: an unknown key, a missing required key or a value of the wrong type is an error
 * naming the file and the path to the value ({@code workloads[0].network.peers[2].port}). Times are
 * optional; absent ones are the time of reading. A file of another version is refused with the
 * version this Vigil reads.
 */
public final class PolicyYaml {

    /** The format version written and read. */
    public static final int VERSION = 1;

    private static final String HEADER = """
            # Vigil workload policies (learned baselines and modes).
            # Review or edit, then load with: vigil policy import FILE
            """;

    private PolicyYaml() {
    }

    /** The policies as one YAML document. */
    public static String write(List<WorkloadPolicy> policies) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        List<Object> ws = new ArrayList<>();
        for (WorkloadPolicy p : policies) {
            ws.add(workload(p));
        }
        root.put("workloads", ws);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.AUTO).setWidth(120)
                .setIndicatorIndent(0).setDereferenceAliases(true).build();
        return HEADER + new Dump(settings).dumpToString(root);
    }

    private static Map<String, Object> workload(WorkloadPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("namespace", p.workload().namespace());
        ref.put("kind", p.workload().kind());
        ref.put("name", p.workload().name());
        m.put("workload", ref);
        m.put("mode", p.mode().label());
        m.put("learning_started", Rfc3339.format(p.learningStartedNanos()));
        m.put("last_change", Rfc3339.format(p.lastChangeNanos()));
        m.put("mode_changed", Rfc3339.format(p.modeChangedNanos()));
        Map<String, Object> net = new LinkedHashMap<>();
        List<Object> peers = new ArrayList<>();
        for (WorkloadPolicy.Peer peer : p.peers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kind", peer.kind().label());
            e.put("name", peer.name());
            e.put("port", peer.port());
            e.put("proto", peer.proto());
            if (!peer.apps().isEmpty()) {
                e.put("apps", peer.apps());
            }
            peers.add(e);
        }
        net.put("peers", peers);
        List<Object> listening = new ArrayList<>();
        for (WorkloadPolicy.Listening l : p.listening()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("port", l.port());
            e.put("proto", l.proto());
            listening.add(e);
        }
        net.put("listening", listening);
        net.put("dns_names", p.dnsNames());
        m.put("network", net);
        List<Object> containers = new ArrayList<>();
        for (WorkloadPolicy.ContainerPolicy c : p.containers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", c.name());
            List<Object> procs = new ArrayList<>();
            for (WorkloadPolicy.Process proc : c.processes()) {
                Map<String, Object> pe = new LinkedHashMap<>();
                pe.put("exe", proc.exe());
                pe.put("name", proc.name());
                if (proc.anyArgs()) {
                    pe.put("any_args", true);
                } else {
                    pe.put("args", proc.args());
                }
                procs.add(pe);
            }
            e.put("processes", procs);
            e.put("files_written", c.filesWritten());
            e.put("token_readers", c.tokenReaders());
            containers.add(e);
        }
        m.put("containers", containers);
        return m;
    }

    /**
     * Reads a policy document.
     *
     * @param label names the source in messages (a file name)
     * @param now   the time given to absent times, epoch nanoseconds
     * @throws PolicyFileException naming the file, the path and the problem
     */
    public static List<WorkloadPolicy> read(String text, String label, long now) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false).build())
                    .loadFromString(text);
        } catch (YamlEngineException e) {
            throw new PolicyFileException(label + ": not valid YAML: " + e.getMessage().strip().replace('\n', ' '));
        }
        Reader r = new Reader(label, now);
        Map<String, Object> m = r.map(root, "");
        r.keys(m, "", Set.of("version", "workloads"), Set.of("version"));
        Object version = m.get("version");
        if (!(version instanceof Integer v) || v != VERSION) {
            throw new PolicyFileException(label + ": version " + version + " is not supported; this Vigil reads version "
                    + VERSION + " (export the policy again with this Vigil, or convert the file)");
        }
        List<WorkloadPolicy> out = new ArrayList<>();
        List<Object> ws = r.list(m.get("workloads"), "workloads");
        for (int i = 0; i < ws.size(); i++) {
            out.add(r.workload(ws.get(i), "workloads[" + i + "]"));
        }
        return out;
    }

    /** Reads values with their paths for messages. */
    private record Reader(String label, long now) {

        WorkloadPolicy workload(Object o, String path) {
            Map<String, Object> m = map(o, path);
            keys(m, path, Set.of("workload", "mode", "learning_started", "last_change", "mode_changed", "network",
                    "containers"), Set.of("workload", "mode"));
            Map<String, Object> ref = map(m.get("workload"), path + ".workload");
            keys(ref, path + ".workload", Set.of("namespace", "kind", "name"), Set.of("namespace", "kind", "name"));
            WorkloadRef w = new WorkloadRef(string(ref.get("namespace"), path + ".workload.namespace"),
                    string(ref.get("kind"), path + ".workload.kind"), string(ref.get("name"), path + ".workload.name"));
            String modeText = string(m.get("mode"), path + ".mode");
            Mode mode = Mode.parse(modeText);
            if (mode == null) {
                throw error(path + ".mode", "expected learn, monitor or protect, got '" + modeText + "'");
            }
            List<WorkloadPolicy.Peer> peers = new ArrayList<>();
            List<WorkloadPolicy.Listening> listening = new ArrayList<>();
            List<String> dns = new ArrayList<>();
            if (m.get("network") != null) {
                String np = path + ".network";
                Map<String, Object> net = map(m.get("network"), np);
                keys(net, np, Set.of("peers", "listening", "dns_names"), Set.of());
                List<Object> ps = list(net.get("peers"), np + ".peers");
                for (int i = 0; i < ps.size(); i++) {
                    peers.add(peer(ps.get(i), np + ".peers[" + i + "]"));
                }
                List<Object> ls = list(net.get("listening"), np + ".listening");
                for (int i = 0; i < ls.size(); i++) {
                    String lp = np + ".listening[" + i + "]";
                    Map<String, Object> l = map(ls.get(i), lp);
                    keys(l, lp, Set.of("port", "proto"), Set.of("port", "proto"));
                    listening.add(new WorkloadPolicy.Listening(port(l.get("port"), lp + ".port"),
                            proto(l.get("proto"), lp + ".proto")));
                }
                dns.addAll(strings(net.get("dns_names"), np + ".dns_names"));
            }
            List<WorkloadPolicy.ContainerPolicy> containers = new ArrayList<>();
            List<Object> cs = list(m.get("containers"), path + ".containers");
            for (int i = 0; i < cs.size(); i++) {
                containers.add(container(cs.get(i), path + ".containers[" + i + "]"));
            }
            return new WorkloadPolicy(w, mode, time(m.get("learning_started"), path + ".learning_started"),
                    time(m.get("last_change"), path + ".last_change"), time(m.get("mode_changed"), path + ".mode_changed"),
                    peers, listening, dns, containers);
        }

        WorkloadPolicy.Peer peer(Object o, String path) {
            Map<String, Object> m = map(o, path);
            keys(m, path, Set.of("kind", "name", "port", "proto", "apps"), Set.of("kind", "name", "port", "proto"));
            String kindText = string(m.get("kind"), path + ".kind");
            PeerKind kind = PeerKind.parse(kindText);
            if (kind == null) {
                throw error(path + ".kind", "expected workload, service, node, kube-api or external, got '" + kindText + "'");
            }
            return new WorkloadPolicy.Peer(kind, string(m.get("name"), path + ".name"), port(m.get("port"), path + ".port"),
                    proto(m.get("proto"), path + ".proto"), strings(m.get("apps"), path + ".apps"));
        }

        WorkloadPolicy.ContainerPolicy container(Object o, String path) {
            Map<String, Object> m = map(o, path);
            keys(m, path, Set.of("name", "processes", "files_written", "token_readers"), Set.of("name"));
            List<WorkloadPolicy.Process> procs = new ArrayList<>();
            List<Object> ps = list(m.get("processes"), path + ".processes");
            for (int i = 0; i < ps.size(); i++) {
                String pp = path + ".processes[" + i + "]";
                Map<String, Object> p = map(ps.get(i), pp);
                keys(p, pp, Set.of("exe", "name", "args", "any_args"), Set.of("exe", "name"));
                Object any = p.get("any_args");
                if (any != null && !(any instanceof Boolean)) {
                    throw error(pp + ".any_args", "expected true or false, got '" + any + "'");
                }
                boolean anyArgs = Boolean.TRUE.equals(any);
                List<String> args = shapes(p.get("args"), pp + ".args");
                if (anyArgs && !args.isEmpty()) {
                    throw error(pp, "give either args or any_args: true, not both");
                }
                procs.add(new WorkloadPolicy.Process(string(p.get("exe"), pp + ".exe"), string(p.get("name"), pp + ".name"),
                        anyArgs, args));
            }
            return new WorkloadPolicy.ContainerPolicy(string(m.get("name"), path + ".name"), procs,
                    strings(m.get("files_written"), path + ".files_written"),
                    strings(m.get("token_readers"), path + ".token_readers"));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object o, String path) {
            if (o instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!(k instanceof String)) {
                        throw error(path, "keys must be text, got " + k);
                    }
                }
                return (Map<String, Object>) m;
            }
            throw error(path, "expected a mapping, got " + describe(o));
        }

        @SuppressWarnings("unchecked")
        List<Object> list(Object o, String path) {
            if (o == null) {
                return List.of();
            }
            if (o instanceof List<?> l) {
                return (List<Object>) l;
            }
            throw error(path, "expected a list, got " + describe(o));
        }

        List<String> strings(Object o, String path) {
            List<Object> l = list(o, path);
            List<String> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(string(l.get(i), path + "[" + i + "]"));
            }
            return out;
        }

        /** Argument shapes: text, empty for a command without arguments. */
        List<String> shapes(Object o, String path) {
            List<Object> l = list(o, path);
            List<String> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof String s)) {
                    throw error(path + "[" + i + "]", "expected text, got " + describe(l.get(i)));
                }
                out.add(s);
            }
            return out;
        }

        String string(Object o, String path) {
            if (o instanceof String s && !s.isEmpty()) {
                return s;
            }
            throw error(path, "expected non-empty text, got " + describe(o));
        }

        int port(Object o, String path) {
            if (o instanceof Integer i && i >= 0 && i <= 65535) {
                return i;
            }
            throw error(path, "expected a port number 0-65535, got " + describe(o));
        }

        String proto(Object o, String path) {
            String p = string(o, path);
            if (!p.equals("tcp") && !p.equals("udp") && !p.equals("icmp")) {
                throw error(path, "expected tcp, udp or icmp, got '" + p + "'");
            }
            return p;
        }

        long time(Object o, String path) {
            if (o == null) {
                return now;
            }
            try {
                return Rfc3339.parse(string(o, path));
            } catch (DateTimeParseException | ArithmeticException e) {
                throw error(path, "expected an RFC 3339 time like 2026-11-26T16:53:44Z, got '" + o + "'");
            }
        }

        void keys(Map<String, Object> m, String path, Set<String> allowed, Set<String> required) {
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    throw error(path.isEmpty() ? k : path + "." + k, "unknown key; expected one of "
                            + allowed.stream().sorted().toList());
                }
            }
            for (String k : required) {
                if (m.get(k) == null) {
                    throw error(path.isEmpty() ? k : path + "." + k, "missing");
                }
            }
        }

        PolicyFileException error(String path, String problem) {
            return new PolicyFileException(label + ": " + path + ": " + problem);
        }

        static String describe(Object o) {
            return switch (o) {
                case null -> "nothing";
                case String s -> "'" + s + "'";
                case Map<?, ?> m -> "a mapping";
                case List<?> l -> "a list";
                default -> "'" + o + "'";
            };
        }
    }
}
