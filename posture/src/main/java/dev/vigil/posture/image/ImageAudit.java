package dev.vigil.posture.image;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import dev.vigil.posture.report.Severity;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.PodTemplate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Image integrity of workloads: is each image pinned by digest, is every digest that runs (the
 * {@code imageID} in the status of the workload's pods) the one declared or the one its tag names now, and — with a key and a source —
 * is it signed by that key ({@link CosignVerifier}). Verification results are cached per repository
 * and digest, so a cluster running one image in many pods verifies it once.
 */
public final class ImageAudit {

    private static final Pattern RUNNING_DIGEST = Pattern.compile("@(sha256:[0-9a-f]{64})$");

    private final ImageSource source;
    private final CosignVerifier verifier;
    private final Map<String, CosignVerifier.Result> verified = new HashMap<>();
    private final Map<String, Optional<String>> resolved = new HashMap<>();

    /**
     * @param source   where tags resolve and signatures are read; null to check pinning and drift only
     * @param verifier null to skip signature verification
     */
    public ImageAudit(ImageSource source, CosignVerifier verifier) {
        this.source = source;
        this.verifier = verifier;
    }

    /**
     * Findings for every container image of {@code w}; {@code pods} are the Pods that run it (itself when
     * it is a Pod, those its controllers made when it is a workload controller, see
     * {@link PodTemplate#byTopLevel}), whose status says which digests run.
     */
    public List<Finding> audit(PodTemplate w, List<PodTemplate> pods) {
        List<Finding> out = new ArrayList<>();
        Resource res = w.resource();
        for (JsonNode c : w.containers()) {
            String name = KubeObject.text(c.get("name"));
            String where = w.describe() + " container " + name;
            ImageReference ref;
            try {
                ref = ImageReference.parse(KubeObject.text(c.get("image")));
            } catch (IllegalArgumentException e) {
                out.add(finding("image.invalid-reference", "Image reference cannot be parsed", Severity.MEDIUM, res,
                        where + ": " + e.getMessage(), "Fix the image reference.", List.of()));
                continue;
            }
            out.addAll(check(ref, runningDigests(pods, name), res, where));
        }
        return out;
    }

    /** Findings for an image reference given directly ({@code vigil audit images --image REF}). */
    public List<Finding> audit(String image) {
        Resource res = new Resource("Image", null, image, null);
        try {
            return check(ImageReference.parse(image), Set.of(), res, "image " + image);
        } catch (IllegalArgumentException e) {
            return List.of(finding("image.invalid-reference", "Image reference cannot be parsed", Severity.MEDIUM, res,
                    e.getMessage(), "Fix the image reference.", List.of()));
        }
    }

    private List<Finding> check(ImageReference ref, Set<String> running, Resource res, String where) {
        List<Finding> out = new ArrayList<>();
        if (!ref.pinned()) {
            out.add(finding("image.unpinned", "Image not pinned by digest", Severity.MEDIUM, res,
                    where + " uses " + ref + " by tag: the tag can be re-pointed to other content",
                    "Reference the image as " + ref.name() + "@sha256:… (the digest you tested and signed).",
                    List.of("CIS 5.5.1", "NSA/CISA Kubernetes Hardening Guide: image integrity")));
        } else {
            for (String r : running) {
                if (!r.equals(ref.digest())) {
                    out.add(finding("image.digest-drift", "Running digest differs from the pinned digest", Severity.CRITICAL, res,
                            where + " declares " + ref.digest() + " but runs " + r,
                            "Find out how the node got other content for a pinned digest; restart the pod from the registry.",
                            List.of()));
                }
            }
        }
        String tagDigest = null;
        if (!ref.pinned() && source != null) {
            tagDigest = resolveTag(ref, out, res, where);
            for (String r : running) {
                if (tagDigest != null && !r.equals(tagDigest)) {
                    out.add(finding("image.tag-drift", "Running digest differs from what the tag names now", Severity.HIGH, res,
                            where + " runs " + r + " but " + ref + " now names " + tagDigest + " in " + source.describe(),
                            "Pin the image by digest; redeploy if the running content is not the one you meant.",
                            List.of()));
                }
            }
        }
        if (verifier != null && source != null) {
            Set<String> digests = ref.pinned() ? Set.of(ref.digest())
                    : !running.isEmpty() ? running
                    : tagDigest != null ? Set.of(tagDigest) : Set.of();
            if (digests.isEmpty()) {
                out.add(finding("image.verify-error", "Image signature not checked", Severity.MEDIUM, res,
                        where + ": no digest to verify (" + ref + " is not pinned, not running, and its tag is not in "
                                + source.describe() + ")",
                        "Pin the image by digest or point --layout/--registry at where it is stored.", List.of()));
            }
            for (String digest : digests) {
                out.add(signatureFinding(verified.computeIfAbsent(ref.repository() + "@" + digest,
                        k -> verifier.verify(source, ref.repository(), digest)), ref, res, where));
            }
        }
        return out;
    }

    private String resolveTag(ImageReference ref, List<Finding> out, Resource res, String where) {
        Optional<String> d = resolved.computeIfAbsent(ref.repository() + ":" + ref.tag(), k -> {
            try {
                return source.manifest(ref.repository(), ref.tag()).map(ImageSource.Manifest::digest);
            } catch (IOException e) {
                out.add(finding("image.verify-error", "Image tag not resolved", Severity.MEDIUM, res,
                        where + ": " + e.getMessage(), "Check that the source is reachable.", List.of()));
                return Optional.empty();
            }
        });
        return d.orElse(null);
    }

    private static Finding signatureFinding(CosignVerifier.Result r, ImageReference ref, Resource res, String where) {
        String msg = where + " (" + ref.name() + "@" + r.digest() + "): " + r.message();
        return switch (r.status()) {
            case VERIFIED -> finding("image.signature-verified", "Image signature verified", Severity.INFO, res, msg,
                    "Nothing to do.", List.of());
            case UNSIGNED -> finding("image.unsigned", "Image has no signature", Severity.HIGH, res, msg,
                    "Sign the image digest with cosign sign --key cosign.key and deploy only signed digests.", List.of());
            case BAD_SIGNATURE -> finding("image.bad-signature", "Image signature does not verify", Severity.CRITICAL, res, msg,
                    "Treat the image as untrusted: find who pushed the signature; re-sign from a trusted build.", List.of());
            case DIGEST_MISMATCH -> finding("image.signature-digest-mismatch", "Signature signs another digest",
                    Severity.CRITICAL, res, msg,
                    "Treat the image as untrusted: the tag points at content nobody signed.", List.of());
            case TAMPERED -> finding("image.tampered", "Image content does not match its digests", Severity.CRITICAL, res, msg,
                    "Treat the image as tampered: re-pull it from a trusted registry and find who changed it.", List.of());
            case ERROR -> finding("image.verify-error", "Image signature not checked", Severity.MEDIUM, res, msg,
                    "Check that the registry or layout is reachable and complete.", List.of());
        };
    }

    /** The manifest digests the status of {@code pods} reports for {@code container} (image ids without one are skipped). */
    static Set<String> runningDigests(List<PodTemplate> pods, String container) {
        Set<String> out = new LinkedHashSet<>();
        for (PodTemplate p : pods) {
            JsonNode status = p.status();
            for (String field : new String[] {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
                for (JsonNode s : status.path(field)) {
                    String imageId = KubeObject.text(s.get("imageID"));
                    if (container != null && container.equals(KubeObject.text(s.get("name"))) && imageId != null) {
                        Matcher m = RUNNING_DIGEST.matcher(imageId);
                        if (m.find()) {
                            out.add(m.group(1));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Finding finding(String check, String title, Severity sev, Resource res, String message,
                                   String remediation, List<String> references) {
        return new Finding(check, title, sev, res, message, remediation, references,
                sev == Severity.INFO ? List.of() : List.of("T1525"), null);
    }
}
