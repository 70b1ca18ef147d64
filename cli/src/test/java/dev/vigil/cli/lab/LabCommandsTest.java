package dev.vigil.cli.lab;

import static dev.vigil.cli.CliRun.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliRun;
import dev.vigil.cli.Vigil;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.runc.Mounts;
import dev.vigil.testkit.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code vigil lab …} and {@code vigil demo} run in-process against the real lab (root). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1) // first of the module (junit-platform.properties orders classes): the classes after it share one lab
class LabCommandsTest {

    private static void requireLabPrerequisites() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "openssl", "dnsmasq", "redis-server", "curl", "busybox");
    }

    /** These tests bring labs up and down themselves: the lab another class of this JVM left running goes first. */
    @BeforeAll
    static void noLabOfThisJvm() {
        Lab.releaseOwned();
    }

    @AfterAll
    static void cleanUp() {
        if (Lab.status().isPresent()) {
            Lab.down(m -> { });
        }
    }

    @Test
    @Order(1)
    void everyLabCommandIsListedWithADescription() {
        CliRun top = vigil("--help");
        assertThat(top.out()).contains("lab ").contains("demo ");
        CliRun lab = vigil("lab", "--help");
        assertThat(lab.out()).contains("up ", "status ", "exec ", "down ");
        for (String sub : new String[] {"up", "status", "exec", "down"}) {
            assertThat(vigil("lab", sub, "--help").out()).as(sub).contains("Usage: vigil lab " + sub);
        }
        assertThat(vigil("demo", "--help").out()).contains("--once");
    }

    @Test
    @Order(2)
    void execNeedsNamespaceSlashPod() {
        CliRun r = vigil("lab", "exec", "frontend", "--", "true");
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(r.err()).contains("name the pod as NAMESPACE/POD, e.g. shop-web/frontend (got 'frontend')");
    }

    @Test
    @Order(3)
    void upStatusExecDown() {
        requireLabPrerequisites();
        CliRun up = vigil("lab", "up");
        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(up.out()).contains("7 pods, 10 containers").contains("kubeconfig: " + Lab.DEFAULT_DIR + "/kubeconfig");
        assertThat(up.err()).contains("vigil lab: starting pod shop-data/postgres").contains("vigil lab: waiting for every server");

        LabStatus status = Lab.status().orElseThrow();
        CliRun table = vigil("lab", "status");
        assertThat(table.out()).contains(status.pod("shop-web", "frontend").name()).contains("10.244.1.10")
                .contains("vigil.test/library/postgres:15@sha256:");
        CliRun json = vigil("lab", "status", "--json");
        JsonNode root = JsonMapper.builder().build().readTree(json.out());
        assertThat(root.path("kubeconfig").asString()).isEqualTo(status.kubeconfig());
        assertThat(root.path("pods")).hasSize(7);
        JsonNode c = root.path("pods").get(0).path("containers").get(0);
        assertThat(c.path("id").asString()).matches("[0-9a-f]{64}");
        assertThat(c.path("imageDigest").asString()).startsWith("sha256:");
        assertThat(c.path("pid").asLong()).isPositive();

        assertThat(vigil("lab", "exec", "shop-data/cache", "--", "sh", "-c", "exit 7").exit()).isEqualTo(7);
        assertThat(vigil("lab", "exec", "loadgen/loadgen", "-c", "dns", "--", "nslookup", "kubernetes.default.svc.cluster.local").exit())
                .isZero();
        CliRun missing = vigil("lab", "exec", "shop-web/nope", "--", "true");
        assertThat(missing.exit()).isEqualTo(Vigil.EXIT_FAILURE);
        assertThat(missing.err()).contains("no pod of shop-web/nope in the lab");

        CliRun down = vigil("lab", "down");
        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(down.out()).startsWith("lab down in ");
        assertThat(Netns.existing()).isEmpty();
        CliRun after = vigil("lab", "status");
        assertThat(after.exit()).isEqualTo(Vigil.EXIT_FAILURE);
        assertThat(after.err()).contains("no lab is running: start one with `sudo ./vigil lab up`");
        assertThat(vigil("lab", "down").exit()).as("down twice").isZero();
    }

    @Test
    @Order(4)
    void demoOncePrintsTheInventoryFromTheApiAndLeavesNothing() {
        requireLabPrerequisites();
        CliRun demo = vigil("demo", "--once");
        assertThat(demo.exit()).as("%s%n%s", demo.out(), demo.err()).isZero();
        assertThat(demo.out()).contains("== Inventory (from the Kubernetes API) ==")
                .contains("namespaces: default, kube-public, kube-system, loadgen, shop-api, shop-data, shop-payments, shop-web")
                .containsPattern("shop-data\\s+StatefulSet\\s+postgres\\s+1/1\\s+postgres 10\\.96\\.30\\.11:5432/TCP")
                .containsPattern("postgres-0\\s+10\\.244\\.1\\.31\\s+vigil-node\\s+StatefulSet/postgres")
                .contains("vigil.test/shop/frontend@sha256:");
        assertThat(demo.err()).contains("vigil demo: taking the lab down");
        assertThat(Lab.status()).isEmpty();
        assertThat(Netns.existing()).isEmpty();
        assertThat(Netns.existingLinks()).isEmpty();
        assertThat(Mounts.mounted()).isEmpty();
    }
}
