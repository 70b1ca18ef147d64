package dev.vigil.kube.identity;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.record.FieldSink;

/**
 * Writes identities as record fields, so that the network and host sensors enrich records the same
 * way. Null and unknown values are skipped (sinks skip nulls).
 *
 * <p>Containers, with Falco's names: {@code container.id} (the 12-character short id, as Falco prints
 * it), {@code container.full_id}, {@code container.name}, {@code container.type} (the runtime),
 * {@code container.image}, {@code container.image.repository}, {@code container.image.tag},
 * {@code container.image.digest}, {@code k8s.ns.name}, {@code k8s.pod.name}, {@code k8s.pod.uid}, and
 * Vigil's {@code k8s.workload.kind} and {@code k8s.workload.name} for the root owner.
 *
 * <p>Flow endpoints, Zeek style with the side as prefix ({@code orig_}, {@code resp_}, like
 * {@code orig_bytes}): {@code orig_kind} ({@code pod}, {@code service}, {@code node},
 * {@code external}), {@code orig_namespace}, {@code orig_name} (pod, Service or node name; for an
 * external address the DNS name when known), {@code orig_workload_kind}, {@code orig_workload} (root
 * owner's kind and name) and {@code orig_node} (the pod's node).
 */
public final class IdentityFields {

    /** Which end of a connection an endpoint is, with its field names prepared. */
    public enum Side {
        ORIG("orig"),
        RESP("resp");

        final String kind;
        final String namespace;
        final String name;
        final String workloadKind;
        final String workload;
        final String node;

        Side(String prefix) {
            kind = prefix + "_kind";
            namespace = prefix + "_namespace";
            name = prefix + "_name";
            workloadKind = prefix + "_workload_kind";
            workload = prefix + "_workload";
            node = prefix + "_node";
        }
    }

    private IdentityFields() {
    }

    /** Writes the container's Falco fields. */
    public static void container(FieldSink sink, ContainerIdentity c) {
        String id = c.containerId();
        sink.string("container.id", id.length() > ContainerIds.SHORT_LENGTH ? id.substring(0, ContainerIds.SHORT_LENGTH)
                : id)
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

    /** Writes one side of a flow. */
    public static void endpoint(FieldSink sink, Side side, Endpoint e) {
        switch (e) {
            case Endpoint.Pod p -> {
                sink.string(side.kind, "pod").string(side.namespace, p.namespace()).string(side.name, p.name());
                if (p.workload() != null) {
                    sink.string(side.workloadKind, p.workload().kind()).string(side.workload, p.workload().name());
                }
                sink.string(side.node, p.node());
            }
            case Endpoint.Service s ->
                    sink.string(side.kind, "service").string(side.namespace, s.namespace()).string(side.name, s.name());
            case Endpoint.Node n -> sink.string(side.kind, "node").string(side.name, n.name());
            case Endpoint.External x -> sink.string(side.kind, "external").string(side.name, x.dnsName());
        }
    }
}
