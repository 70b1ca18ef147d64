package dev.vigil.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.testkit.Requirements;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RulesCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void checkReportsTheDefaults() {
        Run r = run("rules", "check");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("rule files: classpath:rules/vigil_rules.yaml").contains("rules: 23 loaded, 17 enabled");
    }

    @Test
    void checkFailsWithFileLineColumnOnErrors(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "- rule: r\n  desc: d\n  priority: LOUD\n  output: o\n  condition: evt.type=open\n");
        Run r = run("rules", "check", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(bad + ":3:13: error: rule 'r': Invalid priority [LOAD_ERR_YAML_VALIDATE]");
        assertThat(r.err()).contains("vigil: 1 error(s) in the rule files (listed above): fix them and run vigil rules check again");
        Run missing = run("rules", "check", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read rule file").contains("check the path");
    }

    @Test
    void checkFalcosFilesWithTheCompatibilityMacros() {
        Path falco = Requirements.corpora().resolve("falco");
        Run r = run("rules", "check", "--no-defaults", "--falco-compat", falco.resolve("falco_rules.yaml").toString(),
                falco.resolve("falco-incubating_rules.yaml").toString(), falco.resolve("falco-sandbox_rules.yaml").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("rules: 93 loaded, 81 enabled, 55 enabled and evaluable, 33 need fields Vigil lacks")
                .contains("not evaluable: Launch Privileged Container — missing proc.vpid, container.privileged");
    }

    @Test
    void fieldsListsBothSources() {
        Run r = run("rules", "fields");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("source syscall").contains("source vigil_net").containsPattern("proc\\.aname\\[N\\] +string")
                .containsPattern("conn\\.id\\.resp_p +number");
        assertThat(run("rules", "fields", "--source", "k8s_audit").err()).contains("unknown source 'k8s_audit': use syscall or vigil_net");
    }
}
