package dev.vigil.posture.pss;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The check functions of the Pod Security Standards, one per check revision, written after
 * kubernetes/pod-security-admission {@code policy/check_*.go}: the same fields, the same allowed
 * values per policy version and the same forbidden reasons and details. Each returns null when the
 * pod passes.
 */
final class Checks {

    private Checks() {
    }

    /** A failed check: the admission's forbidden reason and detail. */
    record Forbidden(String reason, String detail) {
    }

    /** A pod as the checks see it: template metadata and spec, with its containers in admission order. */
    record Pod(JsonNode metadata, JsonNode spec, List<JsonNode> containers) {

        JsonNode podSecurityContext() {
            return spec.path("securityContext");
        }

        boolean windows() {
            return "windows".equals(str(spec.path("os").path("name")));
        }

        /** {@code hostUsers: false}: the pod runs in a user namespace. */
        boolean userNamespace() {
            JsonNode h = spec.get("hostUsers");
            return h != null && h.isBoolean() && !h.booleanValue();
        }
    }

    // ---- helpers mirroring the admission's wording ------------------------------------------------

    static String str(JsonNode n) {
        return n != null && n.isString() ? n.stringValue() : "";
    }

    static boolean isTrue(JsonNode n) {
        return n != null && n.isBoolean() && n.booleanValue();
    }

    static boolean isFalse(JsonNode n) {
        return n != null && n.isBoolean() && !n.booleanValue();
    }

    static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    static String name(JsonNode container) {
        return str(container.get("name"));
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    static String joinQuote(Iterable<String> items) {
        StringBuilder b = new StringBuilder();
        for (String s : items) {
            b.append(b.isEmpty() ? "\"" : ", \"").append(s).append('"');
        }
        return b.toString();
    }

    /** Go's {@code %q}: a double-quoted string with backslash escapes. */
    static String goQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String containers(List<String> names) {
        return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
    }

    // ---- baseline -----------------------------------------------------------------------------------

    static Forbidden hostNamespaces(Pod p) {
        List<String> set = new ArrayList<>();
        if (isTrue(p.spec().get("hostNetwork"))) {
            set.add("hostNetwork=true");
        }
        if (isTrue(p.spec().get("hostPID"))) {
            set.add("hostPID=true");
        }
        if (isTrue(p.spec().get("hostIPC"))) {
            set.add("hostIPC=true");
        }
        return set.isEmpty() ? null : new Forbidden("host namespaces", String.join(", ", set));
    }

    static Forbidden privileged(Pod p) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            if (isTrue(c.path("securityContext").get("privileged"))) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null
                : new Forbidden("privileged", containers(bad) + " must not set securityContext.privileged=true");
    }

    static final Set<String> CAPABILITIES_BASELINE = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    static Forbidden capabilitiesBaseline(Pod p) {
        List<String> bad = new ArrayList<>();
        Set<String> caps = new TreeSet<>();
        for (JsonNode c : p.containers()) {
            boolean valid = true;
            for (JsonNode cap : c.path("securityContext").path("capabilities").path("add")) {
                if (!CAPABILITIES_BASELINE.contains(str(cap))) {
                    valid = false;
                    caps.add(str(cap));
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null : new Forbidden("non-default capabilities",
                containers(bad) + " must not include " + joinQuote(caps) + " in securityContext.capabilities.add");
    }

    static Forbidden hostPathVolumes(Pod p) {
        List<String> bad = new ArrayList<>();
        for (JsonNode v : p.spec().path("volumes")) {
            if (present(v.get("hostPath"))) {
                bad.add(str(v.get("name")));
            }
        }
        return bad.isEmpty() ? null
                : new Forbidden("hostPath volumes", pluralize("volume", "volumes", bad.size()) + " " + joinQuote(bad));
    }

    static Forbidden hostPorts(Pod p) {
        List<String> bad = new ArrayList<>();
        Set<String> ports = new TreeSet<>();
        for (JsonNode c : p.containers()) {
            boolean valid = true;
            for (JsonNode port : c.path("ports")) {
                JsonNode hp = port.get("hostPort");
                if (hp != null && hp.isNumber() && hp.longValue() != 0) {
                    valid = false;
                    ports.add(Long.toString(hp.longValue()));
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null : new Forbidden("hostPort", containers(bad) + " "
                + pluralize("uses", "use", bad.size()) + " " + pluralize("hostPort", "hostPorts", ports.size()) + " "
                + String.join(", ", ports));
    }

    static Forbidden appArmorProfile(Pod p) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        JsonNode podProfile = p.podSecurityContext().get("appArmorProfile");
        if (present(podProfile) && !allowedAppArmorType(str(podProfile.get("type")))) {
            setters.add("pod");
            values.add(str(podProfile.get("type")));
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            JsonNode profile = c.path("securityContext").get("appArmorProfile");
            if (present(profile) && !allowedAppArmorType(str(profile.get("type")))) {
                bad.add(name(c));
                values.add(str(profile.get("type")));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        List<String> all = new ArrayList<>(values);
        List<String> annotations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : p.metadata().path("annotations").properties()) {
            String v = str(e.getValue());
            if (e.getKey().startsWith("container.apparmor.security.beta.kubernetes.io/")
                    && !(v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/"))) {
                annotations.add(e.getKey() + "=" + goQuote(v));
            }
        }
        if (!annotations.isEmpty()) {
            annotations.sort(null);
            all.addAll(annotations);
            setters.add(pluralize("annotation", "annotations", annotations.size()));
        }
        return setters.isEmpty() ? null : new Forbidden(
                pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", all.size()),
                String.join(" and ", setters) + " must not set AppArmor profile type to " + joinQuote(all));
    }

    private static boolean allowedAppArmorType(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    static final Set<String> SELINUX_TYPES_1_0 = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    static final Set<String> SELINUX_TYPES_1_31 = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    static Forbidden seLinuxOptions(Pod p, Set<String> allowedTypes) {
        Set<String> badTypes = new TreeSet<>();
        boolean[] userRole = new boolean[2];
        List<String> setters = new ArrayList<>();
        JsonNode podOptions = p.podSecurityContext().get("seLinuxOptions");
        if (present(podOptions) && !validSeLinux(podOptions, allowedTypes, badTypes, userRole)) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            JsonNode options = c.path("securityContext").get("seLinuxOptions");
            if (present(options) && !validSeLinux(options, allowedTypes, badTypes, userRole)) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        if (setters.isEmpty()) {
            return null;
        }
        List<String> data = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (userRole[0]) {
            data.add("user may not be set");
        }
        if (userRole[1]) {
            data.add("role may not be set");
        }
        return new Forbidden("seLinuxOptions", String.join(" and ", setters)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", data));
    }

    private static boolean validSeLinux(JsonNode options, Set<String> allowedTypes, Set<String> badTypes, boolean[] userRole) {
        boolean valid = true;
        String type = str(options.get("type"));
        if (!allowedTypes.contains(type)) {
            valid = false;
            badTypes.add(type);
        }
        if (!str(options.get("user")).isEmpty()) {
            valid = false;
            userRole[0] = true;
        }
        if (!str(options.get("role")).isEmpty()) {
            valid = false;
            userRole[1] = true;
        }
        return valid;
    }

    static Forbidden procMount(Pod p) {
        List<String> bad = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (JsonNode c : p.containers()) {
            JsonNode pm = c.path("securityContext").get("procMount");
            if (present(pm) && !"Default".equals(str(pm))) {
                bad.add(name(c));
                types.add(str(pm));
            }
        }
        return bad.isEmpty() ? null : new Forbidden("procMount",
                containers(bad) + " must not set securityContext.procMount to " + joinQuote(types));
    }

    /** From v1.35 baseline lets pods in a user namespace ({@code hostUsers: false}) unmask /proc. */
    static Forbidden procMountUserNamespaces(Pod p) {
        return p.userNamespace() ? null : procMount(p);
    }

    private static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    private static final String SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";

    /** Before v1.19 seccomp was set with alpha annotations. */
    static Forbidden seccompBaselineAnnotations(Pod p) {
        Set<String> forbidden = new TreeSet<>();
        JsonNode annotations = p.metadata().path("annotations");
        JsonNode podValue = annotations.get(SECCOMP_POD_ANNOTATION);
        if (podValue != null && !validSeccompAnnotation(str(podValue))) {
            forbidden.add(SECCOMP_POD_ANNOTATION + "=" + goQuote(str(podValue)));
        }
        for (JsonNode c : p.containers()) {
            String key = SECCOMP_CONTAINER_ANNOTATION + name(c);
            JsonNode v = annotations.get(key);
            if (v != null && !validSeccompAnnotation(str(v))) {
                forbidden.add(key + "=" + goQuote(str(v)));
            }
        }
        return forbidden.isEmpty() ? null : new Forbidden("seccompProfile", "forbidden "
                + pluralize("annotation", "annotations", forbidden.size()) + " " + String.join(", ", forbidden));
    }

    private static boolean validSeccompAnnotation(String v) {
        return v.equals("runtime/default") || v.equals("docker/default") || v.startsWith("localhost/");
    }

    private static boolean validSeccomp(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    static Forbidden seccompBaselineFields(Pod p) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        JsonNode podProfile = p.podSecurityContext().get("seccompProfile");
        if (present(podProfile) && !validSeccomp(str(podProfile.get("type")))) {
            setters.add("pod");
            values.add(str(podProfile.get("type")));
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            JsonNode profile = c.path("securityContext").get("seccompProfile");
            if (present(profile) && !validSeccomp(str(profile.get("type")))) {
                bad.add(name(c));
                values.add(str(profile.get("type")));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        return setters.isEmpty() ? null : new Forbidden("seccompProfile", String.join(" and ", setters)
                + " must not set securityContext.seccompProfile.type to " + joinQuote(values));
    }

    static final Set<String> SYSCTLS_1_0 = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");
    static final Set<String> SYSCTLS_1_27 = union(SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports");
    static final Set<String> SYSCTLS_1_29 = union(SYSCTLS_1_27, "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    static final Set<String> SYSCTLS_1_32 = union(SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
    static final Set<String> SYSCTLS_1_37 = union(SYSCTLS_1_32, "net.ipv4.tcp_slow_start_after_idle",
            "net.ipv4.tcp_notsent_lowat");

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> s = new LinkedHashSet<>(base);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }

    static Forbidden sysctls(Pod p, Set<String> allowed) {
        List<String> bad = new ArrayList<>();
        for (JsonNode s : p.podSecurityContext().path("sysctls")) {
            String n = str(s.get("name"));
            if (!allowed.contains(n)) {
                bad.add(n);
            }
        }
        return bad.isEmpty() ? null : new Forbidden("forbidden sysctls", String.join(", ", bad));
    }

    static Forbidden windowsHostProcess(Pod p) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            if (isTrue(c.path("securityContext").path("windowsOptions").get("hostProcess"))) {
                bad.add(name(c));
            }
        }
        List<String> setters = new ArrayList<>();
        if (isTrue(p.podSecurityContext().path("windowsOptions").get("hostProcess"))) {
            setters.add("pod");
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        return setters.isEmpty() ? null : new Forbidden("hostProcess", String.join(" and ", setters)
                + " must not set securityContext.windowsOptions.hostProcess=true");
    }

    static Forbidden hostProbesAndHostLifecycle(Pod p) {
        Set<String> bad = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        for (JsonNode c : p.containers()) {
            boolean found = false;
            for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
                found |= handlerHosts(c.path(probe), hosts);
            }
            JsonNode lifecycle = c.path("lifecycle");
            found |= handlerHosts(lifecycle.path("postStart"), hosts);
            found |= handlerHosts(lifecycle.path("preStop"), hosts);
            if (found) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null : new Forbidden("probe or lifecycle host", pluralize("container", "containers", bad.size())
                + " " + joinQuote(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                + pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.size()) + " " + joinQuote(hosts));
    }

    private static boolean handlerHosts(JsonNode handler, Set<String> hosts) {
        boolean found = false;
        for (String kind : new String[] {"httpGet", "tcpSocket"}) {
            String host = str(handler.path(kind).get("host"));
            if (!host.isEmpty()) {
                hosts.add(host);
                found = true;
            }
        }
        return found;
    }

    // ---- restricted ---------------------------------------------------------------------------------

    private static final List<String> ALLOWED_VOLUME_SOURCES = List.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "image", "persistentVolumeClaim", "projected", "secret");
    private static final List<String> RESTRICTED_VOLUME_SOURCES = List.of("hostPath", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
            "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
            "portworxVolume", "scaleIO", "storageos");

    static Forbidden restrictedVolumes(Pod p) {
        List<String> bad = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (JsonNode v : p.spec().path("volumes")) {
            // A volume without a source known to the API defaults to emptyDir before admission sees it.
            String restricted = RESTRICTED_VOLUME_SOURCES.stream().filter(s -> present(v.get(s))).findFirst().orElse(null);
            if (restricted == null || ALLOWED_VOLUME_SOURCES.stream().anyMatch(s -> present(v.get(s)))) {
                continue;
            }
            bad.add(str(v.get("name")));
            types.add(restricted);
        }
        return bad.isEmpty() ? null : new Forbidden("restricted volume types", pluralize("volume", "volumes", bad.size())
                + " " + joinQuote(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                + pluralize("restricted volume type", "restricted volume types", types.size()) + " " + joinQuote(types));
    }

    static Forbidden allowPrivilegeEscalation(Pod p) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            if (!isFalse(c.path("securityContext").get("allowPrivilegeEscalation"))) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? null : new Forbidden("allowPrivilegeEscalation != false",
                containers(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }

    /** From v1.25 Windows pods ({@code spec.os.name: windows}) are exempt. */
    static Forbidden allowPrivilegeEscalationLinux(Pod p) {
        return p.windows() ? null : allowPrivilegeEscalation(p);
    }

    static Forbidden runAsNonRoot(Pod p) {
        List<String> setters = new ArrayList<>();
        boolean podNonRoot = false;
        JsonNode podValue = p.podSecurityContext().get("runAsNonRoot");
        if (isFalse(podValue)) {
            setters.add("pod");
        } else if (isTrue(podValue)) {
            podNonRoot = true;
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            JsonNode v = c.path("securityContext").get("runAsNonRoot");
            if (v != null && v.isBoolean()) {
                if (!v.booleanValue()) {
                    explicit.add(name(c));
                }
            } else if (!podNonRoot) {
                implicit.add(name(c));
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(containers(explicit));
        }
        if (!setters.isEmpty()) {
            return new Forbidden("runAsNonRoot != true",
                    String.join(" and ", setters) + " must not set securityContext.runAsNonRoot=false");
        }
        return implicit.isEmpty() ? null : new Forbidden("runAsNonRoot != true",
                "pod or " + containers(implicit) + " must set securityContext.runAsNonRoot=true");
    }

    /** From v1.35 pods in a user namespace ({@code hostUsers: false}) may run as root inside it. */
    static Forbidden runAsNonRootUserNamespaces(Pod p) {
        return p.userNamespace() ? null : runAsNonRoot(p);
    }

    static Forbidden runAsUser(Pod p) {
        List<String> setters = new ArrayList<>();
        if (isZero(p.podSecurityContext().get("runAsUser"))) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            if (isZero(c.path("securityContext").get("runAsUser"))) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        return setters.isEmpty() ? null
                : new Forbidden("runAsUser=0", String.join(" and ", setters) + " must not set runAsUser=0");
    }

    /** From v1.35 pods in a user namespace may set runAsUser=0. */
    static Forbidden runAsUserUserNamespaces(Pod p) {
        return p.userNamespace() ? null : runAsUser(p);
    }

    private static boolean isZero(JsonNode n) {
        return n != null && n.isNumber() && n.longValue() == 0;
    }

    static Forbidden seccompRestricted(Pod p) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        boolean podSet = false;
        JsonNode podProfile = p.podSecurityContext().get("seccompProfile");
        if (present(podProfile)) {
            if (!validSeccomp(str(podProfile.get("type")))) {
                setters.add("pod");
                values.add(str(podProfile.get("type")));
            } else {
                podSet = true;
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (JsonNode c : p.containers()) {
            JsonNode profile = c.path("securityContext").get("seccompProfile");
            if (present(profile)) {
                if (!validSeccomp(str(profile.get("type")))) {
                    explicit.add(name(c));
                    values.add(str(profile.get("type")));
                }
            } else if (!podSet) {
                implicit.add(name(c));
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(containers(explicit));
        }
        if (!setters.isEmpty()) {
            return new Forbidden("seccompProfile", String.join(" and ", setters)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(values));
        }
        return implicit.isEmpty() ? null : new Forbidden("seccompProfile", "pod or " + containers(implicit)
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }

    static Forbidden seccompRestrictedLinux(Pod p) {
        return p.windows() ? null : seccompRestricted(p);
    }

    static Forbidden capabilitiesRestricted(Pod p) {
        List<String> missingDrop = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        Set<String> caps = new TreeSet<>();
        for (JsonNode c : p.containers()) {
            JsonNode capabilities = c.path("securityContext").get("capabilities");
            if (!present(capabilities)) {
                missingDrop.add(name(c));
                continue;
            }
            boolean droppedAll = false;
            for (JsonNode d : capabilities.path("drop")) {
                droppedAll |= "ALL".equals(str(d));
            }
            if (!droppedAll) {
                missingDrop.add(name(c));
            }
            boolean forbidden = false;
            for (JsonNode a : capabilities.path("add")) {
                if (!"NET_BIND_SERVICE".equals(str(a))) {
                    forbidden = true;
                    caps.add(str(a));
                }
            }
            if (forbidden) {
                adding.add(name(c));
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDrop.isEmpty()) {
            details.add(containers(missingDrop) + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!adding.isEmpty()) {
            details.add(containers(adding) + " must not include " + joinQuote(caps) + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? null : new Forbidden("unrestricted capabilities", String.join("; ", details));
    }

    static Forbidden capabilitiesRestrictedLinux(Pod p) {
        return p.windows() ? null : capabilitiesRestricted(p);
    }
}
