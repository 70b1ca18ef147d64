package dev.vigil.lab.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lab's Kubernetes API: fabric8's mock server in CRUD mode (the one stand-in of the lab, since
 * no kube-apiserver binary can be installed here) with discovery and Table printing added, bound
 * to plain HTTP on loopback. The lab puts TLS in front of it (socat with the lab CA's
 * certificate) for kubectl, the kubeconfig and pods.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;

    private ApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    /** Starts the server on 127.0.0.1 at a free port. */
    public static ApiServer start() {
        QUIET.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new LabApiDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new ApiServer(server);
    }

    public int port() {
        return server.getPort();
    }

    /** A client talking to the plain loopback port (the lab daemon's own use). */
    public KubernetesClient client() {
        return server.createClient();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
