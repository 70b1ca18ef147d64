package dev.vigil.kube.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.kube.testing.MockCluster;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the cluster as kubectl does, then in-cluster; connecting; and saying what to do on failure. */
class KubeClientsTest {

    @TempDir
    Path dir;

    private Path home() throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    private Path serviceAccount(String token) throws IOException {
        Path sa = Files.createDirectories(dir.resolve("sa"));
        Files.writeString(sa.resolve("token"), token + "\n");
        Files.writeString(sa.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(sa.resolve("namespace"), "vigil");
        return sa;
    }

    @Test
    void explicitKubeconfigWinsOverEverythingElse() throws IOException {
        Path explicit = MockCluster.writeKubeconfig(dir.resolve("explicit"), "http://127.0.0.1:1");
        Path fromEnv = MockCluster.writeKubeconfig(dir.resolve("env"), "http://127.0.0.1:2");
        KubeSource s = KubeClients.locate(explicit, "mock", Map.of("KUBECONFIG", fromEnv.toString()), home(),
                serviceAccount("t"));
        assertThat(s).isEqualTo(new KubeSource.Kubeconfig(explicit, "mock", "--kubeconfig"));
        assertThat(s.describe()).isEqualTo("kubeconfig " + explicit + " (--kubeconfig, context mock)");
    }

    @Test
    void missingExplicitKubeconfigSaysWhatToPass() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> KubeClients.locate(missing, null, Map.of(), dir, dir))
                .isInstanceOf(KubeAccessException.class)
                .hasMessage("kubeconfig " + missing + " (--kubeconfig) does not exist: pass an existing kubeconfig"
                        + " (for the lab: the one `vigil lab status` prints)");
        assertThatThrownBy(() -> KubeClients.locate(dir, null, Map.of(), dir, dir))
                .hasMessageContaining("(--kubeconfig) is not a readable file");
    }

    @Test
    void kubeconfigVariableTakesTheFirstExistingFileOfItsList() throws IOException {
        Path second = MockCluster.writeKubeconfig(dir.resolve("second"), "http://127.0.0.1:2");
        String list = dir.resolve("first-missing") + ":" + second;
        assertThat(KubeClients.locate(null, null, Map.of("KUBECONFIG", list), home(), dir))
                .isEqualTo(new KubeSource.Kubeconfig(second, null, "$KUBECONFIG"));
        assertThatThrownBy(() -> KubeClients.locate(null, null, Map.of("KUBECONFIG", dir.resolve("x").toString()),
                home(), dir)).hasMessage("no kubeconfig file exists among $KUBECONFIG=" + dir.resolve("x")
                        + ": fix KUBECONFIG or pass --kubeconfig FILE");
    }

    @Test
    void homeConfigComesBeforeInCluster() throws IOException {
        Path home = home();
        Path config = Files.createDirectories(home.resolve(".kube")).resolve("config");
        MockCluster.writeKubeconfig(config, "http://127.0.0.1:3");
        assertThat(KubeClients.locate(null, null, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), home,
                serviceAccount("t"))).isEqualTo(new KubeSource.Kubeconfig(config, null, "~/.kube/config"));
    }

    @Test
    void inClusterUsesTheServiceAccountAndRereadsTheTokenForEachRequest() throws IOException {
        Path sa = serviceAccount("first-token");
        KubeSource s = KubeClients.locate(null, null,
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "6443"), home(), sa);
        assertThat(s).isEqualTo(new KubeSource.InCluster("10.96.0.1", "6443", sa));
        Config config = s.config(Duration.ofSeconds(3));
        assertThat(config.getMasterUrl()).isEqualTo("https://10.96.0.1:6443/");
        assertThat(config.getCaCertFile()).isEqualTo(sa.resolve("ca.crt").toString());
        assertThat(config.getNamespace()).isEqualTo("vigil");
        assertThat(config.getRequestTimeout()).isEqualTo(3000);
        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("first-token");
        Files.writeString(sa.resolve("token"), "rotated-token");
        assertThat(config.getOauthTokenProvider().getToken()).as("the kubelet rotates the token").isEqualTo(
                "rotated-token");
    }

    @Test
    void inClusterOverIpv6BracketsTheHost() throws IOException {
        KubeSource s = KubeClients.locate(null, null, Map.of("KUBERNETES_SERVICE_HOST", "fd00:96::1"), home(),
                serviceAccount("t"));
        assertThat(s.config(Duration.ofSeconds(1)).getMasterUrl()).isEqualTo("https://[fd00:96::1]:443/");
    }

    @Test
    void contextCannotBeAppliedToInClusterSettings() throws IOException {
        Path sa = serviceAccount("t");
        Path home = home();
        assertThatThrownBy(() -> KubeClients.locate(null, "prod", Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                home, sa)).isInstanceOf(KubeAccessException.class)
                .hasMessageStartingWith("context prod given, but the only configuration found is the in-cluster");
    }

    @Test
    void noConfigurationAnywhereListsWhatWasTriedAndWhatToDo() throws IOException {
        Path home = home();
        assertThatThrownBy(() -> KubeClients.locate(null, null, Map.of(), home, dir.resolve("sa")))
                .isInstanceOf(KubeAccessException.class)
                .hasMessage("no Kubernetes configuration found (--kubeconfig not given, $KUBECONFIG unset, "
                        + home.resolve(".kube/config") + " missing, not in a pod (KUBERNETES_SERVICE_HOST unset)):"
                        + " pass --kubeconfig FILE (for the lab: the one `vigil lab status` prints), set KUBECONFIG,"
                        + " or run Vigil in a pod with a service account");
        assertThatThrownBy(() -> KubeClients.locate(null, null, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), home,
                dir.resolve("sa"))).hasMessageContaining("not in a pod (no token at " + dir.resolve("sa/token") + ")");
    }

    @Test
    void connectsThroughAKubeconfigAndReportsTheServerVersion() {
        try (MockCluster cluster = MockCluster.start(dir)) {
            KubeSource source = KubeClients.locate(cluster.kubeconfig(), null);
            try (KubeConnection c = KubeClients.connect(source, Duration.ofSeconds(5))) {
                assertThat(c.serverUrl()).isEqualTo("http://127.0.0.1:" + cluster.server().getPort() + "/");
                assertThat(c.serverVersion()).isNotBlank();
                assertThat(c.client().pods().inAnyNamespace().list().getItems()).isEmpty();
            }
        }
    }

    @Test
    void unreachableServerFailsAtOnceNamingUrlAndSource() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path kubeconfig = MockCluster.writeKubeconfig(dir.resolve("kubeconfig"), "http://127.0.0.1:" + port);
        long start = System.nanoTime();
        assertThatThrownBy(() -> KubeClients.connect(kubeconfig, null))
                .isInstanceOf(KubeAccessException.class)
                .hasMessageStartingWith("Kubernetes API server http://127.0.0.1:" + port + "/ (from kubeconfig "
                        + kubeconfig + " (--kubeconfig)) is unreachable: ConnectException")
                .hasMessageEndingWith(": check that the cluster is running (for the lab: sudo ./vigil lab up) and"
                        + " that the server URL is right");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no retries on the probe")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void rejectedCredentialsSayWhatToRenew() {
        try (MockCluster cluster = MockCluster.start(dir)) {
            cluster.server().clearExpectations();
            cluster.server().expect().get().withPath("/version")
                    .andReturn(401, new StatusBuilder().withCode(401).withReason("Unauthorized").build()).always();
            assertThatThrownBy(() -> KubeClients.connect(cluster.kubeconfig(), null))
                    .isInstanceOf(KubeAccessException.class)
                    .hasMessage("Kubernetes API server http://127.0.0.1:" + cluster.server().getPort() + "/ rejected"
                            + " the credentials of kubeconfig " + cluster.kubeconfig() + " (--kubeconfig) (401"
                            + " Unauthorized): renew the token or client certificate");
        }
    }

    @Test
    void brokenKubeconfigOrUnknownContextIsNamed() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken"), "clusters: [ {");
        assertThatThrownBy(() -> KubeClients.connect(broken, null)).isInstanceOf(KubeAccessException.class)
                .hasMessageStartingWith("cannot use kubeconfig " + broken + " (--kubeconfig): ")
                .hasMessageEndingWith(": fix the file, or pass another with --kubeconfig");
        Path good = MockCluster.writeKubeconfig(dir.resolve("good"), "http://127.0.0.1:1");
        assertThatThrownBy(() -> KubeClients.connect(good, "no-such-context")).isInstanceOf(KubeAccessException.class)
                .hasMessageContaining("no-such-context");
    }
}
