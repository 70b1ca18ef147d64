package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.model.alert.Priority;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The format acceptance test: base_rules.yaml and a user's local_rules.yaml using lists (nested),
 * macros, exceptions (tuple and single-field, with appended values), legacy append, override
 * append/replace, and enabled toggles load and fire as Falco would, one positive and one negative
 * event per construct.
 */
class RuleFileSemanticsTest {

    private static RuleSet rules;
    private static SourceRules<HostContext> host;
    private final HostContext ctx = new HostContext("node-1");

    @BeforeAll
    static void load() {
        rules = RuleEngine.builder().source(HostFields.SOURCE).matching(RuleMatching.ALL).build()
                .load(List.of(RuleFile.resource("rules/base_rules.yaml"), RuleFile.resource("rules/local_rules.yaml")));
        host = rules.forSource(HostFields.SOURCE);
    }

    private List<Match> eval(HostContext event) {
        List<Match> out = new ArrayList<>();
        host.evaluate(event, out::add);
        return out;
    }

    private List<Match> eval(Events.Builder event) {
        return eval(event.bind(ctx));
    }

    private List<String> fired(Events.Builder event) {
        return eval(event).stream().map(m -> m.rule().name()).toList();
    }

    @Test
    void loadsWithoutErrorsAndReportsDeprecations() {
        LoadReport report = rules.report();
        assertThat(report.errors()).isEmpty();
        assertThat(report.rules()).hasSize(7).allMatch(r -> r.state() == LoadReport.State.EVALUABLE);
        assertThat(report.rule("Disabled later").enabled()).isFalse();
        assertThat(report.rule("Enabled later").enabled()).isTrue();
        assertThat(report.warnings()).extracting(LoadMessage::toString).contains(
                "classpath:rules/local_rules.yaml:2:3: warning: list 'shell_binaries': 'append' key is deprecated. Add an "
                        + "'append' entry (e.g. 'condition: append') under 'override' instead. [LOAD_DEPRECATED_ITEM]",
                "classpath:rules/local_rules.yaml:38:3: warning: rule 'Disabled later': The standalone 'enabled' key usage "
                        + "is deprecated. The correct approach requires also a 'replace' entry under the 'override' key "
                        + "(i.e. 'enabled: replace'). [LOAD_DEPRECATED_ITEM]");
        assertThat(report.pluginRequirements()).containsExactly("container 0.4.0");
        assertThat(report.requiredEngineVersion()).isEqualTo("0.31.0");
        assertThat(report.warnings()).noneMatch(m -> m.code() == LoadCode.LOAD_NO_EVTTYPE);
    }

    @Test
    void listsNestAndTakeAppendedItems() {
        assertThat(fired(Events.exec("bash", List.of("bash"), "containerd-shim"))).contains("Shell in container");
        assertThat(fired(Events.exec("zsh", List.of("zsh"), "containerd-shim"))).contains("Shell in container");
        assertThat(fired(Events.exec("ash", List.of("ash"), "containerd-shim")))
                .as("ash reached all_shells through the appended shell_binaries").contains("Shell in container");
        assertThat(fired(Events.exec("python3", List.of("python3"), "containerd-shim"))).isEmpty();
    }

    @Test
    void macrosAreExpandedAndLegacyMacroAppendApplies() {
        assertThat(fired(Events.exec("sh", List.of("sh"), "containerd-shim"))).contains("Shell in container");
        Events.Builder onHost = Events.exec("sh", List.of("sh"), "sshd").container(null, null, null);
        assertThat(fired(onHost)).doesNotContain("Shell in container");
        Events.Builder system = Events.exec("sh", List.of("sh"), "containerd-shim")
                .container(Events.CONTAINER_ID, "containerd", Events.identity("kube-system", "registry.k8s.io/x:1"));
        assertThat(fired(system)).as("container macro appended 'and not k8s.ns.name = kube-system'")
                .doesNotContain("Shell in container");
    }

    @Test
    void macroOverrideReplacesTheCondition() {
        assertThat(fired(Events.exec("bash", List.of("bash"), "sshd").session(34816, 1, 0)))
                .contains("Interactive shell");
        assertThat(fired(Events.exec("bash", List.of("bash"), "sshd").session(34816, 1, 0).user(0, 0, "root")))
                .as("the replaced macro excludes root").doesNotContain("Interactive shell");
        assertThat(fired(Events.exec("bash", List.of("bash"), "sshd"))).doesNotContain("Interactive shell");
    }

    @Test
    void tupleExceptionSuppressesOnlyTheListedCombination() {
        Events.Builder trusted = Events.exec("sh", List.of("sh"), "sshd").container(Events.CONTAINER_ID, "containerd",
                Events.identity("shop", "registry.example/trusted/base:3"));
        assertThat(fired(trusted)).doesNotContain("Shell in container");
        Events.Builder otherImage = Events.exec("sh", List.of("sh"), "sshd");
        assertThat(fired(otherImage)).contains("Shell in container");
        Events.Builder otherParent = Events.exec("sh", List.of("sh"), "nginx").container(Events.CONTAINER_ID,
                "containerd", Events.identity("shop", "registry.example/trusted/base:3"));
        assertThat(fired(otherParent)).contains("Shell in container");
    }

    @Test
    void singleFieldExceptionKeepsItsValuesAndTheAppendedOnes() {
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "healthcheck"), "runc"))).doesNotContain("Shell in container");
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "probe"), "runc")))
                .as("value appended by the local file").doesNotContain("Shell in container");
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "id"), "runc"))).contains("Shell in container");
    }

    @Test
    void overrideAppendExtendsTheCondition() {
        assertThat(fired(Events.exec("sh", List.of("sh"), "crond"))).doesNotContain("Shell in container");
        assertThat(fired(Events.exec("sh", List.of("sh"), "cron"))).contains("Shell in container");
    }

    @Test
    void overrideReplacesPriorityAndOutputAndListAppendOverride() {
        List<Match> m = eval(Events.open("cat", "/root/.ssh/id_rsa", "r"));
        assertThat(m).hasSize(1);
        assertThat(m.getFirst().rule().priority()).isEqualTo(Priority.CRITICAL);
        assertThat(m.getFirst().output()).isEqualTo("Sensitive file /root/.ssh/id_rsa read by cat (cat /root/.ssh/id_rsa)");
        assertThat(fired(Events.open("cat", "/root/.aws/credentials", "r"))).containsExactly("Sensitive file read");
        assertThat(fired(Events.open("cat", "/etc/shadow", "r"))).containsExactly("Sensitive file read");
        assertThat(fired(Events.open("cat", "/etc/shadow-", "r"))).as("pmatch is per path component").isEmpty();
        assertThat(fired(Events.open("cat", "/root/.ssh/id_rsa", "w"))).isEmpty();
    }

    @Test
    void enabledTogglesApplyInBothDirections() {
        assertThat(fired(Events.exec("disabled-later", List.of("disabled-later"), "bash"))).isEmpty();
        assertThat(fired(Events.exec("enabled-later", List.of("enabled-later"), "bash"))).containsExactly("Enabled later");
    }

    @Test
    void anameWithoutIndexChecksEveryAncestor() {
        assertThat(fired(Events.exec("curl", List.of("curl"), "sh", "php-fpm", "nginx"))).containsExactly("Ancestor is a web server");
        assertThat(fired(Events.exec("curl", List.of("curl"), "sh", "php-fpm", "init"))).isEmpty();
        assertThat(fired(Events.exec("nginx", List.of("nginx"), "nginx"))).isEmpty();
    }

    @Test
    void rulesAreIndexedByEventType() {
        assertThat(host.rulesFor("execve")).extracting(Rule::name).containsExactly("Shell in container", "Interactive shell",
                "Ancestor is a web server", "Enabled later", "Any event type");
        assertThat(host.rulesFor("open")).extracting(Rule::name).containsExactly("Sensitive file read", "Any event type");
        assertThat(host.rulesFor("ptrace")).extracting(Rule::name).containsExactly("Any event type");
        HostContext anyType = ctx.reset().event("ptrace", 1).process(1, 0, "everywhere", null, null, null);
        assertThat(eval(anyType)).extracting(Match::output).containsExactly("everywhere ptrace");
    }

    @Test
    void outputRendersFieldsAndNaAndOutputFields() {
        List<Match> m = eval(Events.exec("bash", List.of("bash", "-i"), "containerd-shim"));
        Match shell = m.stream().filter(x -> x.rule().name().equals("Shell in container")).findFirst().orElseThrow();
        assertThat(shell.output()).as("folded YAML, trimmed as Falco does").isEqualTo("Shell in container (user=app container=app image=registry.example/shop/web "
                + "shell=bash parent=containerd-shim cmdline=bash -i tty=0 ancestor2=<NA>)");
        assertThat(shell.outputFields()).containsEntry("proc.cmdline", "bash -i").containsEntry("proc.tty", 0L)
                .containsEntry("proc.aname[2]", null).containsEntry("container.image.repository", "registry.example/shop/web");
        assertThat(shell.rule().tags()).containsExactlyInAnyOrder("container", "shell", "mitre_execution", "T1059");
        assertThat(shell.rule().location().toString()).isEqualTo("classpath:rules/base_rules.yaml:33:3");
    }

    @Test
    void firstMatchingStopsAtTheFirstRuleInLoadOrder() {
        RuleSet first = RuleEngine.builder().source(HostFields.SOURCE).build()
                .load(List.of(RuleFile.resource("rules/base_rules.yaml"), RuleFile.resource("rules/local_rules.yaml")));
        List<Match> out = new ArrayList<>();
        Events.Builder event = Events.exec("bash", List.of("bash"), "sshd").session(34816, 1, 0);
        assertThat(first.forSource(HostFields.SOURCE).evaluate(event.bind(ctx), out::add)).isEqualTo(1);
        assertThat(out).extracting(x -> x.rule().name()).containsExactly("Shell in container");
        assertThat(host.evaluate(event.bind(ctx), x -> { })).isEqualTo(2);
    }
}
