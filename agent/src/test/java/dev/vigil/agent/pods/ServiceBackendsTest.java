package dev.vigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import org.junit.jupiter.api.Test;

class ServiceBackendsTest {

    static PodNetwork pod(long ns, String namespace, String name, String workload) {
        return new PodNetwork(ns, 100 + (int) ns, "c" + ns, new ContainerIdentity("c" + ns, "containerd", namespace, name,
                "uid" + ns, "main", "img:1", null, new WorkloadRef(namespace, "Deployment", workload)), "vigil" + ns, (int) ns);
    }

    static final PodNetwork FRONTEND = pod(1, "shop-web", "frontend-x", "frontend");
    static final PodNetwork API = pod(2, "shop-api", "api-y", "api");
    static final PodNetwork API2 = pod(3, "shop-api", "api-z", "api");
    static final Endpoint.Pod FRONTEND_EP = new Endpoint.Pod("10.244.1.10", "shop-web", "frontend-x",
            new WorkloadRef("shop-web", "Deployment", "frontend"), "node");
    static final Endpoint.Service API_SVC = new Endpoint.Service("10.96.20.10", "shop-api", "api");

    @Test
    void thePodWhoseVethReceivesAServiceConnectionAnswersForIt() {
        ServiceBackends b = new ServiceBackends();
        assertThat(b.backend(API_SVC)).isSameAs(API_SVC);
        b.observe(FRONTEND, FRONTEND_EP, API_SVC);
        assertThat(b.backend(API_SVC)).as("the client's own capture teaches nothing").isSameAs(API_SVC);
        b.observe(API, FRONTEND_EP, API_SVC);
        assertThat(b.backend(API_SVC)).isEqualTo(new Endpoint.Pod("10.96.20.10", "shop-api", "api-y",
                new WorkloadRef("shop-api", "Deployment", "api"), null));
        assertThat(b.backend(FRONTEND_EP)).isSameAs(FRONTEND_EP);
        b.forget(API);
        assertThat(b.backend(API_SVC)).isSameAs(API_SVC);
    }

    @Test
    void twoLocalBackendsLeaveTheService() {
        ServiceBackends b = new ServiceBackends();
        b.observe(API, FRONTEND_EP, API_SVC);
        b.observe(API2, FRONTEND_EP, API_SVC);
        assertThat(b.backend(API_SVC)).isSameAs(API_SVC);
        b.observe(API, FRONTEND_EP, API_SVC);
        assertThat(b.backend(API_SVC)).isSameAs(API_SVC);
    }
}
