package dev.vigil.detect.detector;

import dev.vigil.model.identity.Endpoint;

/** What network detectors read off records and endpoints, named once. */
final class NetFacts {

    private NetFacts() {
    }

    /** A record's {@code ts} (seconds) as epoch nanoseconds. */
    static long nanos(double ts) {
        return Math.round(ts * 1e6) * 1000L;
    }

    /** The namespace of a pod or Service endpoint, else null. */
    static String namespace(Endpoint e) {
        return switch (e) {
            case Endpoint.Pod p -> p.namespace();
            case Endpoint.Service s -> s.namespace();
            case null, default -> null;
        };
    }

    /**
     * How an alert names the responder: the name the pod's own DNS answers gave an external address,
     * else the name enrichment knew, else the address; {@code ns/pod}, {@code svc:ns/name},
     * {@code node:name} inside the cluster.
     */
    static String peerLabel(Endpoint resp, String ip, DnsNames names, Endpoint orig) {
        return orig instanceof Endpoint.Pod p ? peerLabel(resp, ip, names, p.namespace(), p.name())
                : peerLabel(resp, ip, names, null, null);
    }

    /** {@link #peerLabel(Endpoint, String, DnsNames, Endpoint)} for a pod known by namespace and name (or none). */
    static String peerLabel(Endpoint resp, String ip, DnsNames names, String podNamespace, String pod) {
        if (resp == null || resp instanceof Endpoint.External) {
            if (pod != null) {
                String n = names.name(podNamespace, pod, ip);
                if (n != null) {
                    return n;
                }
            }
            return resp == null ? ip : resp.label();
        }
        return resp.label();
    }
}
