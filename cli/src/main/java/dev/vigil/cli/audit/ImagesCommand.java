package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.image.CosignVerifier;
import dev.vigil.posture.image.ImageAudit;
import dev.vigil.posture.image.ImageSource;
import dev.vigil.posture.image.OciLayout;
import dev.vigil.posture.image.RegistryClient;
import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.PodTemplate;
import dev.vigil.posture.source.ResourceKind;
import dev.vigil.posture.waiver.Waivers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil audit images}: digest pinning, running digest against the declared reference, and
 * cosign key-based signatures read from an OCI layout or a registry.
 */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Check image integrity: pinned digests, the digest that runs against the one declared or "
                + "tagged, and cosign signatures (--key) from an OCI layout (--layout) or a registry (--registry).",
                "With --image, checks the given references instead of a cluster's workloads.",
                "Exit codes: 0 done, 3 --fail-on matched, 1 error, 2 usage."})
public final class ImagesCommand implements Callable<Integer> {

    @Option(names = "--key", paramLabel = "FILE", description = "cosign public key (PEM, ECDSA P-256) to verify signatures with.")
    Path key;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--layout", paramLabel = "DIR", description = "OCI image layout holding the images and their sha256-….sig signatures.")
        Path layout;

        @Option(names = "--registry", paramLabel = "URL", description = "Registry to read manifests and signatures from (OCI distribution API), e.g. https://registry.example.")
        URI registry;
    }

    @Option(names = "--registry-user", description = "User for registry authentication (token or basic).")
    String registryUser;

    @Option(names = "--registry-password", description = "Password or token for the registry (default: $VIGIL_REGISTRY_PASSWORD).")
    String registryPassword;

    @Option(names = "--image", paramLabel = "REF", description = "Check this image reference (repeatable) instead of reading workloads.")
    List<String> images = new ArrayList<>();

    @Mixin
    InputOptions input;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Waivers waivers = report.loadWaivers();
        ImageSource src = source();
        CosignVerifier verifier = null;
        if (key != null) {
            if (src == null) {
                throw new UserError("--key needs a place to read signatures from: add --layout DIR or --registry URL");
            }
            try {
                verifier = new CosignVerifier(CosignVerifier.readPublicKey(Files.readString(key)));
            } catch (IOException | GeneralSecurityException e) {
                throw new UserError("cannot use --key " + key + ": " + e.getMessage());
            }
        }
        ImageAudit audit = new ImageAudit(src, verifier);
        List<Finding> findings = new ArrayList<>();
        Summary summary;
        String described;
        if (!images.isEmpty()) {
            images.forEach(i -> findings.addAll(audit.audit(i)));
            summary = new Summary(images.size(), 0, List.of(), null);
            described = "images " + String.join(", ", images);
        } else {
            KubernetesClient client = input.fromFiles() ? null : input.client();
            try {
                var objects = input.source(client, ResourceKind.WORKLOADS);
                List<PodTemplate> workloads = new ArrayList<>();
                summary = AuditRun.collect(objects, o -> {
                    PodTemplate pod = PodTemplate.of(o);
                    if (pod != null) {
                        workloads.add(pod);
                    }
                }, spec.commandLine().getErr());
                Map<String, List<PodTemplate>> runners = PodTemplate.byTopLevel(workloads);
                for (PodTemplate w : PodTemplate.topLevel(workloads)) {
                    findings.addAll(audit.audit(w, runners.get(w.key())));
                }
                described = objects.describe();
            } finally {
                if (client != null) {
                    client.close();
                }
            }
        }
        AuditInfo info = new AuditInfo("images", "Image integrity", described + (src == null ? "" : " against " + src.describe()),
                AuditInfo.vigilVersion(), List.of());
        return FindingReport.write(report, waivers, info, findings::forEach, summary, spec.commandLine().getErr());
    }

    private ImageSource source() {
        if (source == null) {
            return null;
        }
        if (source.layout != null) {
            try {
                return OciLayout.open(source.layout);
            } catch (IOException e) {
                throw new UserError("--layout " + source.layout + ": " + e.getMessage());
            }
        }
        String scheme = source.registry.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new UserError("--registry " + source.registry + ": give an http:// or https:// URL");
        }
        String password = registryPassword != null ? registryPassword : System.getenv("VIGIL_REGISTRY_PASSWORD");
        return new RegistryClient(source.registry, registryUser, password);
    }
}
