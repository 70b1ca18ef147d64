package dev.vigil.posture.pss;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Rule;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.Anomalies;
import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.PodTemplate;
import dev.vigil.posture.waiver.Waivers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code vigil audit pss} as a sink: evaluates every Pod and pod template streaming past at a fixed
 * level and version, or, with no level given, at the levels each object's namespace labels ask for
 * (Namespace objects must stream before the objects they hold, or be given to {@link #namespace}).
 * Each evaluation becomes a {@link Result} holding the decision and its violations as waived or open
 * {@link Finding findings}; Namespace objects and objects without pods are counted, not judged.
 */
public final class PssAudit implements ObjectSink {

    /** One evaluation of one object: the decision, the modes that asked for it (empty at a fixed level) and its findings. */
    public record Result(KubeObject object, Decision decision, List<String> modes, List<Finding> findings) {
    }

    private final NamespacePolicy.LevelVersion fixed;
    private final Waivers waivers;
    private final Consumer<Result> results;
    private final Map<String, NamespacePolicy> namespaces = new HashMap<>();
    private final Anomalies anomalies = new Anomalies();
    private long objects;
    private long evaluated;
    private long rejected;

    /**
     * @param level   the level to evaluate at, or null to follow namespace labels
     * @param version the policy version with a fixed level
     */
    public PssAudit(Level level, PolicyVersion version, Waivers waivers, Consumer<Result> results) {
        this.fixed = level == null ? null : new NamespacePolicy.LevelVersion(level, version);
        this.waivers = waivers;
        this.results = results;
    }

    /** Remembers a namespace's labels (label mode); also done for Namespace objects streaming past. */
    public void namespace(String name, Map<String, String> labels) {
        namespaces.put(name, NamespacePolicy.of(labels));
    }

    @Override
    public void object(KubeObject object) {
        objects++;
        if (object.kind().equals("Namespace")) {
            namespace(object.name(), object.labels());
            return;
        }
        PodTemplate pod = PodTemplate.of(object);
        if (pod == null) {
            return;
        }
        if (fixed != null) {
            judge(object, pod, fixed, List.of());
            return;
        }
        String ns = object.namespace() == null ? "default" : object.namespace();
        NamespacePolicy policy = namespaces.getOrDefault(ns, NamespacePolicy.UNLABELLED);
        for (Map.Entry<NamespacePolicy.LevelVersion, List<String>> e : policy.evaluations().entrySet()) {
            judge(object, pod, e.getKey(), e.getValue());
        }
    }

    private void judge(KubeObject object, PodTemplate pod, NamespacePolicy.LevelVersion lv, List<String> modes) {
        Decision d = PodSecurity.evaluate(lv.level(), lv.version(), pod);
        evaluated++;
        if (!d.allowed()) {
            rejected++;
        }
        List<Finding> findings = new ArrayList<>(d.violations().size());
        if (!d.violations().isEmpty()) {
            Map<String, String> annotations = new LinkedHashMap<>(object.annotations());
            annotations.putAll(pod.annotations());
            for (Violation v : d.violations()) {
                findings.add(waivers.apply(finding(object, d, v, modes), annotations));
            }
        }
        results.accept(new Result(object, d, modes, findings));
    }

    private static Finding finding(KubeObject object, Decision d, Violation v, List<String> modes) {
        PodSecurity.Check check = CHECKS.get(v.check());
        StringBuilder message = new StringBuilder(v.message());
        message.append(" [").append(d.level().label()).append(':').append(d.version().label());
        if (!modes.isEmpty()) {
            message.append(' ').append(String.join("/", modes));
        }
        if (v.overriddenBy() != null) {
            message.append("; the admission reports it as ").append(v.overriddenBy());
        }
        message.append(']');
        List<String> references = new ArrayList<>(check.cis());
        references.add("Pod Security Standards " + check.level().label());
        return new Finding(v.check(), check.title(), check.severity(), object.resource(), message.toString(),
                check.remediation(), references, check.mitre(), null);
    }

    private static final Map<String, PodSecurity.Check> CHECKS = new HashMap<>();

    static {
        for (PodSecurity.Check c : PodSecurity.checks()) {
            CHECKS.put(c.id(), c);
        }
    }

    /** The report rules: one per check of the standard. */
    public static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (PodSecurity.Check c : PodSecurity.checks()) {
            List<String> tags = new ArrayList<>(c.mitre());
            tags.addAll(c.cis());
            tags.add("pss-" + c.level().label());
            out.add(new Rule(c.id(), c.title(), c.title() + " (Pod Security Standards, " + c.level().label() + ")",
                    c.remediation(), c.severity(), tags, "https://kubernetes.io/docs/concepts/security/pod-security-standards/"));
        }
        return out;
    }

    @Override
    public void anomaly(Anomaly anomaly) {
        anomalies.add(anomaly);
    }

    /** The report summary of what streamed past so far. */
    public Summary summary() {
        return new Summary(objects, anomalies.count(), anomalies.messages(), note());
    }

    /** {@code 37 of 1200 evaluations rejected}. */
    public String note() {
        return rejected + " of " + evaluated + (evaluated == 1 ? " evaluation" : " evaluations") + " rejected";
    }
}
