package dev.vigil.posture.cis;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import dev.vigil.posture.report.Rule;
import dev.vigil.posture.report.Severity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * CIS Kubernetes Benchmark v1.9 section 4 (worker nodes), the checks that can be read on the node
 * itself: permissions and ownership of the kubelet service file, kubelet kubeconfig, kubelet config,
 * proxy kubeconfig and client CA (4.1.x), and the kubelet settings of {@code /var/lib/kubelet/config.yaml}
 * overridden by flags in the service file, {@code kubeadm-flags.env} or {@code /etc/default/kubelet}
 * (4.2.x, plus protectKernelDefaults, 4.2.6 of v1.8). Unset settings take the kubelet's config-file
 * defaults, named in the message. Every path is read under a root folder ({@code --node-root}), so
 * tests use a crafted tree. A file that is not there is reported as "not applicable: not found"
 * (severity info), never as a pass.
 */
public final class NodeAudit {

    /** Outcome counts, for the summary. */
    public record Counts(int passed, int failed, int notFound) {
    }

    private static final List<String> SERVICE_FILES = List.of("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
            "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", "/etc/systemd/system/kubelet.service",
            "/lib/systemd/system/kubelet.service", "/usr/lib/systemd/system/kubelet.service");
    private static final List<String> FLAG_FILES = List.of("/var/lib/kubelet/kubeadm-flags.env", "/etc/default/kubelet",
            "/etc/sysconfig/kubelet");
    static final String KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
    static final String KUBELET_KUBECONFIG = "/etc/kubernetes/kubelet.conf";
    static final String PROXY_KUBECONFIG = "/var/lib/kube-proxy/kubeconfig.conf";
    static final String DEFAULT_CA = "/etc/kubernetes/pki/ca.crt";
    private static final Pattern FLAG = Pattern.compile("--([a-z0-9-]+)(?:=|\\s+)(\"[^\"]*\"|[^\\s\"]+)");

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    private static void rule(String id, String title, Severity s, String fix) {
        RULES.put(id, new Rule(id, title, title + " (CIS Kubernetes Benchmark v1.9)", fix, s, List.of(id), null));
    }

    static {
        rule("CIS-4.1.1", "Kubelet service file permissions 600 or stricter", Severity.MEDIUM, "chmod 600 <kubelet service file>");
        rule("CIS-4.1.2", "Kubelet service file owned by root:root", Severity.MEDIUM, "chown root:root <kubelet service file>");
        rule("CIS-4.1.3", "Proxy kubeconfig permissions 600 or stricter", Severity.MEDIUM, "chmod 600 " + PROXY_KUBECONFIG);
        rule("CIS-4.1.4", "Proxy kubeconfig owned by root:root", Severity.MEDIUM, "chown root:root " + PROXY_KUBECONFIG);
        rule("CIS-4.1.5", "Kubelet kubeconfig permissions 600 or stricter", Severity.HIGH, "chmod 600 " + KUBELET_KUBECONFIG);
        rule("CIS-4.1.6", "Kubelet kubeconfig owned by root:root", Severity.HIGH, "chown root:root " + KUBELET_KUBECONFIG);
        rule("CIS-4.1.7", "Client CA file permissions 600 or stricter", Severity.MEDIUM, "chmod 600 <client CA file>");
        rule("CIS-4.1.8", "Client CA file owned by root:root", Severity.MEDIUM, "chown root:root <client CA file>");
        rule("CIS-4.1.9", "Kubelet config permissions 600 or stricter", Severity.MEDIUM, "chmod 600 " + KUBELET_CONFIG);
        rule("CIS-4.1.10", "Kubelet config owned by root:root", Severity.MEDIUM, "chown root:root " + KUBELET_CONFIG);
        rule("CIS-4.2.1", "Kubelet anonymous authentication disabled", Severity.CRITICAL,
                "Set authentication.anonymous.enabled: false (or --anonymous-auth=false) and restart the kubelet.");
        rule("CIS-4.2.2", "Kubelet authorization mode not AlwaysAllow", Severity.CRITICAL,
                "Set authorization.mode: Webhook (or --authorization-mode=Webhook) and restart the kubelet.");
        rule("CIS-4.2.3", "Kubelet client CA file set", Severity.HIGH,
                "Set authentication.x509.clientCAFile (or --client-ca-file) to the cluster CA.");
        rule("CIS-4.2.4", "Kubelet read-only port disabled", Severity.HIGH, "Set readOnlyPort: 0 (or --read-only-port=0).");
        rule("CIS-4.2.5", "Kubelet streaming idle timeout not 0", Severity.LOW,
                "Set streamingConnectionIdleTimeout to a non-zero duration, e.g. 5m.");
        rule("CIS-4.2.6", "Kubelet makes iptables util chains", Severity.LOW, "Set makeIPTablesUtilChains: true (the default).");
        rule("CIS-1.8-4.2.6", "Kubelet protects kernel defaults", Severity.LOW,
                "Set protectKernelDefaults: true (CIS v1.8 4.2.6) after tuning the node's kernel parameters.");
        rule("CIS-4.2.10", "Kubelet client certificate rotation not disabled", Severity.MEDIUM,
                "Remove rotateCertificates: false (or --rotate-certificates=false).");
        rule("CIS-4.2.11", "Kubelet server certificate rotation not disabled", Severity.MEDIUM,
                "Remove featureGates.RotateKubeletServerCertificate: false.");
        rule("CIS-4.2.13", "Pod PIDs limit set", Severity.LOW, "Set podPidsLimit (or --pod-max-pids) to a bound fitting the node.");
    }

    public static List<Rule> rules() {
        return List.copyOf(RULES.values());
    }

    private final Path root;
    private final Consumer<Finding> out;
    private int passed;
    private int failed;
    private int notFound;

    public NodeAudit(Path root, Consumer<Finding> out) {
        this.root = root;
        this.out = out;
    }

    /** Runs every check; returns the counts. */
    public Counts run() throws IOException {
        String service = SERVICE_FILES.stream().filter(p -> Files.isRegularFile(at(p))).findFirst().orElse(null);
        files("CIS-4.1.1", "CIS-4.1.2", service, "kubelet service file (" + String.join(", ", SERVICE_FILES) + ")");
        files("CIS-4.1.3", "CIS-4.1.4", PROXY_KUBECONFIG, PROXY_KUBECONFIG);
        files("CIS-4.1.5", "CIS-4.1.6", KUBELET_KUBECONFIG, KUBELET_KUBECONFIG);
        Map<String, Object> config = loadConfig();
        Map<String, String> flags = flags(service);
        String ca = flags.getOrDefault("client-ca-file", string(get(config, "authentication", "x509", "clientCAFile")));
        files("CIS-4.1.7", "CIS-4.1.8", ca == null ? DEFAULT_CA : ca, "client CA file");
        files("CIS-4.1.9", "CIS-4.1.10", KUBELET_CONFIG, KUBELET_CONFIG);
        if (config == null && service == null) {
            for (String id : List.of("CIS-4.2.1", "CIS-4.2.2", "CIS-4.2.3", "CIS-4.2.4", "CIS-4.2.5", "CIS-4.2.6",
                    "CIS-1.8-4.2.6", "CIS-4.2.10", "CIS-4.2.11", "CIS-4.2.13")) {
                missing(id, "neither " + KUBELET_CONFIG + " nor a kubelet service file");
            }
            return new Counts(passed, failed, notFound);
        }
        Map<String, Object> cfg = config == null ? Map.of() : config;
        setting("CIS-4.2.1", flags.get("anonymous-auth"), get(cfg, "authentication", "anonymous", "enabled"), "false",
                "authentication.anonymous.enabled", v -> v.equals("false"));
        setting("CIS-4.2.2", flags.get("authorization-mode"), get(cfg, "authorization", "mode"), "Webhook",
                "authorization.mode", v -> !v.contains("AlwaysAllow"));
        setting("CIS-4.2.3", ca, null, null, "authentication.x509.clientCAFile", v -> !v.isBlank());
        setting("CIS-4.2.4", flags.get("read-only-port"), get(cfg, "readOnlyPort"), "0", "readOnlyPort", v -> v.equals("0"));
        setting("CIS-4.2.5", flags.get("streaming-connection-idle-timeout"), get(cfg, "streamingConnectionIdleTimeout"), "4h0m0s",
                "streamingConnectionIdleTimeout", v -> !v.matches("0+[a-z]*|0"));
        setting("CIS-4.2.6", flags.get("make-iptables-util-chains"), get(cfg, "makeIPTablesUtilChains"), "true",
                "makeIPTablesUtilChains", v -> v.equals("true"));
        setting("CIS-1.8-4.2.6", flags.get("protect-kernel-defaults"), get(cfg, "protectKernelDefaults"), "false",
                "protectKernelDefaults", v -> v.equals("true"));
        setting("CIS-4.2.10", flags.get("rotate-certificates"), get(cfg, "rotateCertificates"), "unset (not false)",
                "rotateCertificates", v -> !v.equals("false"));
        setting("CIS-4.2.11", gate(flags.get("feature-gates")), get(cfg, "featureGates", "RotateKubeletServerCertificate"),
                "unset (not false)", "featureGates.RotateKubeletServerCertificate", v -> !v.equals("false"));
        setting("CIS-4.2.13", flags.get("pod-max-pids"), get(cfg, "podPidsLimit"), null, "podPidsLimit",
                v -> v.matches("\\d+") && Long.parseLong(v) > 0);
        return new Counts(passed, failed, notFound);
    }

    private Path at(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    private void files(String modeCheck, String ownerCheck, String file, String what) throws IOException {
        if (file == null || !Files.exists(at(file), LinkOption.NOFOLLOW_LINKS)) {
            String shown = file == null ? what : file;
            missing(modeCheck, shown);
            missing(ownerCheck, shown);
            return;
        }
        Path p = at(file);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        Set<PosixFilePermission> allowed = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if (allowed.containsAll(perms)) {
            passed++;
        } else {
            fail(modeCheck, file, file + " has mode " + octal(perms) + ", more permissive than 600");
        }
        int uid = (Integer) Files.getAttribute(p, "unix:uid");
        int gid = (Integer) Files.getAttribute(p, "unix:gid");
        if (uid == 0 && gid == 0) {
            passed++;
        } else {
            fail(ownerCheck, file, file + " is owned by uid " + uid + ", gid " + gid + ", not root:root");
        }
    }

    private static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%03o", mode);
    }

    private void setting(String id, String flag, Object config, String defaultValue, String field,
                         java.util.function.Predicate<String> ok) {
        String value;
        String from;
        if (flag != null) {
            value = flag;
            from = "kubelet flag";
        } else if (config != null) {
            value = String.valueOf(config);
            from = KUBELET_CONFIG + " " + field;
        } else if (defaultValue != null) {
            value = defaultValue.startsWith("unset") ? "" : defaultValue;
            from = "kubelet default for " + field;
            if (defaultValue.startsWith("unset")) {
                passed++;
                return;
            }
        } else {
            fail(id, KUBELET_CONFIG, field + " is not set (no flag and no config value)");
            return;
        }
        if (ok.test(value)) {
            passed++;
        } else {
            fail(id, KUBELET_CONFIG, field + " is " + value + " (" + from + ")");
        }
    }

    private void fail(String id, String file, String message) {
        failed++;
        emit(id, file, message, RULES.get(id).severity(), RULES.get(id).help());
    }

    private void missing(String id, String file) {
        notFound++;
        emit(id, file, "not applicable: " + file + " not found under " + root, Severity.INFO,
                "Check the path on this node; distributions place kubelet files differently.");
    }

    private void emit(String id, String file, String message, Severity severity, String fix) {
        Rule r = RULES.get(id);
        out.accept(new Finding(id, r.title(), severity, new Resource("NodeFile", null, file, null), message, fix,
                List.of(id.startsWith("CIS-1.8") ? "CIS Kubernetes Benchmark v1.8 4.2.6" : id), List.of(), null));
    }

    private Map<String, Object> loadConfig() throws IOException {
        Path p = at(KUBELET_CONFIG);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            Object doc = new Load(LoadSettings.builder().build()).loadFromReader(r);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = doc instanceof Map<?, ?> ? (Map<String, Object>) doc : Map.of();
            return m;
        } catch (RuntimeException e) {
            throw new IOException(p + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Kubelet flags from the service file and the flag environment files; later files win. */
    private Map<String, String> flags(String service) throws IOException {
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        if (service != null) {
            files.add(service);
        }
        files.addAll(FLAG_FILES);
        for (String f : files) {
            Path p = at(f);
            if (Files.isRegularFile(p)) {
                Matcher m = FLAG.matcher(Files.readString(p));
                while (m.find()) {
                    flags.put(m.group(1), m.group(2).replace("\"", ""));
                }
            }
        }
        return flags;
    }

    private static String gate(String gates) {
        if (gates == null) {
            return null;
        }
        for (String g : gates.split(",")) {
            String[] kv = g.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals("RotateKubeletServerCertificate")) {
                return kv[1].trim();
            }
        }
        return null;
    }

    private static Object get(Map<String, Object> map, String... path) {
        Object cur = map;
        for (String k : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }
}
