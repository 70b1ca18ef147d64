package dev.vigil.model.identity;

/**
 * What an IP address stood for at a given time: a pod, a service, a node, or something outside the
 * cluster. Produced by {@link IdentityResolver}.
 */
public sealed interface Endpoint {

    /** The address that was resolved, in its canonical text form. */
    String ip();

    /** A short human label: {@code ns/pod}, {@code svc:ns/name}, {@code node:name} or the IP/name. */
    String label();

    /** A pod's address. {@code workload} is the pod's root owner. */
    record Pod(String ip, String namespace, String name, WorkloadRef workload, String node) implements Endpoint {
        @Override
        public String label() {
            return namespace + "/" + name;
        }
    }

    /** A Service ClusterIP (or external IP / load-balancer IP declared on the Service). */
    record Service(String ip, String namespace, String name) implements Endpoint {
        @Override
        public String label() {
            return "svc:" + namespace + "/" + name;
        }
    }

    /** A node address (InternalIP, ExternalIP). */
    record Node(String ip, String name) implements Endpoint {
        @Override
        public String label() {
            return "node:" + name;
        }
    }

    /** An address that belongs to nothing the cluster knows; {@code dnsName} when one was observed, else null. */
    record External(String ip, String dnsName) implements Endpoint {
        @Override
        public String label() {
            return dnsName != null ? dnsName : ip;
        }
    }
}
