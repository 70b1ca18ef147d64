package dev.vigil.kube.client;

/**
 * No usable connection to a Kubernetes API server: no configuration found, an unreadable kubeconfig,
 * or a server that does not answer or rejects the credentials. The message names the file or URL and
 * what to do; the CLI shows it as a user error.
 */
public class KubeAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KubeAccessException(String message) {
        super(message);
    }

    public KubeAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
