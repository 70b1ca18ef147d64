package dev.vigil.kube.inventory;

import static dev.vigil.kube.testing.InventoryFixture.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.kube.testing.EventLog;
import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.kube.testing.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory against the CRUD mock API server: sync of every kind, lookups, listeners, failures. */
class ClusterInventoryTest {

    @TempDir
    Path dir;
    private MockCluster cluster;
    private ClusterInventory inventory;

    @BeforeEach
    void start() {
        cluster = MockCluster.start(dir);
    }

    @AfterEach
    void stop() {
        if (inventory != null) {
            inventory.close();
        }
        cluster.close();
    }

    private <T extends HasMetadata> T create(T object) {
        return cluster.client().resource(object).createOr(NonDeletingOperation::update);
    }

    /** One object of every kind the inventory watches. */
    private static Map<Kind<?>, HasMetadata> oneOfEach() {
        return Map.ofEntries(
                Map.entry(Kind.POD, KubeObjects.runningPod("shop", "api-1", "10.244.0.5", BASE, "node-1").build()),
                Map.entry(Kind.SERVICE, KubeObjects.service("shop", "api", "10.96.0.10")),
                Map.entry(Kind.ENDPOINT_SLICE, new EndpointSliceBuilder().withNewMetadata().withNamespace("shop")
                        .withName("api-x7").addToLabels("kubernetes.io/service-name", "api").endMetadata()
                        .withAddressType("IPv4").addNewEndpoint().withAddresses("10.244.0.5").endEndpoint().build()),
                Map.entry(Kind.NODE, KubeObjects.node("node-1", "192.168.50.10")),
                Map.entry(Kind.NAMESPACE, new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                        .build()),
                Map.entry(Kind.REPLICA_SET, new ReplicaSetBuilder().withNewMetadata().withNamespace("shop")
                        .withName("api-5d9f7").endMetadata().build()),
                Map.entry(Kind.DEPLOYMENT, new DeploymentBuilder().withNewMetadata().withNamespace("shop")
                        .withName("api").endMetadata().build()),
                Map.entry(Kind.STATEFUL_SET, new StatefulSetBuilder().withNewMetadata().withNamespace("shop")
                        .withName("db").endMetadata().build()),
                Map.entry(Kind.DAEMON_SET, new DaemonSetBuilder().withNewMetadata().withNamespace("kube-system")
                        .withName("agent").endMetadata().build()),
                Map.entry(Kind.JOB, new JobBuilder().withNewMetadata().withNamespace("batch").withName("report-1")
                        .endMetadata().build()),
                Map.entry(Kind.CRON_JOB, new CronJobBuilder().withNewMetadata().withNamespace("batch")
                        .withName("report").endMetadata().build()),
                Map.entry(Kind.SERVICE_ACCOUNT, new ServiceAccountBuilder().withNewMetadata().withNamespace("shop")
                        .withName("api").endMetadata().build()),
                Map.entry(Kind.ROLE, new RoleBuilder().withNewMetadata().withNamespace("shop").withName("reader")
                        .endMetadata().addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list")
                        .endRule().build()),
                Map.entry(Kind.CLUSTER_ROLE, new ClusterRoleBuilder().withNewMetadata().withName("admin-ish")
                        .endMetadata().addNewRule().withApiGroups("*").withResources("*").withVerbs("*").endRule()
                        .build()),
                Map.entry(Kind.ROLE_BINDING, new RoleBindingBuilder().withNewMetadata().withNamespace("shop")
                        .withName("api-reader").endMetadata().withNewRoleRef().withKind("Role").withName("reader")
                        .withApiGroup("rbac.authorization.k8s.io").endRoleRef().addNewSubject()
                        .withKind("ServiceAccount").withName("api").withNamespace("shop").endSubject().build()),
                Map.entry(Kind.CLUSTER_ROLE_BINDING, new ClusterRoleBindingBuilder().withNewMetadata()
                        .withName("api-admin").endMetadata().withNewRoleRef().withKind("ClusterRole")
                        .withName("admin-ish").withApiGroup("rbac.authorization.k8s.io").endRoleRef().addNewSubject()
                        .withKind("ServiceAccount").withName("api").withNamespace("shop").endSubject().build()));
    }

    @Test
    void syncsEveryKindAndAnswersLookupsFromTheCache() {
        Map<Kind<?>, HasMetadata> objects = oneOfEach();
        objects.values().forEach(this::create);
        inventory = new ClusterInventory(cluster.client(), Kind.ALL);
        EventLog log = new EventLog();
        inventory.addListener(log);
        inventory.start().waitUntilSynced(Duration.ofSeconds(10));

        assertThat(inventory.synced()).isTrue();
        assertThat(inventory.kinds()).containsExactlyElementsOf(Kind.ALL);
        for (Kind<?> kind : Kind.ALL) {
            HasMetadata expected = objects.get(kind);
            List<? extends HasMetadata> all = inventory.list(kind);
            assertThat(all).as(kind.toString()).hasSize(1);
            assertThat(all.get(0).getMetadata().getName()).isEqualTo(expected.getMetadata().getName());
            assertThat(inventory.get(kind, expected.getMetadata().getNamespace(), expected.getMetadata().getName()))
                    .as(kind + " by name").isPresent();
            if (kind.namespaced()) {
                assertThat(inventory.list(kind, expected.getMetadata().getNamespace())).hasSize(1);
                assertThat(inventory.list(kind, "elsewhere")).isEmpty();
            }
        }
        assertThat(log.events()).as("every object of the initial list reached the listener").hasSize(Kind.ALL.size())
                .allMatch(e -> e.type() == InventoryChange.Type.ADDED);
        Pod pod = inventory.get(Kind.POD, "shop", "api-1").orElseThrow();
        assertThat(pod.getStatus().getPodIP()).isEqualTo("10.244.0.5");
        assertThat(inventory.get(Kind.POD, "shop", "missing")).isEmpty();
        assertThat(inventory.serverUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void listenersSeeAdditionsUpdatesAndDeletionsInOrder() {
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.POD, Kind.SERVICE));
        EventLog log = new EventLog();
        inventory.addListener(change -> {
            if (change.kind() == Kind.POD) {
                Pod p = change.object(Kind.POD);
                assertThat(p.getMetadata().getName()).isEqualTo("web");
            }
        });
        inventory.addListener(log);
        inventory.start().waitUntilSynced(Duration.ofSeconds(10));

        Pod pod = create(KubeObjects.runningPod("shop", "web", "10.244.0.9", BASE, "node-1").build());
        log.await("pod added", e -> e.type() == InventoryChange.Type.ADDED);
        pod.getStatus().setPhase("Succeeded");
        create(pod);
        log.await("pod updated", e -> e.type() == InventoryChange.Type.UPDATED);
        cluster.client().resource(pod).delete();
        log.await("pod deleted", e -> e.type() == InventoryChange.Type.DELETED);

        assertThat(log.events()).extracting(EventLog.Event::type).containsExactly(InventoryChange.Type.ADDED,
                InventoryChange.Type.UPDATED, InventoryChange.Type.DELETED);
        assertThat(inventory.listenerFailures()).isZero();
    }

    @Test
    void aFailingListenerIsCountedAndOthersStillHearTheChange() {
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.SERVICE));
        AtomicInteger calls = new AtomicInteger();
        inventory.addListener(change -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        EventLog log = new EventLog();
        inventory.addListener(log);
        inventory.start().waitUntilSynced(Duration.ofSeconds(10));
        create(KubeObjects.service("shop", "api", "10.96.0.10"));
        log.await("service added", e -> e.name().equals("api"));
        assertThat(calls).hasValue(1);
        assertThat(inventory.listenerFailures()).isEqualTo(1);
    }

    @Test
    void changeOfAnotherKindIsNotCastSilently() {
        InventoryChange change = new InventoryChange(Kind.SERVICE, InventoryChange.Type.ADDED, null,
                KubeObjects.service("shop", "api", "10.96.0.10"));
        assertThatThrownBy(() -> change.object(Kind.POD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("change is of services, not pods");
    }

    @Test
    void misuseIsRejectedWithWhatToDo() {
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.POD));
        assertThatThrownBy(() -> inventory.waitUntilSynced(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("inventory is new, call start() first");
        inventory.start();
        assertThatThrownBy(() -> inventory.addListener(c -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("add inventory listeners before start() (state STARTED): a late listener would miss the"
                        + " initial list");
        assertThatThrownBy(() -> inventory.list(Kind.ROLE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the inventory does not watch roles.rbac.authorization.k8s.io: create it with Kind.Role"
                        + " among its kinds");
        assertThatThrownBy(() -> new ClusterInventory(cluster.client(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Makes the server answer the initial list at {@code listPath} with {@code status}; returns the sync's failure. */
    private AbstractThrowableAssert<?, ? extends Throwable> syncWhenListAnswers(String listPath, Status status,
            List<Kind<?>> kinds) {
        cluster.server().expect().get().withPath(listPath).andReturn(status.getCode(), status).always();
        inventory = new ClusterInventory(cluster.client(), kinds);
        inventory.start();
        return assertThatThrownBy(() -> inventory.waitUntilSynced(Duration.ofSeconds(10)))
                .isInstanceOf(InventorySyncException.class);
    }

    @Test
    void forbiddenResourceFailsTheSyncNamingTheGrant() {
        syncWhenListAnswers("/apis/rbac.authorization.k8s.io/v1/rolebindings?resourceVersion=0",
                new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(
                        "rolebindings.rbac.authorization.k8s.io is forbidden: User \"system:serviceaccount:vigil:agent\""
                                + " cannot list resource \"rolebindings\"").build(),
                List.of(Kind.POD, Kind.ROLE_BINDING))
                .hasMessage("inventory cannot sync from " + inventory.serverUrl() + ": rolebindings.rbac.authorization"
                        + ".k8s.io: forbidden (403): grant get, list and watch on rolebindings.rbac.authorization.k8s.io"
                        + " to the identity in use (ClusterRole in docs/identity.md)");
    }

    @Test
    void unservedResourceFailsTheSyncNamingTheApi() {
        syncWhenListAnswers("/apis/discovery.k8s.io/v1/endpointslices?resourceVersion=0",
                new StatusBuilder().withCode(404).withReason("NotFound").build(), List.of(Kind.ENDPOINT_SLICE))
                .hasMessageEndingWith("endpointslices.discovery.k8s.io: not served (404): the API server has no"
                        + " discovery.k8s.io/v1 EndpointSlice; upgrade the cluster or leave Kind.EndpointSlice out of"
                        + " the inventory");
    }

    @Test
    void slowServerTimesOutNamingWhatIsPending() {
        cluster.server().expect().get().delay(5, TimeUnit.SECONDS).withPath("/api/v1/pods?resourceVersion=0")
                .andReturn(200, new PodList()).always();
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.POD, Kind.SERVICE));
        inventory.start();
        assertThatThrownBy(() -> inventory.waitUntilSynced(Duration.ofMillis(500)))
                .isInstanceOf(InventorySyncException.class)
                .hasMessage("inventory not synced after 500 ms from " + inventory.serverUrl() + ": waiting for pods"
                        + " (no initial list yet); check that the API server answers (kubectl get --raw /version)"
                        + " or allow a longer wait");
    }

    @Test
    void transientServerErrorIsRetried() {
        cluster.server().expect().get().withPath("/api/v1/services?resourceVersion=0")
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcd leader changed").build()).once();
        create(KubeObjects.service("shop", "api", "10.96.0.10"));
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.SERVICE));
        inventory.start().waitUntilSynced(Duration.ofSeconds(30));
        assertThat(inventory.list(Kind.SERVICE)).hasSize(1);
    }

    @Test
    void persistentServerErrorIsReportedWhileWaiting() {
        cluster.server().expect().get().withPath("/api/v1/services?resourceVersion=0")
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcd leader changed").build()).always();
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.SERVICE));
        inventory.start();
        assertThatThrownBy(() -> inventory.waitUntilSynced(Duration.ofSeconds(2)))
                .isInstanceOf(InventorySyncException.class)
                .hasMessageContaining(": waiting for services (no initial list yet; retrying after HTTP 500: ");
    }

    @Test
    void closedInventoryDeliversNoMoreChanges() {
        inventory = new ClusterInventory(cluster.client(), List.of(Kind.SERVICE));
        EventLog log = new EventLog();
        inventory.addListener(log);
        inventory.start().waitUntilSynced(Duration.ofSeconds(10));
        inventory.close();
        inventory.close();
        create(KubeObjects.service("shop", "late", "10.96.0.11"));
        assertThatThrownBy(() -> log.await("nothing", e -> true)).isInstanceOf(AssertionError.class);
        assertThat(inventory.synced()).isFalse();
    }
}
