package dev.vigil.kube.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Builders for the objects the tests register, with the fields a kubelet and controllers set. */
public final class KubeObjects {

    private KubeObjects() {
    }

    /** A 64-hex container id derived from {@code seed}, as containerd makes them. */
    public static String containerId(long seed) {
        byte[] b = new byte[32];
        new SplittableRandom(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A controller owner reference. */
    public static OwnerReference controller(String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion(kind.equals("Job") || kind.equals("CronJob") ? "batch/v1"
                : "apps/v1").withKind(kind).withName(name).withUid(kind + "-" + name).withController(true)
                .withBlockOwnerDeletion(true).build();
    }

    /** A running pod on {@code node} with one address whose sandbox got its network at {@code ready}. */
    public static PodBuilder runningPod(String namespace, String name, String ip, Instant ready, String node) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
                .withStartTime(ready.minusSeconds(1).toString())
                .addNewCondition().withType("PodReadyToStartContainers").withStatus("True")
                .withLastTransitionTime(ready.toString()).endCondition()
                .endStatus();
    }

    /** A running container status with a containerd id and a digest-pinned imageID. */
    public static ContainerStatus running(String name, String image, String id, String digest) {
        return new ContainerStatusBuilder().withName(name).withImage(image)
                .withImageID(image.replaceAll(":[^:/]*$", "") + "@" + digest)
                .withContainerID("containerd://" + id).withReady(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2030-01-01T00:00:00Z").endRunning().endState()
                .build();
    }

    public static Pod withContainer(Pod pod, String name, String image, String id, String digest) {
        pod.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName(name)
                .withImage(image).build());
        pod.getStatus().getContainerStatuses().add(running(name, image, id, digest));
        return pod;
    }

    public static Service service(String namespace, String name, String... clusterIps) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIps[0]).withClusterIPs(clusterIps)
                .endSpec().build();
    }

    public static Node node(String name, String internalIp) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus().build();
    }
}
