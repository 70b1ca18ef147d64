package dev.vigil.kube.client;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A client connected to an API server that answered, with where its settings came from. Closing it
 * closes the client.
 *
 * @param serverVersion the server's {@code gitVersion}, e.g. {@code v1.33.1}
 */
public record KubeConnection(KubernetesClient client, KubeSource source, String serverVersion)
        implements AutoCloseable {

    /** The API server URL. */
    public String serverUrl() {
        return client.getMasterUrl().toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
