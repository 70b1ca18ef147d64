package dev.vigil.model.identity;

import dev.vigil.model.record.FieldSink;

/**
 * Writes identities as record fields, one vocabulary for every sensor. Null and unknown values are
 * skipped (sinks skip nulls).
 *
 * <p>Containers, with Falco's names: {@code container.id} (the 12-character short id, as Falco prints
 * it), {@code container.full_id}, {@code container.name}, {@code container.type} (the runtime),
 * {@code container.image}, {@code container.image.repository}, {@code container.image.tag},
 * {@code container.image.digest}, {@code k8s.ns.name}, {@code k8s.pod.name}, {@code k8s.pod.uid}, and
 * Vigil's {@code k8s.workload.kind} and {@code k8s.workload.name} for the root owner.
 *
 * <p>Flow endpoints, with the side as prefix as Zeek does ({@code orig_bytes}): a pod writes
 * {@code orig_namespace}, {@code orig_pod}, {@code orig_workload} ({@code namespace/name}) and
 * {@code orig_workload_kind}; a Service {@code orig_namespace} and {@code orig_service}; a node
 * {@code orig_node}; an external address {@code orig_name} when its DNS name is known. The same with
 * {@code resp_}. These are the names the network pipeline writes.
 */
public final class IdentityFieldWriter {

    private static final int SHORT_ID_LENGTH = 12;

    /** Which end of a connection an endpoint is, with its field names prepared. */
    public enum Side {
        ORIG("orig_"),
        RESP("resp_");

        private final String namespace;
        private final String pod;
        private final String workload;
        private final String workloadKind;
        private final String service;
        private final String node;
        private final String name;

        Side(String prefix) {
            namespace = prefix + "namespace";
            pod = prefix + "pod";
            workload = prefix + "workload";
            workloadKind = prefix + "workload_kind";
            service = prefix + "service";
            node = prefix + "node";
            name = prefix + "name";
        }
    }

    private IdentityFieldWriter() {
    }

    /** Writes the container's Falco fields. */
    public static void container(FieldSink sink, ContainerIdentity c) {
        String id = c.containerId();
        sink.string("container.id", id.length() > SHORT_ID_LENGTH ? id.substring(0, SHORT_ID_LENGTH) : id)
                .string("container.full_id", id)
                .string("container.name", c.container())
                .string("container.type", c.runtime());
        if (c.image() != null) {
            sink.string("container.image", c.image())
                    .string("container.image.repository", c.imageRepository())
                    .string("container.image.tag", c.imageTag());
        }
        sink.string("container.image.digest", c.imageDigest())
                .string("k8s.ns.name", c.namespace())
                .string("k8s.pod.name", c.pod())
                .string("k8s.pod.uid", c.podUid());
        if (c.workload() != null) {
            sink.string("k8s.workload.kind", c.workload().kind()).string("k8s.workload.name", c.workload().name());
        }
    }

    /** Writes one side of a flow; nothing for a null endpoint. */
    public static void endpoint(FieldSink sink, Side side, Endpoint e) {
        switch (e) {
            case Endpoint.Pod p -> {
                sink.string(side.namespace, p.namespace()).string(side.pod, p.name());
                if (p.workload() != null) {
                    sink.string(side.workload, p.workload().qualifiedName())
                            .string(side.workloadKind, p.workload().kind());
                }
            }
            case Endpoint.Service s -> sink.string(side.namespace, s.namespace()).string(side.service, s.name());
            case Endpoint.Node n -> sink.string(side.node, n.name());
            case Endpoint.External x -> sink.string(side.name, x.dnsName());
            case null -> {
            }
        }
    }
}
