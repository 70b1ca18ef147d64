package dev.vigil.kube.identity;

import static dev.vigil.kube.testing.InventoryFixture.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.kube.testing.MockClusterTest;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Owner chains to the root workload for every controller kind, with owners present, late or missing. */
class WorkloadChainTest extends MockClusterTest {

    private static final Instant LATER = BASE.plusSeconds(3600);
    private final AtomicInteger ips = new AtomicInteger(1);

    /** Applies a pod with a fresh IP, owned by {@code owner} (null: bare), and returns its IP. */
    private String pod(String ns, String name, OwnerReference owner, String templateHash) {
        String ip = "10.244.3." + ips.getAndIncrement();
        var b = KubeObjects.runningPod(ns, name, ip, BASE, "node-1");
        if (owner != null) {
            b.editMetadata().withOwnerReferences(owner).endMetadata();
        }
        if (templateHash != null) {
            b.editMetadata().addToLabels("pod-template-hash", templateHash).endMetadata();
        }
        Pod pod = KubeObjects.withContainer(b.build(), "app", "app:1", KubeObjects.containerId(name.hashCode()),
                "sha256:" + KubeObjects.containerId(7));
        f.apply(pod);
        return ip;
    }

    private WorkloadRef workloadOf(String ip) {
        return ((Endpoint.Pod) f.resolver.resolve(ip, LATER)).workload();
    }

    private static ReplicaSet replicaSet(String ns, String name, OwnerReference owner) {
        var b = new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata();
        if (owner != null) {
            b.editMetadata().withOwnerReferences(owner).endMetadata();
        }
        return b.build();
    }

    @Test
    void everyControllerKindLeadsToItsRoot() {
        f.apply(new DeploymentBuilder().withNewMetadata().withNamespace("shop").withName("api").endMetadata().build());
        f.apply(replicaSet("shop", "api-5d9f7", KubeObjects.controller("Deployment", "api")));
        f.apply(new StatefulSetBuilder().withNewMetadata().withNamespace("shop").withName("db").endMetadata().build());
        f.apply(new DaemonSetBuilder().withNewMetadata().withNamespace("kube-system").withName("agent").endMetadata()
                .build());
        f.apply(new CronJobBuilder().withNewMetadata().withNamespace("batch").withName("report").endMetadata().build());
        f.apply(new JobBuilder().withNewMetadata().withNamespace("batch").withName("report-28990140")
                .withOwnerReferences(KubeObjects.controller("CronJob", "report")).endMetadata().build());
        f.apply(new JobBuilder().withNewMetadata().withNamespace("batch").withName("migrate").endMetadata().build());
        String deployed = pod("shop", "api-5d9f7-abcde", KubeObjects.controller("ReplicaSet", "api-5d9f7"), "5d9f7");
        String stateful = pod("shop", "db-0", KubeObjects.controller("StatefulSet", "db"), null);
        String daemon = pod("kube-system", "agent-x1", KubeObjects.controller("DaemonSet", "agent"), null);
        String cron = pod("batch", "report-28990140-q9", KubeObjects.controller("Job", "report-28990140"), null);
        String job = pod("batch", "migrate-7k", KubeObjects.controller("Job", "migrate"), null);
        String bare = pod("shop", "debug", null, null);
        f.start();

        assertThat(workloadOf(deployed)).isEqualTo(new WorkloadRef("shop", "Deployment", "api"));
        assertThat(workloadOf(stateful)).isEqualTo(new WorkloadRef("shop", "StatefulSet", "db"));
        assertThat(workloadOf(daemon)).isEqualTo(new WorkloadRef("kube-system", "DaemonSet", "agent"));
        assertThat(workloadOf(cron)).isEqualTo(new WorkloadRef("batch", "CronJob", "report"));
        assertThat(workloadOf(job)).isEqualTo(new WorkloadRef("batch", "Job", "migrate"));
        assertThat(workloadOf(bare)).isEqualTo(new WorkloadRef("shop", "Pod", "debug"));
        assertThat(f.resolver.container(KubeObjects.containerId("report-28990140-q9".hashCode())))
                .map(ContainerIdentity::workload).contains(new WorkloadRef("batch", "CronJob", "report"));
    }

    @Test
    void staticPodMirroredByTheKubeletIsItsOwnWorkload() {
        OwnerReference node = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName("node-1")
                .withUid("node-uid").withController(true).build();
        String ip = pod("kube-system", "kube-apiserver-node-1", node, null);
        f.start();
        assertThat(workloadOf(ip)).isEqualTo(new WorkloadRef("kube-system", "Pod", "kube-apiserver-node-1"));
    }

    @Test
    void replicaSetWithADeploymentReferenceNamesTheDeploymentBeforeItIsSeen() {
        f.apply(replicaSet("shop", "web-6c7b8", KubeObjects.controller("Deployment", "web")));
        String ip = pod("shop", "web-6c7b8-zz", KubeObjects.controller("ReplicaSet", "web-6c7b8"), null);
        f.start();
        assertThat(workloadOf(ip)).isEqualTo(new WorkloadRef("shop", "Deployment", "web"));
    }

    @Test
    void uncachedReplicaSetIsTracedToItsDeploymentByThePodTemplateHash() {
        String inferred = pod("shop", "cart-84f6d-pq", KubeObjects.controller("ReplicaSet", "cart-84f6d"), "84f6d");
        String unmatched = pod("shop", "odd-x", KubeObjects.controller("ReplicaSet", "odd-rs"), "84f6d");
        String noLabel = pod("shop", "plain-x", KubeObjects.controller("ReplicaSet", "plain-84f6d"), null);
        f.start();
        assertThat(workloadOf(inferred)).isEqualTo(new WorkloadRef("shop", "Deployment", "cart"));
        assertThat(workloadOf(unmatched)).isEqualTo(new WorkloadRef("shop", "ReplicaSet", "odd-rs"));
        assertThat(workloadOf(noLabel)).isEqualTo(new WorkloadRef("shop", "ReplicaSet", "plain-84f6d"));
    }

    @Test
    void jobWhoseCronJobIsNotCachedStaysTheJob() {
        f.apply(new JobBuilder().withNewMetadata().withNamespace("batch").withName("nightly-1").endMetadata().build());
        String ip = pod("batch", "nightly-1-x", KubeObjects.controller("Job", "nightly-1"), null);
        f.start();
        assertThat(workloadOf(ip)).isEqualTo(new WorkloadRef("batch", "Job", "nightly-1"));
    }

    @Test
    void ownersArrivingAfterThePodUpdateItsWorkload() {
        f.start();
        String ip = pod("batch", "nightly-2-x", KubeObjects.controller("Job", "nightly-2"), null);
        assertThat(workloadOf(ip)).isEqualTo(new WorkloadRef("batch", "Job", "nightly-2"));

        f.apply(new JobBuilder().withNewMetadata().withNamespace("batch").withName("nightly-2")
                .withOwnerReferences(KubeObjects.controller("CronJob", "nightly")).endMetadata().build());
        assertThat(workloadOf(ip)).isEqualTo(new WorkloadRef("batch", "CronJob", "nightly"));
        assertThat(f.resolver.container(KubeObjects.containerId("nightly-2-x".hashCode())))
                .map(ContainerIdentity::workload).contains(new WorkloadRef("batch", "CronJob", "nightly"));
    }

    @Test
    void ownerChainIsFollowedUpToTheDepthLimit() {
        int limit = Workloads.MAX_OWNER_DEPTH;
        // pod -> rs-1 -> rs-2 -> ... : a chain of exactly `limit` links ends at rs-limit
        for (int i = 1; i <= limit; i++) {
            f.apply(replicaSet("deep", "rs-" + i, i < limit ? KubeObjects.controller("ReplicaSet", "rs-" + (i + 1))
                    : null));
        }
        String atLimit = pod("deep", "p", KubeObjects.controller("ReplicaSet", "rs-1"), null);
        // a chain of limit + 1 links is cut at the limit
        for (int i = 1; i <= limit + 1; i++) {
            f.apply(replicaSet("deeper", "rs-" + i, i <= limit ? KubeObjects.controller("ReplicaSet", "rs-" + (i + 1))
                    : null));
        }
        String overLimit = pod("deeper", "p", KubeObjects.controller("ReplicaSet", "rs-1"), null);
        f.start();

        assertThat(workloadOf(atLimit)).isEqualTo(new WorkloadRef("deep", "ReplicaSet", "rs-" + limit));
        assertThat(workloadOf(overLimit)).isEqualTo(new WorkloadRef("deeper", "ReplicaSet", "rs-" + limit));
        assertThat(f.resolver.stats().ownerChainsCut()).isPositive();
    }

    @Test
    void ownerCycleEndsAtTheDepthLimit() {
        f.apply(replicaSet("loop", "a", KubeObjects.controller("Deployment", "b")));
        f.apply(new DeploymentBuilder().withNewMetadata().withNamespace("loop").withName("b")
                .withOwnerReferences(KubeObjects.controller("ReplicaSet", "a")).endMetadata().build());
        String ip = pod("loop", "p", KubeObjects.controller("ReplicaSet", "a"), null);
        f.start();
        assertThat(workloadOf(ip).kind()).isIn("ReplicaSet", "Deployment");
        assertThat(f.resolver.stats().ownerChainsCut()).isPositive();
    }
}
