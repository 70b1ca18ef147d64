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
        if (resp == null || resp instanceof Endpoint.External) {
            if (orig instanceof Endpoint.Pod p) {
                String n = names.name(p.namespace(), p.name(), ip);
                if (n != null) {
                    return n;
                }
            }
            return resp == null ? ip : resp.label();
        }
        return resp.label();
    }
}
