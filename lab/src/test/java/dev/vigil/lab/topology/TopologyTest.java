package dev.vigil.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lab.topology.Topology.PodDef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyTest {

    private final Topology topology = DefaultTopology.create();

    @Test
    void atLeastThreeApplicationNamespacesBesidesTheSystemOnes() {
        assertThat(topology.namespaces()).contains("default", "kube-system");
        assertThat(topology.namespaces().stream().filter(n -> !n.startsWith("kube-") && !n.equals("default")).count())
                .isGreaterThanOrEqualTo(3);
        assertThat(topology.pods()).allSatisfy(p -> assertThat(topology.namespaces()).contains(p.namespace()));
    }

    @Test
    void addressesAreUniqueAndInTheirRanges() {
        Set<String> seen = new HashSet<>();
        for (PodDef p : topology.pods()) {
            assertThat(p.ip()).startsWith("10.244.").isNotEqualTo(AddressPlan.NODE_IP);
            assertThat(seen.add(p.ip())).as("duplicate " + p.ip()).isTrue();
        }
        for (Topology.ServiceDef s : topology.services()) {
            assertThat(s.clusterIp()).startsWith("10.96.").isNotEqualTo(AddressPlan.KUBERNETES_SERVICE_IP);
            assertThat(seen.add(s.clusterIp())).as("duplicate " + s.clusterIp()).isTrue();
        }
        for (Topology.InternetHost h : topology.internet()) {
            assertThat(h.ip()).startsWith("203.0.113.");
            assertThat(h.netns()).startsWith("vigil-lab-");
        }
        assertThat(AddressPlan.ON_LINK_ROUTES).containsExactly("10.244.0.0/16", "10.96.0.0/12", "203.0.113.0/24");
    }

    @Test
    void everyServiceHasOneBackingWorkloadWithItsPorts() {
        for (Topology.ServiceDef s : topology.services()) {
            PodDef backend = topology.pod(s.namespace(), s.workload());
            List<Topology.Port> served = backend.containers().stream().flatMap(c -> c.ports().stream()).toList();
            assertThat(served).as(s.name()).containsAll(s.ports());
        }
    }

    @Test
    void mountedSecretsExistAndImagesAreBuilt() {
        List<String> images = List.of(LabImages.DNSMASQ, LabImages.FRONTEND, LabImages.API, LabImages.REDIS, LabImages.POSTGRES,
                LabImages.LOADGEN, LabImages.LEDGER);
        for (PodDef p : topology.pods()) {
            for (Topology.ContainerDef c : p.containers()) {
                assertThat(images).contains(c.image());
                for (String secret : c.secretMounts().keySet()) {
                    assertThat(topology.secrets()).anySatisfy(s -> {
                        assertThat(s.namespace()).isEqualTo(p.namespace());
                        assertThat(s.name()).isEqualTo(secret);
                    });
                }
            }
        }
    }

    @Test
    void dnsmasqAnswersLabNamesAndForwardsNothing() {
        String conf = DnsmasqConfig.render(topology, "10.244.1.2");
        assertThat(conf).contains("listen-address=10.244.1.2,10.96.0.10")
                .contains("host-record=kubernetes.default.svc.cluster.local,10.96.0.1")
                .contains("host-record=api.shop-api.svc.cluster.local,10.96.20.10")
                .contains("host-record=10-244-1-30.shop-data.pod.cluster.local,10.244.1.30")
                .contains("host-record=postgres-0.postgres.shop-data.svc.cluster.local,10.244.1.31")
                .contains("host-record=www.example.test,example.test,203.0.113.10")
                .contains("no-resolv").contains("local=/cluster.local/").contains("local=/example.com/");
        assertThat(conf.lines()).noneMatch(l -> l.startsWith("server="));
    }

    @Test
    void dnsNamesFollowKubernetes() {
        assertThat(AddressPlan.serviceDnsName("api", "shop-api")).isEqualTo("api.shop-api.svc.cluster.local");
        assertThat(AddressPlan.podDnsName("10.244.1.20", "shop-api")).isEqualTo("10-244-1-20.shop-api.pod.cluster.local");
    }
}
