package dev.vigil.model.alert;

import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.record.JsonLine;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A detection, in Falco's alert format plus Vigil's fields, so that falcosidekick and every Falco
 * consumer take it unchanged while Vigil's own tools get the workload, MITRE mapping and the records
 * that triggered it.
 *
 * <p>Falco's keys: {@code time} (RFC 3339, UTC, always nine fraction digits), {@code rule},
 * {@code priority} (Falco's names), {@code source} ({@code syscall} for host events, {@code vigil_net}
 * for network records), {@code hostname} (the node), {@code output} (one readable sentence),
 * {@code tags}, {@code output_fields} (Falco field names: {@code k8s.ns.name}, {@code proc.cmdline},
 * {@code fd.sip} …; values are strings, numbers or booleans). Vigil's keys: {@code id} (unique, sorts
 * by time, see {@link AlertIds}), {@code workload} ({@code {namespace, kind, name}} of the root owner),
 * {@code peer} (the other end of a network alert, as {@code ns/name} or a DNS name or an address),
 * {@code subject} (what a host alert is about: an executable, a file), {@code mitre} (see
 * {@link Mitre}), {@code count}, {@code first_seen}, {@code last_seen} (repeats folded into this
 * alert; 1 and this alert's own time when it stands alone) and {@code evidence} (the triggering
 * records as their JSON objects, at most {@link #MAX_EVIDENCE}; {@code evidence_omitted} counts the
 * rest). Absent values are not written.
 *
 * @param timeNanos       when it happened (for a folded summary: when the fold window closed), epoch nanoseconds
 * @param outputFields    Falco-named fields in the order they are rendered; values String, Long, Integer, Boolean or Double
 * @param workload        the root owner of the pod concerned, or null (host process, unknown address)
 * @param evidence        JSON objects of triggering records, at most {@link #MAX_EVIDENCE}
 * @param evidenceOmitted triggering records not kept in {@code evidence}
 */
public record Alert(
        String id,
        long timeNanos,
        String rule,
        Priority priority,
        String source,
        String hostname,
        String output,
        List<String> tags,
        Map<String, Object> outputFields,
        WorkloadRef workload,
        String peer,
        String subject,
        List<Mitre> mitre,
        List<String> evidence,
        int evidenceOmitted,
        long count,
        long firstSeenNanos,
        long lastSeenNanos) {

    /** Evidence records kept on one alert. */
    public static final int MAX_EVIDENCE = 8;

    /** The {@code source} of alerts about host events, Falco's name for its system-call source. */
    public static final String SOURCE_SYSCALL = "syscall";
    /** The {@code source} of alerts about network records. */
    public static final String SOURCE_NET = "vigil_net";

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(output, "output");
        tags = List.copyOf(tags);
        outputFields = Collections.unmodifiableMap(new LinkedHashMap<>(outputFields));
        mitre = List.copyOf(mitre);
        evidence = List.copyOf(evidence);
        if (evidence.size() > MAX_EVIDENCE) {
            throw new IllegalArgumentException("evidence: " + evidence.size() + " records, at most " + MAX_EVIDENCE
                    + "; count the others in evidenceOmitted");
        }
        if (count < 1 || firstSeenNanos > lastSeenNanos) {
            throw new IllegalArgumentException("fold: count=" + count + " first_seen=" + firstSeenNanos
                    + " last_seen=" + lastSeenNanos + "; count must be at least 1 and first_seen <= last_seen");
        }
    }

    /**
     * A summary of repeats of this alert: a new id, time and output sentence, {@code count} repeats
     * seen between {@code firstSeenNanos} and {@code lastSeenNanos}, with their evidence.
     */
    public Alert folded(String newId, long timeNanos, String output, long count, long firstSeenNanos,
                        long lastSeenNanos, List<String> evidence, int evidenceOmitted) {
        return new Alert(newId, timeNanos, rule, priority, source, hostname, output, tags, outputFields, workload, peer,
                subject, mitre, evidence, evidenceOmitted, count, firstSeenNanos, lastSeenNanos);
    }

    /** This alert as one JSON object (no trailing newline). */
    public String toJson() {
        StringBuilder out = new StringBuilder(512);
        writeJson(out);
        return out.toString();
    }

    /** Appends this alert as one JSON object to {@code out}. */
    public void writeJson(StringBuilder out) {
        StringBuilder line = new StringBuilder(512);
        JsonLine json = new JsonLine(line).reset();
        json.string("time", Rfc3339.format(timeNanos))
                .string("rule", rule)
                .string("priority", priority.label())
                .string("source", source)
                .string("hostname", hostname)
                .string("output", output)
                .strings("tags", tags)
                .raw("output_fields", fields(outputFields))
                .string("id", id);
        if (workload != null) {
            json.raw("workload", new JsonLine().reset().string("namespace", workload.namespace())
                    .string("kind", workload.kind()).string("name", workload.name()).end());
        }
        json.string("peer", peer).string("subject", subject);
        StringBuilder techniques = new StringBuilder("[");
        for (Mitre m : mitre) {
            if (techniques.length() > 1) {
                techniques.append(',');
            }
            techniques.append(new JsonLine().reset().string("technique", m.technique()).string("name", m.name())
                    .string("tactic", m.tactic()).end());
        }
        json.raw("mitre", techniques.append(']'))
                .number("count", count)
                .string("first_seen", Rfc3339.format(firstSeenNanos))
                .string("last_seen", Rfc3339.format(lastSeenNanos));
        json.raw("evidence", "[" + String.join(",", evidence) + "]");
        if (evidenceOmitted > 0) {
            json.number("evidence_omitted", evidenceOmitted);
        }
        out.append(json.end());
    }

    private static CharSequence fields(Map<String, Object> fields) {
        JsonLine json = new JsonLine().reset();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            switch (e.getValue()) {
                case null -> json.raw(e.getKey(), "null");
                case String s -> json.string(e.getKey(), s);
                case Long l -> json.number(e.getKey(), l);
                case Integer i -> json.number(e.getKey(), i);
                case Boolean b -> json.bool(e.getKey(), b);
                case Double d -> json.decimal(e.getKey(), d);
                default -> json.string(e.getKey(), e.getValue().toString());
            }
        }
        return json.end();
    }
}
