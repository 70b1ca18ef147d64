package dev.vigil.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connects to a Kubernetes API server the way kubectl finds one, then in-cluster: an explicit
 * kubeconfig ({@code --kubeconfig}), else {@code $KUBECONFIG} (the first existing file of the list),
 * else {@code ~/.kube/config}, else the pod's service account. The client is fabric8's on the JDK
 * HTTP client. {@link #connect} asks the server for {@code /version} before returning, so an
 * unreachable server or rejected credentials fail at once with a message that names the URL, where
 * the settings came from, and what to do.
 */
public final class KubeClients {

    /** Where the kubelet mounts a pod's service-account token, CA and namespace. */
    public static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    /** Connect and request timeout unless given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private KubeClients() {
    }

    /** Connects using {@link #locate(Path, String)} and {@link #DEFAULT_TIMEOUT}. */
    public static KubeConnection connect(Path kubeconfig, String context) {
        return connect(locate(kubeconfig, context), DEFAULT_TIMEOUT);
    }

    /** Finds the settings in this process's environment; {@code kubeconfig} and {@code context} may be null. */
    public static KubeSource locate(Path kubeconfig, String context) {
        return locate(kubeconfig, context, System.getenv(), Path.of(System.getProperty("user.home")),
                SERVICE_ACCOUNT_DIR);
    }

    /** {@link #locate(Path, String)} with the environment, home folder and service-account folder given. */
    public static KubeSource locate(Path kubeconfig, String context, Map<String, String> env, Path home,
            Path serviceAccountDir) {
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig) || !Files.isReadable(kubeconfig)) {
                throw new KubeAccessException("kubeconfig " + kubeconfig + " (--kubeconfig) "
                        + (Files.exists(kubeconfig) ? "is not a readable file" : "does not exist")
                        + ": pass an existing kubeconfig (for the lab: the one `vigil lab status` prints)");
            }
            return new KubeSource.Kubeconfig(kubeconfig, context, "--kubeconfig");
        }
        List<String> tried = new ArrayList<>();
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            for (String entry : list.split(File.pathSeparator)) {
                if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                    return new KubeSource.Kubeconfig(Path.of(entry), context, "$KUBECONFIG");
                }
            }
            throw new KubeAccessException("no kubeconfig file exists among $KUBECONFIG=" + list
                    + ": fix KUBECONFIG or pass --kubeconfig FILE");
        }
        tried.add("--kubeconfig not given");
        tried.add("$KUBECONFIG unset");
        Path homeConfig = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(homeConfig)) {
            return new KubeSource.Kubeconfig(homeConfig, context, "~/.kube/config");
        }
        tried.add(homeConfig + " missing");
        String host = env.get("KUBERNETES_SERVICE_HOST");
        Path token = serviceAccountDir.resolve("token");
        if (host != null && !host.isBlank() && Files.isReadable(token)) {
            if (context != null) {
                throw new KubeAccessException("context " + context + " given, but the only configuration found is"
                        + " the in-cluster service account, which has no contexts: drop the context or pass"
                        + " --kubeconfig");
            }
            return new KubeSource.InCluster(host, env.getOrDefault("KUBERNETES_SERVICE_PORT", "443"),
                    serviceAccountDir);
        }
        tried.add("not in a pod (" + (host == null || host.isBlank() ? "KUBERNETES_SERVICE_HOST unset"
                : "no token at " + token) + ")");
        throw new KubeAccessException("no Kubernetes configuration found (" + String.join(", ", tried)
                + "): pass --kubeconfig FILE (for the lab: the one `vigil lab status` prints), set KUBECONFIG,"
                + " or run Vigil in a pod with a service account");
    }

    /**
     * A client for {@code source}, after the server answered {@code /version} within {@code timeout}.
     *
     * @throws KubeAccessException when the server is unreachable or rejects the credentials
     */
    public static KubeConnection connect(KubeSource source, Duration timeout) {
        Config config = source.config(timeout);
        String version = probe(source, new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build());
        return new KubeConnection(client(config), source, version);
    }

    private static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }

    private static String probe(KubeSource source, Config config) {
        try (KubernetesClient probe = client(config)) {
            return version(probe.getKubernetesVersion());
        } catch (KubernetesClientException e) {
            String url = config.getMasterUrl();
            if (e.getCode() == 401) {
                throw new KubeAccessException("Kubernetes API server " + url + " rejected the credentials of "
                        + source.describe() + " (401 Unauthorized): renew the token or client certificate", e);
            }
            if (e.getCode() == 403) {
                return "unknown";
            }
            throw new KubeAccessException("Kubernetes API server " + url + " (from " + source.describe()
                    + ") is unreachable: " + networkCause(e) + ": check that the cluster is running (for the lab:"
                    + " sudo ./vigil lab up) and that the server URL is right", e);
        }
    }

    private static String version(VersionInfo info) {
        if (info == null) {
            return "unknown";
        }
        if (info.getGitVersion() != null && !info.getGitVersion().isBlank()) {
            return info.getGitVersion();
        }
        return info.getMajor() != null ? "v" + info.getMajor() + "." + info.getMinor() : "unknown";
    }

    /**
     * The network failure in the chain: the first from {@code java.net} or {@code javax.net.ssl}
     * (ConnectException, UnknownHostException, HttpConnectTimeoutException, SSLHandshakeException), else
     * the first I/O failure, else the top.
     */
    private static String networkCause(Throwable t) {
        Throwable found = null;
        Throwable io = null;
        for (Throwable c = t; c != null && found == null; c = c.getCause() == c ? null : c.getCause()) {
            String pkg = c.getClass().getPackageName();
            if (pkg.equals("java.net") || pkg.equals("java.net.http") || pkg.equals("javax.net.ssl")) {
                found = c;
            } else if (io == null && c instanceof IOException) {
                io = c;
            }
        }
        if (found == null) {
            found = io != null ? io : t;
        }
        String message = found.getMessage();
        return found.getClass().getSimpleName() + (message != null && !message.isBlank() ? " (" + message + ")" : "");
    }
}
