package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetFields;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Load errors and warnings name file:line:column, the item, and say what is wrong in Falco's words. */
class RuleLoaderErrorsTest {

    private static final String RULE = "- rule: r\n  desc: d\n  priority: WARNING\n  output: o\n";

    private static RuleSet load(String... files) {
        RuleEngine engine = RuleEngine.builder().source(HostFields.SOURCE).source(NetFields.SOURCE).build();
        List<RuleFile> rf = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            rf.add(new RuleFile("f" + i + ".yaml", files[i]));
        }
        return engine.load(rf);
    }

    private static String firstError(String... files) {
        List<LoadMessage> errors = load(files).report().errors();
        assertThat(errors).as("errors").isNotEmpty();
        return errors.getFirst().toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "yaml syntax|`- rule: x\n  condition: [a, b\n`|f0.yaml:3:1: error: expected ',' or ']', but got <stream end> [LOAD_ERR_YAML_PARSE]",
            "not a sequence|`rule: x\n`|f0.yaml:1:1: error: Rules content is not yaml array of objects [LOAD_ERR_YAML_VALIDATE]",
            "scalar item|`- just text\n`|f0.yaml:1:3: error: item: Unexpected element type. Each element should be a yaml associative array. [LOAD_ERR_YAML_VALIDATE]",
            "missing key|`- rule: r\n  condition: evt.type=open\n  desc: d\n  priority: INFO\n`|f0.yaml:1:3: error: rule 'r': Item has no mapping for key 'output' [LOAD_ERR_YAML_VALIDATE]",
            "empty value|`- rule: r\n  condition:\n  desc: d\n  priority: INFO\n  output: o\n`|f0.yaml:1:3: error: rule 'r': Mapping for key 'condition' is empty [LOAD_ERR_YAML_VALIDATE]",
            "bad priority|`- rule: r\n  condition: evt.type=open\n  desc: d\n  priority: SEVERE\n  output: o\n`|f0.yaml:4:13: error: rule 'r': Invalid priority [LOAD_ERR_YAML_VALIDATE]",
            "bad list name|`- list: 'a b'\n  items: [x]\n`|f0.yaml:1:3: error: list 'a b': List has an invalid name. List names must match a regular expression: ([^()\"'[:space:]=,]+) [LOAD_ERR_YAML_VALIDATE]",
            "bad macro name|`- macro: a.b\n  condition: evt.type=open\n`|f0.yaml:1:3: error: macro 'a.b': Macro has an invalid name. Macro names must match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*) [LOAD_ERR_YAML_VALIDATE]",
            "append without rule|`- rule: nope\n  condition: and x\n  append: true\n`|f0.yaml:1:3: error: rule 'nope': Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists [LOAD_ERR_VALIDATE]",
            "append without list|`- list: nope\n  items: [a]\n  override:\n    items: append\n`|f0.yaml:1:3: error: list 'nope': List uses 'append' or 'override.items: append' but no list by that name already exists [LOAD_ERR_VALIDATE]",
            "append without macro|`- macro: nope\n  condition: and x\n  append: true\n`|f0.yaml:1:3: error: macro 'nope': Macro uses 'append' or 'override.condition: append' but no macro by that name already exists [LOAD_ERR_VALIDATE]",
            "enable without rule|`- rule: nope\n  enabled: false\n`|f0.yaml:1:3: error: rule 'nope': Rule has 'enabled' key but no rule by that name already exists [LOAD_ERR_VALIDATE]",
            "override and append|`- rule: r\n  condition: and x\n  append: true\n  override:\n    condition: append\n`|f0.yaml:1:3: error: rule 'r': Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead. [LOAD_ERR_YAML_VALIDATE]",
            "append to priority|`- rule: r\n  priority: INFO\n  override:\n    priority: append\n`|f0.yaml:4:5: error: rule 'r': Key 'priority' cannot be appended to, use 'replace' instead [LOAD_ERR_YAML_VALIDATE]",
            "bad operation|`- rule: r\n  output: x\n  override:\n    output: merge\n`|f0.yaml:4:13: error: rule 'r': Invalid override operation for key 'output': 'merge'. Allowed values are: append replace  [LOAD_ERR_YAML_VALIDATE]",
            "override without key|`- rule: r\n  override:\n    output: replace\n`|f0.yaml:1:3: error: rule 'r': An replace override for 'output' was specified but 'output' is not defined [LOAD_ERR_YAML_VALIDATE]",
            "engine too new|`- required_engine_version: 99.0.0\n`|f0.yaml:1:3: error: required_engine_version: Rules require engine version 99.0.0, but engine version is 0.57.0 [LOAD_ERR_VALIDATE]",
            "engine unparsable|`- required_engine_version: x.y\n`|f0.yaml:1:3: error: required_engine_version: Unable to parse engine version 'x.y' as a semver string. Expected \"x.y.z\" semver format. [LOAD_ERR_YAML_VALIDATE]",
            "duplicate exception|`- rule: r\n  desc: d\n  priority: INFO\n  output: o\n  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: proc.name\n      values: [a]\n    - name: e\n      fields: proc.name\n      values: [b]\n`|f0.yaml:10:7: error: exception 'e': Exceptions names in the same object must be unique [LOAD_ERR_YAML_VALIDATE]",
    })
    void readErrors(String what, String yaml, String expected) {
        assertThat(firstError(yaml)).startsWith(expected);
    }

    @Test
    void undefinedMacroIsAnErrorWithItsPosition() {
        assertThat(firstError(RULE + "  condition: evt.type = open and\n    not nowhere_macro\n")).as("plain scalars fold lines").isEqualTo(
                "f0.yaml:5:14: error: rule 'r': Undefined macro 'nowhere_macro' used in filter. (at 1:25 of the expression)"
                        + " [LOAD_ERR_VALIDATE]");
    }

    @Test
    void macroLoopsAreErrors() {
        String redefinedIntoALoop = "- macro: a\n  condition: evt.type=open\n- macro: b\n  condition: a\n"
                + "- macro: a\n  condition: b\n" + RULE + "  condition: a\n";
        assertThat(firstError(redefinedIntoALoop))
                .isEqualTo("f0.yaml:6:14: error: macro 'a': reference loop in macro 'b' (at 1:1 of the expression) [LOAD_ERR_VALIDATE]");
    }

    @Test
    void aMacroSeesOnlyMacrosDefinedBeforeIt() {
        assertThat(firstError("- macro: early\n  condition: late\n- macro: late\n  condition: evt.type=open\n"))
                .isEqualTo("f0.yaml:2:14: error: macro 'early': Undefined macro 'late' used in filter. (at 1:1 of the expression)"
                        + " [LOAD_ERR_VALIDATE]");
        assertThat(load("- macro: late\n  condition: evt.type=open\n- macro: early\n  condition: late\n"
                + RULE + "  condition: early\n").report().errors()).isEmpty();
    }

    @Test
    void conditionSyntaxErrorsPointIntoTheExpression() {
        assertThat(firstError(RULE + "  condition: evt.type = open and (proc.name = a\n")).isEqualTo(
                "f0.yaml:5:14: error: rule 'r': expected a ')' token (at 1:35 of the expression) [LOAD_ERR_COMPILE_CONDITION]");
    }

    @Test
    void typeErrorsAreCompileErrors() {
        assertThat(firstError(RULE + "  condition: evt.type = open and proc.pid contains 1\n")).isEqualTo(
                "f0.yaml:5:14: error: rule 'r': 'contains' not supported for numeric filters (at 1:21 of the expression)"
                        + " [LOAD_ERR_COMPILE_CONDITION]");
        assertThat(firstError(RULE + "  condition: evt.type = open and evt.is_open_read = maybe\n")).isEqualTo(
                "f0.yaml:5:14: error: rule 'r': could not parse 'maybe' as a boolean for field evt.is_open_read: use true or"
                        + " false (at 1:21 of the expression) [LOAD_ERR_COMPILE_CONDITION]");
    }

    @Test
    void exceptionShapesAreValidated() {
        String rule = RULE + "  condition: evt.type = open\n  exceptions:\n    - name: e\n";
        assertThat(firstError(rule + "      fields: [proc.name, fd.name]\n      values: [[a]]\n")).isEqualTo(
                "f0.yaml:7:7: error: exception 'e': Fields and values lists must have equal length [LOAD_ERR_VALIDATE]");
        assertThat(firstError(rule + "      fields: [proc.name]\n      comps: [like]\n      values: [[a]]\n")).isEqualTo(
                "f0.yaml:7:7: error: exception 'e': 'like' is not a supported comparison operator [LOAD_ERR_VALIDATE]");
        assertThat(firstError(rule + "      fields: proc.name\n      comps: =\n      values: [a]\n")).isEqualTo(
                "f0.yaml:7:7: error: exception 'e': When fields is a single value, comps must be one of (in, pmatch, intersects)"
                        + " [LOAD_ERR_VALIDATE]");
    }

    @Test
    void redefiningWithAnotherSourceIsAnError() {
        assertThat(firstError(RULE + "  condition: evt.type = open\n", RULE + "  condition: conn.id.resp_p = 80\n  source: vigil_net\n"))
                .isEqualTo("f1.yaml:1:3: error: rule 'r': Rule has been re-defined with a different source [LOAD_ERR_VALIDATE]");
    }

    @Test
    void unknownSourcesAndItemsAreWarnedNotDropped() {
        RuleSet set = load(RULE + "  condition: ka.verb = create\n  source: k8s_audit\n- something: else\n");
        assertThat(set.report().errors()).isEmpty();
        assertThat(set.report().rule("r").state()).isEqualTo(LoadReport.State.UNKNOWN_SOURCE);
        assertThat(set.report().warnings()).extracting(LoadMessage::toString).containsExactly(
                "f0.yaml:1:3: warning: rule 'r': Unknown source k8s_audit, skipping [LOAD_UNKNOWN_SOURCE]",
                "f0.yaml:7:3: warning: item: Unknown top level item [LOAD_UNKNOWN_ITEM]");
    }

    @Test
    void fieldsVigilLacksLeaveTheRuleListedAsNotEvaluable() {
        RuleSet set = load(RULE + "  condition: evt.type = open and fd.net = 10.0.0.0/8 and not proc.env contains X\n");
        LoadReport.RuleStatus r = set.report().rule("r");
        assertThat(r.state()).isEqualTo(LoadReport.State.MISSING_FIELDS);
        assertThat(r.missingFields()).containsExactlyInAnyOrder("fd.net", "proc.env");
        assertThat(set.rules()).isEmpty();
        assertThat(set.report().render()).contains("not evaluable: r — missing fd.net, proc.env");
    }

    @Test
    void unusedMacrosAndListsAreWarned() {
        RuleSet set = load("- list: l\n  items: [a]\n- macro: m\n  condition: evt.type=open\n");
        assertThat(set.report().warnings()).extracting(LoadMessage::code)
                .containsExactly(LoadCode.LOAD_UNUSED_MACRO, LoadCode.LOAD_UNUSED_LIST);
    }

    @Test
    void aFileOverTheSizeLimitIsRefused() {
        String big = "#".repeat(RuleReader.MAX_FILE_CHARS + 1);
        assertThat(firstError(big)).isEqualTo("f0.yaml:0:0: error: rule file has " + (RuleReader.MAX_FILE_CHARS + 1)
                + " characters, more than the limit of " + RuleReader.MAX_FILE_CHARS + " [LOAD_ERR_FILE_READ]");
    }

    @Test
    void aliasesAreLimited() {
        StringBuilder y = new StringBuilder("- list: a\n  items: &x [a]\n");
        for (int i = 0; i <= RuleReader.MAX_ALIASES; i++) {
            y.append("- list: l").append(i).append("\n  items: *x\n");
        }
        assertThat(firstError(y.toString())).contains("LOAD_ERR_YAML_PARSE");
        StringBuilder ok = new StringBuilder("- list: a\n  items: &x [a]\n");
        for (int i = 0; i < RuleReader.MAX_ALIASES; i++) {
            ok.append("- list: l").append(i).append("\n  items: *x\n");
        }
        assertThat(load(ok.toString()).report().errors()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void mutatedRuleFilesNeverThrow(long seed) throws Exception {
        byte[] valid = (RuleFile.resource("rules/base_rules.yaml").content()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 60; i++) {
            String mutated = new String(dev.vigil.testkit.Mutations.mutate(random, valid), java.nio.charset.StandardCharsets.UTF_8);
            try {
                load(mutated);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i, e);
            }
        }
    }
}
