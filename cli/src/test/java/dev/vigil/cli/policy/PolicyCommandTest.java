package dev.vigil.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.detect.baseline.BaselineConfig;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.detect.baseline.PeerKind;
import dev.vigil.detect.baseline.PolicyStore;
import dev.vigil.detect.baseline.Verdict;
import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {

    private static final long T0 = 1_764_000_000_000_000_000L;
    private static final WorkloadRef WEB = new WorkloadRef("shop", "Deployment", "web");
    private static final WorkloadRef DB = new WorkloadRef("shop", "StatefulSet", "db");

    @TempDir
    Path state;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @BeforeEach
    void agentLearned() throws IOException {
        Baselines b = new Baselines(BaselineConfig.defaults());
        b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", List.of("nginx", "-g", "daemon off;"), T0);
        b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0);
        b.dnsName(WEB, "api.example.com", T0);
        b.exec(DB, "db", "/usr/bin/postgres", "postgres", List.of("postgres"), T0);
        b.listening(DB, 5432, "tcp", T0);
        new PolicyStore(state).save(b, T0);
    }

    @Test
    void listShowsOneLinePerWorkload() {
        assertThat(run("policy", "list", "--state-dir", state.toString())).isZero();
        assertThat(out.toString().lines().toList()).containsExactly(
                "NAMESPACE  KIND         NAME  MODE   LEARNING SINCE        LAST CHANGE           CONTAINERS  PROCESSES  PEERS  PORTS  DNS  FILE DIRS",
                "shop       StatefulSet  db    learn  2025-11-24T16:00:00Z  2025-11-24T16:00:00Z  1           1          0      1      0    0",
                "shop       Deployment   web   learn  2025-11-24T16:00:00Z  2025-11-24T16:00:00Z  1           1          1      0      1    0");
    }

    @Test
    void listOfAnEmptyStateDirectorySaysWhy() {
        assertThat(run("policy", "list", "--state-dir", state.resolve("none").toString())).isZero();
        assertThat(out.toString()).startsWith("no workload policies in " + state.resolve("none").resolve("policies"));
    }

    @Test
    void modeChangesTheStoredModeAndTheAgentTakesItUp() throws IOException {
        Baselines agent = new Baselines(BaselineConfig.defaults());
        PolicyStore agentStore = new PolicyStore(state);
        agentStore.load(agent, T0);

        assertThat(run("policy", "mode", "shop/web", "protect", "--state-dir", state.toString())).isZero();
        assertThat(out.toString()).isEqualTo("shop/web (Deployment): learn -> protect\n");
        agentStore.save(agent, T0);
        assertThat(agent.mode(WEB)).isEqualTo(Mode.PROTECT);
        assertThat(agent.exec(WEB, "web", "/bin/sh", "sh", List.of("sh"), T0)).isEqualTo(Verdict.BLOCK);
        assertThat(agent.exec(WEB, "web", "/usr/sbin/nginx", "nginx", List.of("nginx", "-g", "daemon off;"), T0))
                .isEqualTo(Verdict.KNOWN);
    }

    @Test
    void modeOfAWorkloadNotSeenYetNeedsItsKind() {
        assertThat(run("policy", "mode", "pay/api", "monitor", "--state-dir", state.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vigil: no policy for pay/api in " + state.resolve("policies")
                + "; to set the mode of a workload before it runs, give its kind: pay/Deployment/api\n");
        assertThat(run("policy", "mode", "pay/Deployment/api", "monitor", "--state-dir", state.toString())).isZero();
        assertThat(out.toString()).isEqualTo("pay/api (Deployment): new policy, monitor\n");
        assertThat(run("policy", "list", "--state-dir", state.toString())).isZero();
        assertThat(out.toString()).contains("pay        Deployment   api   monitor");
    }

    @Test
    void usageMistakesAreNamed() {
        assertThat(run("policy", "mode", "shop/web", "watch", "--state-dir", state.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vigil: mode 'watch': expected learn, monitor or protect\n");
        assertThat(run("policy", "mode", "web", "learn", "--state-dir", state.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vigil: workload 'web': expected NAMESPACE/NAME or NAMESPACE/KIND/NAME,"
                + " e.g. shop/web or shop/Deployment/web\n");
    }

    @Test
    void aNameOfTwoWorkloadsAsksForTheKind() throws IOException {
        Baselines b = new Baselines(BaselineConfig.defaults());
        new PolicyStore(state).load(b, T0);
        b.setMode(new WorkloadRef("shop", "StatefulSet", "web"), Mode.MONITOR, T0);
        new PolicyStore(state).save(b, T0);
        assertThat(run("policy", "export", "shop/web", "--state-dir", state.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vigil: shop/web names 2 workloads (shop/Deployment/web, shop/StatefulSet/web);"
                + " give the kind, e.g. shop/Deployment/web\n");
    }

    @Test
    void exportThenImportIntoAnotherStateDirectoryRoundTrips(@TempDir Path other) throws IOException {
        Path file = other.resolve("policies.yaml");
        assertThat(run("policy", "export", "-o", file.toString(), "--state-dir", state.toString())).isZero();
        assertThat(err.toString()).isEqualTo("exported 2 workload policies to " + file + "\n");
        String yaml = Files.readString(file);
        assertThat(yaml).contains("name: shop/db", "dns_names: [api.example.com]");

        Path fresh = other.resolve("state");
        assertThat(run("policy", "import", file.toString(), "--state-dir", fresh.toString())).isZero();
        assertThat(out.toString()).isEqualTo("imported 2 workload policies into " + fresh.resolve("policies") + "\n");
        assertThat(new PolicyStore(fresh).readAll(0)).isEqualTo(new PolicyStore(state).readAll(0));

        assertThat(run("policy", "export", "shop/db", "--state-dir", fresh.toString())).isZero();
        assertThat(out.toString()).contains("name: db").doesNotContain("name: web");
    }

    @Test
    void anEditedPolicyIsImportedAsWritten(@TempDir Path other) throws IOException {
        Path file = other.resolve("p.yaml");
        run("policy", "export", "shop/web", "-o", file.toString(), "--state-dir", state.toString());
        Files.writeString(file, Files.readString(file).replace("mode: learn", "mode: protect")
                .replace("dns_names: [api.example.com]", "dns_names: [api.example.com, cdn.example.com]"));
        assertThat(run("policy", "import", file.toString(), "--state-dir", state.toString())).isZero();
        var p = new PolicyStore(state).read(WEB, 0).orElseThrow();
        assertThat(p.mode()).isEqualTo(Mode.PROTECT);
        assertThat(p.dnsNames()).containsExactly("api.example.com", "cdn.example.com");
    }

    @Test
    void aBrokenFileImportsNothingAndSaysWhere(@TempDir Path other) throws IOException {
        Path file = other.resolve("bad.yaml");
        Files.writeString(file, """
                version: 1
                workloads:
                - workload: {namespace: a, kind: Pod, name: ok}
                  mode: learn
                - workload: {namespace: a, kind: Pod, name: bad}
                  mode: enforce
                """);
        assertThat(run("policy", "import", file.toString(), "--state-dir", state.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vigil: " + file + ": workloads[1].mode: expected learn, monitor or protect,"
                + " got 'enforce'; nothing was imported\n");
        assertThat(new PolicyStore(state).readAll(0)).hasSize(2);
        assertThat(run("policy", "import", other.resolve("missing.yaml").toString(), "--state-dir", state.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vigil: no such file: " + other.resolve("missing.yaml") + "\n");
    }

    @Test
    void aBrokenStateFileIsNamed() throws IOException {
        Path bad = state.resolve("policies").resolve("x_Pod_y.yaml");
        Files.writeString(bad, "version: 3\n");
        assertThat(run("policy", "list", "--state-dir", state.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("vigil: " + bad + ": version 3 is not supported; this Vigil reads version 1"
                + " (export the policy again with this Vigil, or convert the file); fix or delete that file\n");
    }
}
