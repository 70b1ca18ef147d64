package dev.vigil.detect.alert;

import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.AlertIds;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the alerts of built-in detectors, so that every alert names things the same way: one
 * sentence that says what happened, where (namespace/pod, container, image), by which process and to
 * which peer, with the same facts as Falco-named {@code output_fields} ({@code k8s.ns.name},
 * {@code container.image.repository}, {@code proc.cmdline}, {@code fd.sip} …), the records that
 * triggered it as evidence, the node's hostname and a fresh id. Thread-safe; builders are not.
 */
public final class AlertFactory {

    private final String hostname;
    private final AlertIds ids;

    public AlertFactory(String hostname, AlertIds ids) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** The node name alerts carry. */
    public String hostname() {
        return hostname;
    }

    /** Starts an alert of {@code rule} for something that happened at {@code timeNanos}. */
    public Builder alert(BuiltinRule rule, long timeNanos) {
        return new Builder(rule, timeNanos);
    }

    /** One alert under construction: sentence parts, fields and evidence in the order given. */
    public final class Builder {
        private final BuiltinRule rule;
        private final long timeNanos;
        private final StringBuilder output = new StringBuilder(160);
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final List<String> evidence = new ArrayList<>(1);
        private int evidenceOmitted;
        private WorkloadRef workload;
        private String peer;
        private String subject;

        private Builder(BuiltinRule rule, long timeNanos) {
            this.rule = rule;
            this.timeNanos = timeNanos;
            output.append(rule.name());
        }

        /** Appends text to the sentence. */
        public Builder text(String s) {
            output.append(s);
            return this;
        }

        /** " in ns/pod (container c, image i)" with the container's Falco fields; the workload is the pod's. */
        public Builder inContainer(ContainerIdentity c) {
            if (c == null) {
                return text(" on the host");
            }
            output.append(" in ").append(c.namespace()).append('/').append(c.pod()).append(" (container ")
                    .append(c.container());
            if (c.image() != null) {
                output.append(", image ").append(c.image());
            }
            output.append(')');
            String id = c.containerId();
            field("container.id", id.length() > 12 ? id.substring(0, 12) : id);
            field("container.name", c.container());
            field("container.image.repository", c.image() == null ? null : c.imageRepository());
            field("container.image.tag", c.image() == null ? null : c.imageTag());
            field("k8s.ns.name", c.namespace());
            field("k8s.pod.name", c.pod());
            workload = c.workload();
            return this;
        }

        /**
         * " from ns/pod" (or the address) for the acting end of a connection, with its fields; the
         * workload is the pod's.
         */
        public Builder fromEndpoint(Endpoint e, String ip) {
            output.append(" from ").append(label(e, ip));
            if (e instanceof Endpoint.Pod p) {
                field("k8s.ns.name", p.namespace());
                field("k8s.pod.name", p.name());
                workload = p.workload();
            }
            return this;
        }

        /** " in ns/pod" for a pod that is the subject of a network alert (a listener). */
        public Builder inPod(Endpoint.Pod p) {
            return pod(" in ", p);
        }

        /** " to ns/pod" for a pod that received something (an attack). */
        public Builder toPod(Endpoint.Pod p) {
            return pod(" to ", p);
        }

        private Builder pod(String preposition, Endpoint.Pod p) {
            output.append(preposition).append(p.namespace()).append('/').append(p.name());
            field("k8s.ns.name", p.namespace());
            field("k8s.pod.name", p.name());
            workload = p.workload();
            return this;
        }

        /**
         * " to peer (ip:port/proto)": the peer as the alert names it, with Falco's connection fields
         * ({@code fd.cip}, {@code fd.cport}, {@code fd.sip}, {@code fd.sport}, {@code fd.l4proto}) and
         * {@code fd.sip.name} when the peer has a name.
         */
        public Builder to(String peerLabel, ConnId id) {
            peer = peerLabel;
            output.append(" to ").append(peerLabel);
            if (id != null) {
                if (!peerLabel.equals(id.respH())) {
                    output.append(" (").append(id.respH()).append(':').append(id.respP()).append('/')
                            .append(id.proto()).append(')');
                } else {
                    output.append(':').append(id.respP()).append('/').append(id.proto());
                }
                field("fd.cip", id.origH());
                field("fd.cport", (long) id.origP());
                field("fd.sip", id.respH());
                field("fd.sport", (long) id.respP());
                field("fd.l4proto", id.proto());
                if (!peerLabel.equals(id.respH())) {
                    field("fd.sip.name", peerLabel);
                }
            }
            return this;
        }

        /** Sets the peer used for folding without changing the sentence. */
        public Builder peer(String peerLabel) {
            this.peer = peerLabel;
            return this;
        }

        /** What a host alert is about (an executable, a file), used for folding. */
        public Builder subject(String s) {
            this.subject = s;
            return this;
        }

        /** The workload, when no container or pod set it. */
        public Builder workload(WorkloadRef w) {
            this.workload = w;
            return this;
        }

        /** "; why": the detector's reason, thresholds and measured values. */
        public Builder because(String reason) {
            output.append("; ").append(reason);
            return this;
        }

        /** A Falco-named (or {@code vigil.}-prefixed) field; null values are kept as JSON null only when explicit. */
        public Builder field(String name, Object value) {
            if (value != null) {
                fields.put(name, value);
            }
            return this;
        }

        /** A triggering record; beyond {@link Alert#MAX_EVIDENCE} records only counted. */
        public Builder evidence(LogRecord record) {
            if (evidence.size() < Alert.MAX_EVIDENCE) {
                evidence.add(record.toJson());
            } else {
                evidenceOmitted++;
            }
            return this;
        }

        public String output() {
            return output.toString();
        }

        public Alert build() {
            fields.putIfAbsent("evt.time", timeNanos);
            return new Alert(ids.next(timeNanos), timeNanos, rule.name(), rule.priority(), rule.source(), hostname,
                    output.toString(), rule.tags(), fields, workload, peer, subject, rule.mitre(), evidence,
                    evidenceOmitted, 1, timeNanos, timeNanos);
        }
    }

    /** {@code ns/pod}, {@code svc:ns/name}, {@code node:name}, the DNS name or the address. */
    public static String label(Endpoint e, String ip) {
        return e == null ? ip : e.label();
    }
}
