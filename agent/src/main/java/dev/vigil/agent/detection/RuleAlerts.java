package dev.vigil.agent.detection;

import dev.vigil.detect.rules.Match;
import dev.vigil.detect.rules.Rule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.AlertIds;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.record.LogRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a rule engine {@link Match} into an {@link Alert} like the built-in detectors' ones: Falco's
 * keys from the rule and the match (output sentence, {@code output_fields}), plus the identity fields
 * every alert carries where they apply ({@code k8s.ns.name}, {@code k8s.pod.name},
 * {@code container.id}, {@code container.name}, {@code container.image.repository}, {@code proc.*},
 * the connection), the workload, MITRE from the rule's tags ({@link MitreCatalog}), the event as
 * evidence, and the folding key: the subject of a host alert is its executable (or file), its peer the
 * connection's remote end. Thread-safe.
 */
public final class RuleAlerts {

    private final String hostname;
    private final AlertIds ids;
    private final Map<Rule, RuleFacts> facts = new ConcurrentHashMap<>();

    private record RuleFacts(List<String> tags, List<Mitre> mitre) {
    }

    public RuleAlerts(String hostname, AlertIds ids) {
        this.hostname = hostname;
        this.ids = ids;
    }

    private RuleFacts facts(Rule rule) {
        return facts.computeIfAbsent(rule, r -> {
            List<String> tags = r.tags().stream().sorted().toList();
            return new RuleFacts(tags, MitreCatalog.fromTags(tags));
        });
    }

    /** The alert of a rule that matched host event {@code e}. */
    public Alert host(Match m, HostEvent e) {
        Map<String, Object> fields = new LinkedHashMap<>(m.outputFields());
        HostEvent.Container c = e.container();
        ContainerIdentity id = c == null ? null : c.identity();
        if (id != null) {
            fields.putIfAbsent("k8s.ns.name", id.namespace());
            fields.putIfAbsent("k8s.pod.name", id.pod());
            fields.putIfAbsent("container.name", id.container());
            fields.putIfAbsent("container.image.repository", id.imageRepository());
        }
        if (c != null) {
            fields.putIfAbsent("container.id", c.id().length() > 12 ? c.id().substring(0, 12) : c.id());
        }
        HostEvent.Process p = e.proc();
        fields.putIfAbsent("proc.name", p.name());
        fields.putIfAbsent("proc.exepath", p.exepath());
        fields.putIfAbsent("proc.pid", (long) p.pid());
        HostEvent.Fd fd = e.fd();
        String peer = null;
        String subject = p.exepath() != null ? p.exepath() : p.name();
        if (fd != null) {
            if (fd.sip() != null) {
                peer = fd.sip() + ":" + fd.sport();
                fields.putIfAbsent("fd.sip", fd.sip());
                fields.putIfAbsent("fd.sport", (long) fd.sport());
            } else if (fd.name() != null && "open".equals(e.type())) {
                subject = fd.name();
                fields.putIfAbsent("fd.name", fd.name());
            }
        }
        fields.putIfAbsent("evt.time", e.timeNanos());
        return alert(m, e.timeNanos(), fields, id == null ? null : id.workload(), peer, subject, e);
    }

    /**
     * The alert of a rule that matched network record {@code record} between {@code orig} and
     * {@code resp} (null when not resolved); the workload is the originator's pod's, else the responder's.
     */
    public Alert network(Match m, LogRecord record, Endpoint orig, Endpoint resp) {
        Map<String, Object> fields = new LinkedHashMap<>(m.outputFields());
        WorkloadRef workload = null;
        if (orig instanceof Endpoint.Pod p) {
            fields.putIfAbsent("k8s.ns.name", p.namespace());
            fields.putIfAbsent("k8s.pod.name", p.name());
            workload = p.workload();
        } else if (resp instanceof Endpoint.Pod p) {
            fields.putIfAbsent("k8s.ns.name", p.namespace());
            fields.putIfAbsent("k8s.pod.name", p.name());
            workload = p.workload();
        }
        long nanos = Math.round(record.ts() * 1e6) * 1000L;
        fields.putIfAbsent("evt.time", nanos);
        return alert(m, nanos, fields, workload, resp != null ? resp.label() : null, orig != null ? orig.label() : null,
                record);
    }

    private Alert alert(Match m, long nanos, Map<String, Object> fields, WorkloadRef workload, String peer, String subject,
                        LogRecord evidence) {
        RuleFacts f = facts(m.rule());
        return new Alert(ids.next(nanos), nanos, m.rule().name(), m.rule().priority(), m.rule().source(), hostname,
                m.output(), f.tags(), fields, workload, peer, subject, f.mitre(), List.of(evidence.toJson()), 0, 1, nanos,
                nanos);
    }
}
