package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine.Option;

/**
 * Where an audit reads the cluster from: {@code -f} files, folders or {@code -} (stdin) holding
 * multi-document YAML, JSON or {@code kind: List} (the output of {@code kubectl get -A -o yaml}), or a
 * live cluster through a kubeconfig (the default one, or in-cluster config, when no {@code -f} is
 * given). Documents are parsed and handed on one at a time; a live cluster is listed in pages of
 * {@link #PAGE_SIZE}.
 */
public final class ClusterInput {

    /** Objects per list request against a live cluster. */
    public static final long PAGE_SIZE = 500;

    private static final List<Class<? extends HasMetadata>> KINDS = List.of(
            ClusterRole.class, ClusterRoleBinding.class, Role.class, RoleBinding.class, Namespace.class, Node.class,
            ServiceAccount.class, Secret.class, Service.class, Ingress.class, Pod.class, Deployment.class,
            StatefulSet.class, DaemonSet.class, ReplicaSet.class, ReplicationController.class, Job.class, CronJob.class);

    @Option(names = {"-f", "--filename"}, paramLabel = "PATH",
            description = "Read objects from files or folders (YAML, JSON, kind: List; '-' for stdin) instead of a live cluster.")
    List<String> files = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig of the live cluster (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubeconfig context to use.")
    String context;

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** Streams every object to {@code sink}; reports progress on {@code err}. */
    public void read(Consumer<HasMetadata> sink, PrintWriter err) {
        int[] count = new int[1];
        Consumer<HasMetadata> counting = o -> {
            sink.accept(o);
            if (++count[0] % 10_000 == 0) {
                err.println("vigil: read " + count[0] + " objects…");
                err.flush();
            }
        };
        if (files.isEmpty()) {
            readCluster(counting, err);
        } else {
            for (String f : files) {
                readPath(f, counting);
            }
        }
    }

    private void readPath(String name, Consumer<HasMetadata> sink) {
        if (name.equals("-")) {
            readDocuments(new InputStreamReader(System.in, StandardCharsets.UTF_8), "stdin", sink);
            return;
        }
        Path p = Path.of(name);
        if (!Files.exists(p)) {
            throw new UserError("input " + name + " does not exist: pass existing files or folders with -f");
        }
        try (Stream<Path> walk = Files.isDirectory(p) ? Files.walk(p) : Stream.of(p)) {
            for (Path file : walk.filter(Files::isRegularFile)
                    .filter(x -> Files.isRegularFile(p) || x.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList()) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    readDocuments(r, file.toString(), sink);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + name + ": " + e.getMessage());
        }
    }

    private void readDocuments(Reader reader, String source, Consumer<HasMetadata> sink) {
        Load load = new Load(LoadSettings.builder().setLabel(source).setCodePointLimit(Integer.MAX_VALUE).build());
        int doc = 0;
        try (Reader r = reader) {
            for (Object o : load.loadAllFromReader(r)) {
                doc++;
                if (o == null) {
                    continue;
                }
                Object parsed;
                try {
                    parsed = serialization.convertValue(o, KubernetesResource.class);
                } catch (RuntimeException e) {
                    throw new UserError(source + ": document " + doc + " is not a Kubernetes object (" + e.getMessage()
                            + "); give YAML or JSON manifests, e.g. kubectl get -A -o yaml");
                }
                switch (parsed) {
                    case KubernetesList list -> list.getItems().forEach(sink);
                    case HasMetadata h -> sink.accept(h);
                    case null, default -> {
                    }
                }
            }
        } catch (YamlEngineException e) {
            throw new UserError(source + ": not YAML or JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new UserError("cannot read " + source + ": " + e.getMessage());
        }
    }

    private void readCluster(Consumer<HasMetadata> sink, PrintWriter err) {
        Config config = kubeconfig != null ? configFrom(kubeconfig) : Config.autoConfigure(context);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            err.println("vigil: reading " + config.getMasterUrl());
            for (Class<? extends HasMetadata> kind : KINDS) {
                String cont = null;
                do {
                    KubernetesResourceList<? extends HasMetadata> page = list(client, kind, cont);
                    page.getItems().forEach(sink);
                    cont = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                } while (cont != null && !cont.isEmpty());
            }
        } catch (KubernetesClientException e) {
            throw new UserError("cannot list objects from " + config.getMasterUrl() + " (" + e.getCode() + " "
                    + e.getMessage() + "): check --kubeconfig/--context and that your identity may list "
                    + "RBAC objects, workloads, services and secrets (kubectl auth can-i list secrets -A)");
        }
    }

    private static <T extends HasMetadata> KubernetesResourceList<T> list(KubernetesClient client, Class<T> kind,
                                                                          String cont) {
        var options = new ListOptionsBuilder().withLimit(PAGE_SIZE).withContinue(cont).build();
        var op = client.resources(kind);
        boolean namespaced = !(kind == ClusterRole.class || kind == ClusterRoleBinding.class || kind == Namespace.class
                || kind == Node.class);
        if (namespaced) {
            return op.inAnyNamespace().list(options);
        }
        return op.list(options);
    }

    private Config configFrom(Path file) {
        try {
            return Config.fromKubeconfig(context, Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UserError("cannot read kubeconfig " + file + ": " + e.getMessage());
        }
    }
}
