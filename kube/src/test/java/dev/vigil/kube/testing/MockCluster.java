package dev.vigil.kube.testing;

import dev.vigil.kube.client.KubeClients;
import dev.vigil.kube.client.KubeConnection;
import dev.vigil.kube.client.KubeSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's Kubernetes mock server in CRUD mode on loopback — the one allowed stand-in for an API
 * server — reached the way Vigil reaches any cluster: through a kubeconfig file and
 * {@link KubeClients#connect}. Expectations ({@link #server()}{@code .expect()}) take precedence over
 * the CRUD store, for failure tests.
 */
public final class MockCluster implements AutoCloseable {

    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final Path kubeconfig;
    private final KubeConnection connection;

    private MockCluster(KubernetesMockServer server, Path kubeconfig, KubeConnection connection) {
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.connection = connection;
    }

    /** Starts a server and writes its kubeconfig into {@code dir}. */
    public static MockCluster start(Path dir) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            Path kubeconfig = writeKubeconfig(dir.resolve("kubeconfig"), "http://127.0.0.1:" + server.getPort());
            KubeConnection connection = KubeClients.connect(
                    new KubeSource.Kubeconfig(kubeconfig, null, "--kubeconfig"), Duration.ofSeconds(20));
            return new MockCluster(server, kubeconfig, connection);
        } catch (RuntimeException e) {
            server.destroy();
            throw e;
        }
    }

    /** A minimal kubeconfig with one cluster at {@code url}, a token user and a current context. */
    public static Path writeKubeconfig(Path file, String url) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: default
                current-context: mock
                users:
                - name: tester
                  user:
                    token: test-token
                """.formatted(url);
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return connection.client();
    }

    public KubernetesMockServer server() {
        return server;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        connection.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // "Unable to close MockWebServer": it waits 30 s for connections of the closed client that the
            // HTTP client shuts down asynchronously, now and then longer. The test is over; its listening
            // socket is closed either way.
            if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }
}
