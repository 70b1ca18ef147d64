package dev.vigil.kube.identity;

import static dev.vigil.kube.testing.InventoryFixture.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.kube.testing.MockClusterTest;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

/** Container id in every form → pod and container, including init, ephemeral and gone containers. */
class ContainerResolutionTest extends MockClusterTest {

    private static final String APP = KubeObjects.containerId(1);
    private static final String INIT = KubeObjects.containerId(2);
    private static final String DEBUG = KubeObjects.containerId(3);
    private static final String DIGEST = "sha256:" + KubeObjects.containerId(10);
    private static final String INIT_DIGEST = "sha256:" + KubeObjects.containerId(11);

    private Pod apiPod() {
        Pod pod = KubeObjects.runningPod("shop", "api-7c9d8-x2x4q", "10.244.0.21", BASE, "node-1").editMetadata()
                .withOwnerReferences(KubeObjects.controller("ReplicaSet", "api-7c9d8")).addToLabels(
                        "pod-template-hash", "7c9d8").endMetadata().build();
        KubeObjects.withContainer(pod, "api", "registry.local:5000/shop/api:1.4.2", APP, DIGEST);
        pod.getSpec().getInitContainers().add(new ContainerBuilder().withName("migrate")
                .withImage("registry.local:5000/shop/migrate@" + INIT_DIGEST).build());
        pod.getStatus().getInitContainerStatuses().add(new ContainerStatusBuilder().withName("migrate")
                .withImage("registry.local:5000/shop/migrate@" + INIT_DIGEST)
                .withImageID("registry.local:5000/shop/migrate@" + INIT_DIGEST)
                .withContainerID("containerd://" + INIT).withNewState().withNewTerminated().withExitCode(0)
                .withFinishedAt(BASE.plusSeconds(2).toString()).endTerminated().endState().build());
        return pod;
    }

    @Test
    void everyFormResolvesToThePodAndContainer() {
        f.apply(apiPod());
        f.start();

        ContainerIdentity expected = new ContainerIdentity(APP, "containerd", "shop", "api-7c9d8-x2x4q",
                f.cluster.client().pods().inNamespace("shop").withName("api-7c9d8-x2x4q").get().getMetadata().getUid(),
                "api", "registry.local:5000/shop/api:1.4.2", DIGEST, new WorkloadRef("shop", "Deployment", "api"));
        for (String form : new String[] {APP, "containerd://" + APP, "cri-o://" + APP, "docker://" + APP,
                APP.substring(0, 12)}) {
            assertThat(f.resolver.container(form)).as(form).contains(expected);
        }
        assertThat(expected.imageRepository()).isEqualTo("registry.local:5000/shop/api");
        assertThat(f.resolver.container(KubeObjects.containerId(99))).isEmpty();
    }

    @Test
    void initAndEphemeralContainersResolve() {
        Pod pod = apiPod();
        f.apply(pod);
        f.start();
        pod = f.cluster.client().pods().inNamespace("shop").withName("api-7c9d8-x2x4q").get();
        pod.getSpec().getEphemeralContainers().add(new EphemeralContainerBuilder().withName("debugger")
                .withImage("busybox:1.36").build());
        pod.getStatus().getEphemeralContainerStatuses().add(KubeObjects.running("debugger", "busybox:1.36", DEBUG,
                DIGEST));
        f.apply(pod);

        ContainerIdentity init = f.resolver.container(INIT).orElseThrow();
        assertThat(init.container()).isEqualTo("migrate");
        assertThat(init.imageDigest()).isEqualTo(INIT_DIGEST);
        assertThat(init.imageRepository()).isEqualTo("registry.local:5000/shop/migrate");
        ContainerIdentity debug = f.resolver.container("containerd://" + DEBUG).orElseThrow();
        assertThat(debug.container()).isEqualTo("debugger");
        assertThat(debug.image()).isEqualTo("busybox:1.36");
        assertThat(debug.pod()).isEqualTo("api-7c9d8-x2x4q");
    }

    @Test
    void restartedContainerKeepsItsPreviousIdResolvable() {
        f.apply(apiPod());
        f.start();
        Pod pod = f.cluster.client().pods().inNamespace("shop").withName("api-7c9d8-x2x4q").get();
        String next = KubeObjects.containerId(4);
        ContainerStatus cs = pod.getStatus().getContainerStatuses().get(0);
        cs.setRestartCount(1);
        cs.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                .withExitCode(137).withContainerID("containerd://" + APP).endTerminated().build());
        cs.setContainerID("containerd://" + next);
        f.apply(pod);

        assertThat(f.resolver.container(next)).map(ContainerIdentity::container).contains("api");
        assertThat(f.resolver.container(APP)).as("the previous instance").map(ContainerIdentity::container)
                .contains("api");
        assertThat(f.resolver.stats().goneContainers()).as("previous api instance and finished init container")
                .isEqualTo(2);
    }

    @Test
    void containersOfADeletedPodStayResolvable() {
        f.start();
        Pod pod = f.apply(apiPod());
        f.clock.set(BASE.plusSeconds(600));
        f.delete(pod);

        assertThat(f.resolver.container(APP)).map(ContainerIdentity::pod).contains("api-7c9d8-x2x4q");
        assertThat(f.resolver.container(INIT)).isPresent();
        ResolverStats stats = f.resolver.stats();
        assertThat(stats.liveContainers()).isZero();
        assertThat(stats.goneContainers()).isEqualTo(2);
    }

    @Test
    void waitingContainerWithoutIdIsSkipped() {
        Pod pod = KubeObjects.runningPod("shop", "pending", "10.244.0.30", BASE, "node-1").build();
        pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder().withName("app").withImage("app:1")
                .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build());
        f.apply(pod);
        f.start();
        assertThat(f.resolver.stats().liveContainers()).isZero();
    }

    @Test
    void shortIdSharedByTwoContainersIsAmbiguous() {
        String a = "0123456789ab" + KubeObjects.containerId(5).substring(12);
        String b = "0123456789ab" + KubeObjects.containerId(6).substring(12);
        Pod p1 = KubeObjects.runningPod("shop", "p1", "10.244.0.31", BASE, "node-1").build();
        Pod p2 = KubeObjects.runningPod("shop", "p2", "10.244.0.32", BASE, "node-1").build();
        f.apply(KubeObjects.withContainer(p1, "app", "app:1", a, DIGEST));
        f.apply(KubeObjects.withContainer(p2, "app", "app:1", b, DIGEST));
        f.start();
        assertThat(f.resolver.container("0123456789ab")).isEmpty();
        assertThat(f.resolver.container(a)).map(ContainerIdentity::pod).contains("p1");
        assertThat(f.resolver.container(b)).map(ContainerIdentity::pod).contains("p2");
    }
}
