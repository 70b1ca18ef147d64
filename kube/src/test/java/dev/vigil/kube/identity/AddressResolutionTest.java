package dev.vigil.kube.identity;

import static dev.vigil.kube.testing.InventoryFixture.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.kube.testing.MockClusterTest;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** IP address → pod, Service, node or external, against the CRUD mock API server. */
class AddressResolutionTest extends MockClusterTest {

    private static final Instant LATER = BASE.plusSeconds(3600);

    @Test
    void podAddressResolvesToThePodWithItsWorkloadAndNode() {
        f.apply(KubeObjects.runningPod("shop", "web-0", "10.244.0.11", BASE, "node-1").editMetadata()
                .withOwnerReferences(KubeObjects.controller("StatefulSet", "web")).endMetadata().build());
        f.start();

        Endpoint e = f.resolver.resolve("10.244.0.11", LATER);
        assertThat(e).isEqualTo(new Endpoint.Pod("10.244.0.11", "shop", "web-0",
                new WorkloadRef("shop", "StatefulSet", "web"), "node-1"));
        assertThat(e.label()).isEqualTo("shop/web-0");
        assertThat(f.resolver.resolve("10.244.0.11", LATER)).as("cached per holder").isSameAs(e);
        assertThat(f.resolver.resolveEpochNanos("10.244.0.11", Times.nanos(LATER))).isSameAs(e);
    }

    @Test
    void podsAddedAfterSyncResolveToo() {
        f.start();
        f.apply(KubeObjects.runningPod("shop", "api-1", "10.244.0.12", BASE, "node-1").build());
        assertThat(f.resolver.resolve("10.244.0.12", LATER)).isInstanceOf(Endpoint.Pod.class)
                .extracting(Endpoint::label).isEqualTo("shop/api-1");
    }

    @Test
    void dualStackPodHoldsBothAddressesInCanonicalForm() {
        Pod pod = KubeObjects.runningPod("shop", "api-2", "10.244.0.13", BASE, "node-1").build();
        pod.getStatus().getPodIPs().add(new PodIPBuilder().withIp("FD00:10:244:0:0:0:0:0d").build());
        f.apply(pod);
        f.start();

        assertThat(f.resolver.resolve("10.244.0.13", LATER).label()).isEqualTo("shop/api-2");
        Endpoint v6 = f.resolver.resolve("fd00:10:244::d", LATER);
        assertThat(v6).isInstanceOf(Endpoint.Pod.class);
        assertThat(v6.ip()).isEqualTo("fd00:10:244::d");
        assertThat(f.resolver.resolve("fd00:10:244:0::000d", LATER)).as("non-canonical query text").isEqualTo(v6);
        assertThat(f.resolver.resolve("::ffff:10.244.0.13", LATER).label()).as("IPv4-mapped").isEqualTo("shop/api-2");
    }

    @Test
    void hostNetworkPodResolvesToItsNodeNotThePod() {
        f.apply(KubeObjects.runningPod("kube-system", "kube-proxy-x", "192.168.50.10", BASE, "node-1").editSpec()
                .withHostNetwork(true).endSpec().build());
        f.start();

        assertThat(f.resolver.resolve("192.168.50.10", LATER)).isEqualTo(new Endpoint.Node("192.168.50.10", "node-1"));
    }

    @Test
    void nodeAddressesResolveToTheNode() {
        Node node = KubeObjects.node("node-1", "192.168.50.10");
        node.getStatus().getAddresses().add(new io.fabric8.kubernetes.api.model.NodeAddress("2001:db8::10",
                "ExternalIP"));
        f.apply(node);
        f.start();

        assertThat(f.resolver.resolve("192.168.50.10", LATER)).isEqualTo(new Endpoint.Node("192.168.50.10", "node-1"));
        assertThat(f.resolver.resolve("2001:db8::10", LATER).label()).isEqualTo("node:node-1");
        assertThat(f.resolver.resolve("node-1", LATER)).as("a Hostname address is no IP")
                .isEqualTo(new Endpoint.External("node-1", null));
    }

    @Test
    void serviceClusterExternalAndLoadBalancerAddressesResolveToTheService() {
        Service svc = KubeObjects.service("shop", "web", "10.96.0.20", "fd00:96::20");
        svc.getSpec().setType("LoadBalancer");
        svc.getSpec().setExternalIPs(java.util.List.of("203.0.113.80"));
        svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp("198.51.100.7").build(),
                        new LoadBalancerIngressBuilder().withHostname("lb.example.com").build())
                .endLoadBalancer().build());
        f.apply(svc);
        f.apply(KubeObjects.service("default", "kubernetes", "10.96.0.1"));
        f.start();

        for (String ip : new String[] {"10.96.0.20", "fd00:96::20", "203.0.113.80", "198.51.100.7"}) {
            assertThat(f.resolver.resolve(ip, LATER)).as(ip).isEqualTo(new Endpoint.Service(ip, "shop", "web"));
        }
        assertThat(f.resolver.resolve("10.96.0.1", LATER).label()).isEqualTo("svc:default/kubernetes");
    }

    @Test
    void headlessServiceHoldsNoAddress() {
        Service svc = KubeObjects.service("shop", "db", "None");
        f.apply(svc);
        f.start();
        assertThat(f.resolver.stats().addresses()).isZero();
    }

    @Test
    void loadBalancerAddressSharedWithANodeStaysTheNode() {
        f.apply(KubeObjects.node("node-1", "192.168.50.10"));
        Service svc = KubeObjects.service("shop", "web", "10.96.0.20");
        svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp("192.168.50.10").build()).endLoadBalancer()
                .build());
        f.apply(svc);
        f.start();
        assertThat(f.resolver.resolve("192.168.50.10", LATER)).isInstanceOf(Endpoint.Node.class);
    }

    @Test
    void unknownAddressIsExternalAndCached() {
        f.start();
        Endpoint e = f.resolver.resolve("203.0.113.5", LATER);
        assertThat(e).isEqualTo(new Endpoint.External("203.0.113.5", null));
        assertThat(f.resolver.resolve("203.0.113.5", LATER)).isSameAs(e);
        assertThat(f.resolver.resolve("2001:DB8::5", LATER)).isEqualTo(new Endpoint.External("2001:db8::5", null));
        assertThat(f.resolver.resolve("not an address", LATER)).isEqualTo(new Endpoint.External("not an address", null));
    }

    @Test
    void removedServiceAndNodeAddressesResolveAsOfTheirTime() {
        f.start();
        f.clock.set(BASE.plusSeconds(10));
        Service svc = f.apply(KubeObjects.service("shop", "old", "10.96.0.30"));
        Node node = f.apply(KubeObjects.node("node-2", "192.168.50.20"));
        f.clock.set(BASE.plusSeconds(100));
        f.delete(svc);
        f.delete(node);
        f.clock.set(BASE.plusSeconds(200));

        assertThat(f.resolver.resolve("10.96.0.30", BASE.plusSeconds(50)).label()).isEqualTo("svc:shop/old");
        assertThat(f.resolver.resolve("192.168.50.20", BASE.plusSeconds(50)).label()).isEqualTo("node:node-2");
        assertThat(f.resolver.resolveNow("10.96.0.30")).isInstanceOf(Endpoint.External.class);
        assertThat(f.resolver.resolveNow("192.168.50.20")).isInstanceOf(Endpoint.External.class);
        assertThat(f.resolver.stats().closedTenures()).isEqualTo(2);
    }

    @Test
    void externalIpRemovedFromAServiceIsClosedAtThatTime() {
        f.start();
        f.clock.set(BASE.plusSeconds(10));
        Service svc = KubeObjects.service("shop", "web", "10.96.0.20");
        svc.getSpec().setExternalIPs(java.util.List.of("203.0.113.80"));
        svc = f.apply(svc);
        f.clock.set(BASE.plusSeconds(100));
        svc.getSpec().setExternalIPs(java.util.List.of());
        f.apply(svc);

        assertThat(f.resolver.resolve("203.0.113.80", BASE.plusSeconds(50)).label()).isEqualTo("svc:shop/web");
        assertThat(f.resolver.resolve("203.0.113.80", BASE.plusSeconds(150))).isInstanceOf(Endpoint.External.class);
        assertThat(f.resolver.resolve("10.96.0.20", BASE.plusSeconds(150)).label()).isEqualTo("svc:shop/web");
    }
}
