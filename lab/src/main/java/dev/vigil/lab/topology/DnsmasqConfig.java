package dev.vigil.lab.topology;

import dev.vigil.lab.topology.Topology.InternetHost;
import dev.vigil.lab.topology.Topology.PodDef;
import dev.vigil.lab.topology.Topology.ServiceDef;

/**
 * The kube-dns configuration, for dnsmasq: A (and PTR) records for every service
 * ({@code <svc>.<ns>.svc.cluster.local} → ClusterIP), every pod
 * ({@code a-b-c-d.<ns>.pod.cluster.local}), StatefulSet pods
 * ({@code <pod>.<svc>.<ns>.svc.cluster.local}), the kubernetes service and the simulated internet
 * names. Other names under the lab's domains get NXDOMAIN; there is no upstream server, so
 * nothing is ever forwarded off the machine.
 */
public final class DnsmasqConfig {

    private DnsmasqConfig() {
    }

    public static String render(Topology topology, String dnsPodIp) {
        StringBuilder c = new StringBuilder();
        c.append("# kube-dns for the Vigil lab (generated)\n");
        c.append("port=53\n");
        c.append("listen-address=").append(dnsPodIp).append(',').append(AddressPlan.DNS_SERVICE_IP).append('\n');
        c.append("bind-interfaces\n");
        c.append("no-resolv\nno-hosts\nno-poll\n");
        c.append("user=nobody\ngroup=nogroup\n");
        c.append("log-facility=-\nlog-queries\n");
        c.append("local-ttl=30\n");
        c.append("local=/").append(AddressPlan.CLUSTER_DOMAIN).append("/\n");
        for (InternetHost h : topology.internet()) {
            for (String name : h.dnsNames()) {
                String[] labels = name.split("\\.");
                String zone = labels[labels.length - 2] + "." + labels[labels.length - 1];
                c.append("local=/").append(zone).append("/\n");
            }
        }
        record(c, AddressPlan.serviceDnsName("kubernetes", "default"), AddressPlan.KUBERNETES_SERVICE_IP);
        for (ServiceDef s : topology.services()) {
            record(c, AddressPlan.serviceDnsName(s.name(), s.namespace()), s.clusterIp());
        }
        for (PodDef p : topology.pods()) {
            record(c, AddressPlan.podDnsName(p.ip(), p.namespace()), p.ip());
            if (p.kind() == Topology.WorkloadKind.STATEFULSET) {
                record(c, p.workload() + "-0." + AddressPlan.serviceDnsName(p.workload(), p.namespace()), p.ip());
            }
        }
        for (InternetHost h : topology.internet()) {
            c.append("host-record=").append(String.join(",", h.dnsNames())).append(',').append(h.ip()).append('\n');
        }
        return c.toString();
    }

    private static void record(StringBuilder c, String name, String ip) {
        c.append("host-record=").append(name).append(',').append(ip).append('\n');
    }
}
