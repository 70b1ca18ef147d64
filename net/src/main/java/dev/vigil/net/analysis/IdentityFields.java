package dev.vigil.net.analysis;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * A network record with the cluster identities of both endpoints appended: for pods
 * {@code orig_namespace}, {@code orig_pod}, {@code orig_workload} ({@code namespace/name}) and
 * {@code orig_workload_kind}; for services {@code *_service}; for nodes {@code *_node}; for outside
 * addresses with a known DNS name {@code *_name}; the same with {@code resp_} for the responder.
 */
public record IdentityFields(LogRecord record, Endpoint orig, Endpoint resp) implements LogRecord {

    @Override
    public String log() {
        return record.log();
    }

    @Override
    public double ts() {
        return record.ts();
    }

    @Override
    public void writeTo(FieldSink sink) {
        record.writeTo(sink);
        write(sink, "orig_", orig);
        write(sink, "resp_", resp);
    }

    private static void write(FieldSink sink, String side, Endpoint e) {
        switch (e) {
            case Endpoint.Pod pod -> {
                sink.string(side + "namespace", pod.namespace()).string(side + "pod", pod.name());
                if (pod.workload() != null) {
                    sink.string(side + "workload", pod.workload().qualifiedName())
                            .string(side + "workload_kind", pod.workload().kind());
                }
            }
            case Endpoint.Service svc -> sink.string(side + "namespace", svc.namespace()).string(side + "service", svc.name());
            case Endpoint.Node node -> sink.string(side + "node", node.name());
            case Endpoint.External ext -> sink.string(side + "name", ext.dnsName());
            case null -> {
            }
        }
    }
}
