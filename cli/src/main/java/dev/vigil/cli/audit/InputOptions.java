package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.source.ClusterSource;
import dev.vigil.posture.source.FileSource;
import dev.vigil.posture.source.ObjectSource;
import dev.vigil.posture.source.ResourceKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where an audit reads objects: {@code -f} files, folders or {@code -} (stdin), otherwise a live
 * cluster through {@code --kubeconfig}/{@code --context}, {@code KUBECONFIG}, {@code ~/.kube/config} or
 * the in-cluster service account. Shared by every {@code vigil audit} command.
 */
public final class InputOptions {

    @Option(names = {"-f", "--filename"}, paramLabel = "PATH",
            description = "Manifest file or folder (recursive; .yaml, .yml, .json) or - for stdin. Repeatable. "
                    + "Multi-document YAML, JSON and kind: List (kubectl get -A -o yaml) are read as a stream.")
    List<String> files = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig of the cluster to audit (default: KUBECONFIG, ~/.kube/config, then in-cluster).")
    String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use (default: the current one).")
    String context;

    public boolean fromFiles() {
        return !files.isEmpty();
    }

    /** The file source; only when {@link #fromFiles()}. */
    public FileSource fileSource() {
        return new FileSource(files);
    }

    /** A cluster client, or a {@link UserError} saying how to point Vigil at a cluster or at files. */
    public KubernetesClient client() {
        if (kubeconfig != null && !new java.io.File(kubeconfig).isFile()) {
            throw new UserError("kubeconfig " + kubeconfig + " not found: pass an existing file to --kubeconfig");
        }
        try {
            KubernetesClient client = ClusterSource.connect(kubeconfig, context);
            if (client.getMasterUrl() == null) {
                throw new UserError("no cluster configured: pass -f FILE|DIR|- to audit manifests, or --kubeconfig FILE");
            }
            return client;
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new UserError("cannot configure the cluster client (" + e.getMessage()
                    + "): check the kubeconfig with kubectl config view, or pass -f FILE|DIR|- to audit manifests");
        }
    }

    /** Files when {@code -f} was given, otherwise the cluster's objects of the given kinds. */
    public ObjectSource source(KubernetesClient client, List<ResourceKind> kinds) {
        return fromFiles() ? fileSource() : new ClusterSource(client, kinds);
    }
}
