package dev.vigil.cli.lab;

import static dev.vigil.cli.CliRun.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliRun;
import dev.vigil.cli.Vigil;
import dev.vigil.lab.Lab;
import dev.vigil.lab.attack.Scenarios;
import dev.vigil.testkit.Requirements;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code vigil lab attack}: its options and errors, and real scenarios run in-process against the lab (root). */
class LabAttackCommandTest {

    /** The lab of this test JVM. */
    private static void requireLab() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "openssl", "dnsmasq", "redis-server", "curl", "busybox", "nmap", "perl",
                "script");
        Lab.shared();
    }

    @Test
    void helpListsTheCommandAndEveryScenario() {
        assertThat(vigil("lab", "--help").out()).contains("attack ");
        CliRun help = vigil("lab", "attack", "--help");
        assertThat(help.out()).contains("Usage: vigil lab attack", "--from=NAMESPACE/POD", "--list", "--json", "--pause=SECONDS");
        for (String name : Scenarios.names()) {
            assertThat(help.out()).contains(name);
        }
        CliRun list = vigil("lab", "attack", "--list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("port-scan     nmap TCP connect (-sT) and SYN (-sS) scans")
                .contains("from shop-data/postgres; expected: Execution from /dev/shm")
                .contains("from loadgen/loadgen:tls; expected: TLS older than 1.2")
                .contains("from shop-data/cache; expected: Crypto mining protocol, Crypto mining pool name,")
                .contains("from shop-web/frontend; expected: Unexpected Kubernetes API contact");
    }

    @Test
    void usageErrorsSayWhatToDo() {
        CliRun none = vigil("lab", "attack");
        assertThat(none.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(none.err()).contains("vigil: name a scenario: port-scan, ping-sweep,").contains("(see `vigil lab attack --list`)");
        CliRun unknown = vigil("lab", "attack", "rowhammer");
        assertThat(unknown.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(unknown.err()).contains("vigil: no scenario rowhammer; choose one of port-scan,").contains(", all");
        CliRun from = vigil("lab", "attack", "egress", "--from", "frontend");
        assertThat(from.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(from.err()).contains("name the pod as NAMESPACE/POD, e.g. shop-web/frontend (got 'frontend')");
        CliRun container = vigil("lab", "attack", "egress", "-c", "web");
        assertThat(container.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(container.err()).contains("--container needs --from NAMESPACE/POD");
        CliRun pause = vigil("lab", "attack", "all", "--pause", "-1");
        assertThat(pause.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(pause.err()).contains("--pause must be 0 or more seconds (got -1.0)");
    }

    @Test
    void aScenarioPrintsItsStepsAndEvidence() {
        requireLab();
        CliRun r = vigil("lab", "attack", "token-read");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("== token-read from shop-api/api-").contains(": read the service-account token …")
                .contains("      $ cat /var/run/secrets/kubernetes.io/serviceaccount/token\n      exit 0 in ")
                .contains("  evidence: read the token of system:serviceaccount:shop-api:api")
                .contains("  token-read performed in ").contains("expected detections: Service account token read");
    }

    @Test
    void aScenarioThatCannotBePerformedExitsNonZero() {
        requireLab();
        CliRun r = vigil("lab", "attack", "shm-exec", "--from", "shop-web/frontend");
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_FAILURE);
        assertThat(r.out()).contains("  shm-exec FAILED: /dev/shm in shop-web/frontend-");
        assertThat(r.err()).contains("vigil: 1 of 1 scenarios could not be performed:\n  shm-exec from shop-web/frontend-")
                .contains("is mounted noexec");
    }

    @Test
    void jsonGivesEachResultWithNanosecondSteps() {
        requireLab();
        CliRun r = vigil("lab", "attack", "sqli", "--json", "--from", "loadgen/loadgen", "-c", "web");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("== sqli from loadgen/loadgen-").contains("evidence: id=1' OR '1'='1 returned 4 products");
        JsonNode result = JsonMapper.builder().build().readTree(r.out());
        assertThat(result.path("scenario").asString()).isEqualTo("sqli");
        assertThat(result.path("source").asString()).startsWith("loadgen/loadgen-").endsWith(":web");
        assertThat(result.path("failure").isNull()).isTrue();
        assertThat(result.path("expectedRules").get(0).asString()).isEqualTo("SQL injection in HTTP request");
        assertThat(result.path("steps")).hasSize(3);
        assertThat(result.path("attackStartNanos").asLong()).isEqualTo(result.path("steps").get(0).path("startNanos").asLong());
        JsonNode step = result.path("steps").get(1);
        assertThat(step.path("command").get(0).asString()).isEqualTo("curl");
        assertThat(step.path("startNanos").asLong()).isLessThanOrEqualTo(step.path("endNanos").asLong())
                .isGreaterThan(result.path("startNanos").asLong() - 1);
        assertThat(result.path("evidence")).hasSize(2);
    }
}
