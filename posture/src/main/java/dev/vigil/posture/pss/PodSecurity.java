package dev.vigil.posture.pss;

import dev.vigil.posture.report.Severity;
import dev.vigil.posture.source.PodTemplate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates pods against the Pod Security Standards exactly as the Kubernetes Pod Security admission
 * (kubernetes/pod-security-admission, {@code policy/}) does, at level baseline or restricted and any
 * policy version from v1.0 to latest.
 *
 * <p>How the admission resolves a level and version, and so how this class does: every check has one
 * or more revisions, each from a minimum policy version; a version uses, per check, the newest revision
 * at or below it (versions past {@link PolicyVersion#NEWEST_MINOR}, and {@code latest}, use the newest).
 * Baseline runs the baseline checks; restricted runs the restricted checks plus the baseline checks that
 * no active restricted revision overrides ({@code restrictedVolumes} overrides {@code hostPathVolumes},
 * {@code seccompProfile_restricted} v1.19+ overrides {@code seccompProfile_baseline},
 * {@code capabilities_restricted} v1.22+ overrides {@code capabilities_baseline}, {@code
 * procMount_restricted} v1.35+ overrides {@code procMount}). Results are ordered baseline ids, then
 * restricted ids, as the admission sorts them. An overridden baseline check is still evaluated and, when
 * it fails, listed with {@link Violation#overriddenBy()} set; it never changes the decision.
 *
 * <p>Version-dependent behaviour covered: seccomp annotations (before v1.19) versus fields; the sysctl
 * allow-list growing at v1.27, v1.29, v1.32 and v1.37; SELinux {@code container_engine_t} from v1.31;
 * probe and lifecycle hosts forbidden from v1.34; the user-namespace relaxations of procMount (baseline),
 * runAsNonRoot and runAsUser from v1.35; Windows pods exempt from allowPrivilegeEscalation, seccomp and
 * capabilities restrictions from v1.25; allowPrivilegeEscalation from v1.8, capabilities_restricted from
 * v1.22, runAsUser from v1.23. AppArmor is checked in annotations and fields at every version, as the
 * admission's single 1.0 revision does.
 */
public final class PodSecurity {

    private PodSecurity() {
    }

    private record Revision(int minMinor, Function<Checks.Pod, Checks.Forbidden> check, String overrides) {
    }

    /**
     * A check of the standard with its report metadata.
     *
     * @param id    the admission's check id
     * @param level the level that introduces it
     */
    public record Check(String id, Level level, String title, Severity severity, String remediation,
                        List<String> cis, List<String> mitre, List<Revision> revisions) {
    }

    private static Revision rev(int minor, Function<Checks.Pod, Checks.Forbidden> check) {
        return new Revision(minor, check, null);
    }

    private static Revision rev(int minor, Function<Checks.Pod, Checks.Forbidden> check, String overrides) {
        return new Revision(minor, check, overrides);
    }

    private static final List<Check> CHECKS = sorted(List.of(
            new Check("hostNamespaces", Level.BASELINE, "Host namespaces shared", Severity.HIGH,
                    "Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).",
                    List.of("CIS-5.2.3", "CIS-5.2.4", "CIS-5.2.5"), List.of("T1611"), List.of(rev(0, Checks::hostNamespaces))),
            new Check("privileged", Level.BASELINE, "Privileged container", Severity.CRITICAL,
                    "Remove securityContext.privileged or set it to false; grant only the capabilities the container needs.",
                    List.of("CIS-5.2.2"), List.of("T1611", "T1610"), List.of(rev(0, Checks::privileged))),
            new Check("capabilities_baseline", Level.BASELINE, "Capabilities beyond the default set", Severity.HIGH,
                    "Add only capabilities of the default set (never NET_RAW, SYS_ADMIN, SYS_PTRACE, SYS_MODULE…).",
                    List.of("CIS-5.2.8", "CIS-5.2.9"), List.of("T1611"), List.of(rev(0, Checks::capabilitiesBaseline))),
            new Check("hostPathVolumes", Level.BASELINE, "hostPath volume", Severity.HIGH,
                    "Replace hostPath volumes by emptyDir, configMap, secret, projected or persistent volume claims.",
                    List.of("CIS-5.2.12"), List.of("T1611"), List.of(rev(0, Checks::hostPathVolumes))),
            new Check("hostPorts", Level.BASELINE, "Host port", Severity.MEDIUM,
                    "Remove hostPort from container ports; expose the pod through a Service instead.",
                    List.of("CIS-5.2.13"), List.of("T1133"), List.of(rev(0, Checks::hostPorts))),
            new Check("appArmorProfile", Level.BASELINE, "AppArmor disabled or overridden", Severity.MEDIUM,
                    "Use AppArmor profile type RuntimeDefault or Localhost (annotation runtime/default or localhost/*).",
                    List.of(), List.of("T1562.001"), List.of(rev(0, Checks::appArmorProfile))),
            new Check("seLinuxOptions", Level.BASELINE, "Custom SELinux options", Severity.MEDIUM,
                    "Leave seLinuxOptions.user and role unset and use type container_t, container_init_t or container_kvm_t.",
                    List.of(), List.of("T1562.001"), List.of(rev(0, p -> Checks.seLinuxOptions(p, Checks.SELINUX_TYPES_1_0)),
                            rev(31, p -> Checks.seLinuxOptions(p, Checks.SELINUX_TYPES_1_31)))),
            new Check("procMount", Level.BASELINE, "Unmasked /proc", Severity.MEDIUM,
                    "Remove securityContext.procMount or set it to Default.",
                    List.of(), List.of("T1611"), List.of(rev(0, Checks::procMount), rev(35, Checks::procMountUserNamespaces))),
            new Check("seccompProfile_baseline", Level.BASELINE, "Seccomp disabled", Severity.MEDIUM,
                    "Set seccompProfile.type to RuntimeDefault or Localhost, never Unconfined.",
                    List.of("CIS-5.7.2"), List.of("T1562.001"),
                    List.of(rev(0, Checks::seccompBaselineAnnotations), rev(19, Checks::seccompBaselineFields))),
            new Check("sysctls", Level.BASELINE, "Unsafe sysctls", Severity.MEDIUM,
                    "Set only the safe, namespaced sysctls in securityContext.sysctls.",
                    List.of(), List.of("T1611"), List.of(rev(0, p -> Checks.sysctls(p, Checks.SYSCTLS_1_0)),
                            rev(27, p -> Checks.sysctls(p, Checks.SYSCTLS_1_27)), rev(29, p -> Checks.sysctls(p, Checks.SYSCTLS_1_29)),
                            rev(32, p -> Checks.sysctls(p, Checks.SYSCTLS_1_32)), rev(37, p -> Checks.sysctls(p, Checks.SYSCTLS_1_37)))),
            new Check("windowsHostProcess", Level.BASELINE, "Windows HostProcess container", Severity.CRITICAL,
                    "Remove securityContext.windowsOptions.hostProcess or set it to false.",
                    List.of("CIS-5.2.11"), List.of("T1611"), List.of(rev(0, Checks::windowsHostProcess))),
            new Check("hostProbesAndHostLifecycle", Level.BASELINE, "Probe or lifecycle handler with a host", Severity.MEDIUM,
                    "Remove host from httpGet and tcpSocket probes and lifecycle handlers; they must target the pod.",
                    List.of(), List.of("T1090"), List.of(rev(34, Checks::hostProbesAndHostLifecycle))),
            new Check("restrictedVolumes", Level.RESTRICTED, "Volume type outside the restricted set", Severity.MEDIUM,
                    "Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes.",
                    List.of("CIS-5.2.12"), List.of("T1611"), List.of(rev(0, Checks::restrictedVolumes, "hostPathVolumes"))),
            new Check("allowPrivilegeEscalation", Level.RESTRICTED, "Privilege escalation allowed", Severity.MEDIUM,
                    "Set securityContext.allowPrivilegeEscalation: false in every container.",
                    List.of("CIS-5.2.6"), List.of("T1548"), List.of(rev(8, Checks::allowPrivilegeEscalation),
                            rev(25, Checks::allowPrivilegeEscalationLinux))),
            new Check("runAsNonRoot", Level.RESTRICTED, "May run as root", Severity.MEDIUM,
                    "Set securityContext.runAsNonRoot: true on the pod (or every container) and run as a non-zero UID.",
                    List.of("CIS-5.2.7"), List.of("T1611"), List.of(rev(0, Checks::runAsNonRoot), rev(35, Checks::runAsNonRootUserNamespaces))),
            new Check("runAsUser", Level.RESTRICTED, "Runs as UID 0", Severity.MEDIUM,
                    "Remove runAsUser: 0; run as a non-zero UID.",
                    List.of("CIS-5.2.7"), List.of("T1611"), List.of(rev(23, Checks::runAsUser), rev(35, Checks::runAsUserUserNamespaces))),
            new Check("seccompProfile_restricted", Level.RESTRICTED, "Seccomp profile not set", Severity.LOW,
                    "Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod or every container.",
                    List.of("CIS-5.7.2"), List.of("T1562.001"), List.of(rev(19, Checks::seccompRestricted, "seccompProfile_baseline"),
                            rev(25, Checks::seccompRestrictedLinux, "seccompProfile_baseline"))),
            new Check("capabilities_restricted", Level.RESTRICTED, "Capabilities not dropped", Severity.LOW,
                    "Set capabilities.drop: [\"ALL\"] in every container and add at most NET_BIND_SERVICE.",
                    List.of("CIS-5.2.9", "CIS-5.2.10"), List.of("T1611"), List.of(rev(22, Checks::capabilitiesRestricted, "capabilities_baseline"),
                            rev(25, Checks::capabilitiesRestrictedLinux, "capabilities_baseline"))),
            new Check("procMount_restricted", Level.RESTRICTED, "Unmasked /proc (restricted)", Severity.MEDIUM,
                    "Remove securityContext.procMount or set it to Default, also in user-namespace pods.",
                    List.of(), List.of("T1611"), List.of(rev(35, Checks::procMount, "procMount")))));

    /** Baseline checks by id, then restricted checks by id (Go's byte order), as the admission orders results. */
    private static List<Check> sorted(List<Check> checks) {
        List<Check> out = new ArrayList<>(checks);
        out.sort(Comparator.comparing(Check::level).thenComparing(Check::id));
        return List.copyOf(out);
    }

    private record Active(String id, Function<Checks.Pod, Checks.Forbidden> check, String overriddenBy) {
    }

    private static final Map<Integer, List<Active>> BASELINE = new HashMap<>();
    private static final Map<Integer, List<Active>> RESTRICTED = new HashMap<>();

    static {
        for (int minor = 0; minor <= PolicyVersion.NEWEST_MINOR; minor++) {
            Map<String, String> overrides = new HashMap<>();
            for (Check c : CHECKS) {
                Revision r = revision(c, minor);
                if (r != null && c.level() == Level.RESTRICTED && r.overrides() != null) {
                    overrides.put(r.overrides(), c.id());
                }
            }
            List<Active> baseline = new ArrayList<>();
            List<Active> restricted = new ArrayList<>();
            for (Check c : CHECKS) {
                Revision r = revision(c, minor);
                if (r == null) {
                    continue;
                }
                if (c.level() == Level.BASELINE) {
                    baseline.add(new Active(c.id(), r.check(), null));
                }
                restricted.add(new Active(c.id(), r.check(), overrides.get(c.id())));
            }
            BASELINE.put(minor, List.copyOf(baseline));
            RESTRICTED.put(minor, List.copyOf(restricted));
        }
    }

    private static Revision revision(Check c, int minor) {
        Revision found = null;
        for (Revision r : c.revisions()) {
            if (r.minMinor() <= minor) {
                found = r;
            }
        }
        return found;
    }

    /** Every check, in the admission's order. */
    public static List<Check> checks() {
        return CHECKS;
    }

    /** Evaluates the pod (template) of a workload object. */
    public static Decision evaluate(Level level, PolicyVersion version, PodTemplate pod) {
        return evaluate(level, version, pod.metadata(), pod.spec(), pod.containers());
    }

    /** Evaluates a pod given its metadata and spec. */
    public static Decision evaluate(Level level, PolicyVersion version, JsonNode metadata, JsonNode spec,
                                    List<JsonNode> containers) {
        if (level == Level.PRIVILEGED) {
            return new Decision(level, version, true, List.of());
        }
        Checks.Pod pod = new Checks.Pod(metadata, spec, containers);
        List<Active> active = (level == Level.BASELINE ? BASELINE : RESTRICTED).get(version.effectiveMinor());
        List<Violation> violations = new ArrayList<>(2);
        boolean allowed = true;
        for (Active a : active) {
            Checks.Forbidden f = a.check().apply(pod);
            if (f != null) {
                violations.add(new Violation(a.id(), f.reason(), f.detail(), a.overriddenBy()));
                allowed &= a.overriddenBy() != null;
            }
        }
        return new Decision(level, version, allowed, violations);
    }
}
