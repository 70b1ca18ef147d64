package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.model.alert.Priority;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every overridable key, and plain redefinition in a later file, applied as Falco applies them. */
class OverrideTest {

    private static final String BASE = """
            - list: names
              items: [a]
            - macro: is_exec
              condition: evt.type = execve
            - rule: R
              desc: first
              condition: is_exec and proc.name in (names)
              output: out %proc.name
              priority: WARNING
              tags: [t1]
              exceptions:
                - name: ex
                  fields: [proc.pname]
                  values: [[p1]]
            - rule: S
              desc: s
              condition: is_exec and proc.name = s
              output: s
              priority: INFO
            """;

    private final HostContext ctx = new HostContext("n");

    private static RuleSet load(String local) {
        RuleSet set = RuleEngine.builder().source(HostFields.SOURCE).matching(RuleMatching.ALL).build()
                .load(List.of(new RuleFile("base.yaml", BASE), new RuleFile("local.yaml", local)));
        assertThat(set.report().errors()).isEmpty();
        return set;
    }

    private List<Match> run(RuleSet set, String name, String parent) {
        List<Match> out = new ArrayList<>();
        set.forSource(HostFields.SOURCE).evaluate(Events.exec(name, List.of(name), parent).bind(ctx), out::add);
        return out;
    }

    private static Rule rule(RuleSet set, String name) {
        return set.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void appendToOutputDescAndTags() {
        RuleSet set = load("""
                - rule: R
                  desc: second
                  output: "(pid=%proc.pid)"
                  tags: [t2]
                  override:
                    desc: append
                    output: append
                    tags: append
                """);
        Rule r = rule(set, "R");
        assertThat(r.description()).isEqualTo("first second");
        assertThat(r.tags()).containsExactlyInAnyOrder("t1", "t2");
        assertThat(run(set, "a", "x")).extracting(Match::output).containsExactly("out a (pid=4242)");
    }

    @Test
    void replaceTagsExceptionsAndCondition() {
        RuleSet set = load("""
                - rule: R
                  condition: is_exec and proc.name = b
                  tags: [only]
                  exceptions:
                    - name: other
                      fields: proc.pname
                      values: [p2]
                  override:
                    condition: replace
                    tags: replace
                    exceptions: replace
                """);
        assertThat(rule(set, "R").tags()).containsExactly("only");
        assertThat(run(set, "a", "x")).isEmpty();
        assertThat(run(set, "b", "p1")).as("the old exception is gone").hasSize(1);
        assertThat(run(set, "b", "p2")).as("the new exception applies").isEmpty();
    }

    @Test
    void appendExceptionsAddsNewOnesAndValuesToExistingOnes() {
        RuleSet set = load("""
                - list: names
                  items: [z]
                  override:
                    items: append
                - rule: R
                  exceptions:
                    - name: ex
                      values: [[p3]]
                    - name: by_name
                      fields: proc.name
                      values: [a]
                  override:
                    exceptions: append
                """);
        assertThat(run(set, "a", "x")).as("new exception by_name").isEmpty();
        assertThat(run(set, "z", "p1")).as("ex's own value").isEmpty();
        assertThat(run(set, "z", "p3")).as("value appended to ex").isEmpty();
        assertThat(run(set, "z", "p9")).hasSize(1);
    }

    @Test
    void laterDefinitionsReplaceEarlierOnesInPlace() {
        RuleSet set = load("""
                - list: names
                  items: [c]
                - macro: is_exec
                  condition: evt.type in (execve, execveat)
                - rule: R
                  desc: redefined
                  condition: is_exec and proc.name in (names)
                  output: new %proc.name
                  priority: ERROR
                """);
        Rule r = rule(set, "R");
        assertThat(r.priority()).isEqualTo(Priority.ERROR);
        assertThat(r.location().toString()).isEqualTo("local.yaml:5:3");
        assertThat(set.rules()).extracting(Rule::name).as("R keeps its place before S").containsExactly("R", "S");
        assertThat(run(set, "c", "p1")).as("the redefinition has no exceptions").extracting(Match::output)
                .containsExactly("new c");
        assertThat(run(set, "a", "x")).isEmpty();
    }

    @Test
    void replacePriorityAndDisable() {
        RuleSet set = load("""
                - rule: R
                  priority: critical
                  override:
                    priority: replace
                - rule: S
                  enabled: false
                  override:
                    enabled: replace
                """);
        assertThat(rule(set, "R").priority()).isEqualTo(Priority.CRITICAL);
        assertThat(set.rules()).extracting(Rule::name).containsExactly("R");
        assertThat(set.report().rule("S").enabled()).isFalse();
    }
}
