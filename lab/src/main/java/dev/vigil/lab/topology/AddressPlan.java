package dev.vigil.lab.topology;

import java.util.List;

/**
 * The lab's addresses. Pods, services and the simulated internet each have their own range, and
 * lab namespaces get on-link routes for exactly these three ranges — no default route, so a
 * packet to any other address fails at once with "Network is unreachable".
 *
 * <p>There is no kube-proxy: a Service with one backend gets its ClusterIP as a secondary
 * {@code /32} address on that backend pod's {@code eth0}. The service range is on-link in every
 * pod, so a client ARPs for the ClusterIP and the backing pod answers; DNS names resolve to the
 * ClusterIP and packets go straight to the pod, with the ClusterIP as destination address (what a
 * node-level sensor sees after kube-proxy would have been bypassed, e.g. with eBPF socket LB).
 * Service port and target port are therefore equal. The "kubernetes" service (10.96.0.1) and the
 * node's InternalIP (10.244.0.1) live in the node namespace {@code vigil-node}.
 */
public final class AddressPlan {

    public static final String POD_CIDR = "10.244.0.0/16";
    public static final String SERVICE_CIDR = "10.96.0.0/12";
    public static final String INTERNET_CIDR = "203.0.113.0/24";
    /** Prefix length pods use on {@code eth0} (the whole pod range is one L2 segment: the bridge). */
    public static final int POD_PREFIX = 16;
    /** Routes every lab namespace gets, all on-link; nothing else is routable. */
    public static final List<String> ON_LINK_ROUTES = List.of(POD_CIDR, SERVICE_CIDR, INTERNET_CIDR);

    /** The node's InternalIP, held by the {@code vigil-node} namespace; pods' hostIP. */
    public static final String NODE_IP = "10.244.0.1";
    public static final String NODE_NAME = "vigil-node";
    /** ClusterIP of {@code default/kubernetes}, served in the node namespace. */
    public static final String KUBERNETES_SERVICE_IP = "10.96.0.1";
    public static final int KUBERNETES_SERVICE_PORT = 443;
    /** Where the "kubernetes" EndpointSlice points (the API server on the node). */
    public static final int API_SERVER_PORT = 6443;
    /** ClusterIP of {@code kube-system/kube-dns}. */
    public static final String DNS_SERVICE_IP = "10.96.0.10";
    public static final String CLUSTER_DOMAIN = "cluster.local";

    private AddressPlan() {
    }

    /** {@code a.b.c.d} → {@code a-b-c-d.<ns>.pod.cluster.local}, the pod A record kube-dns serves. */
    public static String podDnsName(String ip, String namespace) {
        return ip.replace('.', '-') + "." + namespace + ".pod." + CLUSTER_DOMAIN;
    }

    /** {@code <service>.<namespace>.svc.cluster.local}. */
    public static String serviceDnsName(String service, String namespace) {
        return service + "." + namespace + ".svc." + CLUSTER_DOMAIN;
    }
}
