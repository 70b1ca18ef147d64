package dev.vigil.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where the connection settings come from: a kubeconfig file, or the pod's service account. */
public sealed interface KubeSource {

    /**
     * Retries of a failed request (fabric8 backs off from 100 ms, doubling): few, because informers
     * retry on their own and a sync should report a failing server within a second, not minutes.
     */
    int REQUEST_RETRIES = 3;

    /** A human description for messages, e.g. {@code kubeconfig /root/.kube/config ($KUBECONFIG)}. */
    String describe();

    /** The fabric8 configuration, with the given connect and request timeout. */
    Config config(Duration timeout);

    /**
     * A kubeconfig file.
     *
     * @param context the context to use, or null for the file's current context
     * @param origin  how the file was chosen: {@code --kubeconfig}, {@code $KUBECONFIG}, {@code ~/.kube/config}
     */
    record Kubeconfig(Path file, String context, String origin) implements KubeSource {
        @Override
        public String describe() {
            return "kubeconfig " + file + " (" + origin + (context != null ? ", context " + context : "") + ")";
        }

        @Override
        public Config config(Duration timeout) {
            Config config;
            try {
                config = Config.fromKubeconfig(context, file.toFile());
            } catch (RuntimeException e) {
                throw new KubeAccessException("cannot use " + describe() + ": " + e.getMessage()
                        + ": fix the file, or pass another with --kubeconfig", e);
            }
            if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
                throw new KubeAccessException(describe() + " names no server" + (context != null
                        ? " for context " + context + ": check the context name (kubectl config get-contexts)"
                        : ": set current-context, or pass a context"));
            }
            int millis = Math.toIntExact(timeout.toMillis());
            config.setRequestTimeout(millis);
            return new ConfigBuilder(config).withConnectionTimeout(millis)
                    .withRequestRetryBackoffLimit(REQUEST_RETRIES).build();
        }
    }

    /**
     * The service account of the pod Vigil runs in: the API server from
     * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, CA, token and namespace from {@code serviceAccountDir}.
     * The token is read for each request, so the kubelet's rotation is followed.
     */
    record InCluster(String host, String port, Path serviceAccountDir) implements KubeSource {
        @Override
        public String describe() {
            return "in-cluster service account (" + serviceAccountDir + ", https://" + hostPort() + ")";
        }

        @Override
        public Config config(Duration timeout) {
            Path token = serviceAccountDir.resolve("token");
            Path namespace = serviceAccountDir.resolve("namespace");
            int millis = Math.toIntExact(timeout.toMillis());
            return new ConfigBuilder(Config.empty())
                    .withMasterUrl("https://" + hostPort())
                    .withCaCertFile(serviceAccountDir.resolve("ca.crt").toString())
                    .withOauthTokenProvider(() -> read(token).strip())
                    .withNamespace(Files.isReadable(namespace) ? read(namespace).strip() : null)
                    .withConnectionTimeout(millis)
                    .withRequestTimeout(millis)
                    .withRequestRetryBackoffLimit(REQUEST_RETRIES)
                    .build();
        }

        private String hostPort() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
