package dev.vigil.detect.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionParserTest {

    /** A canonical rendering of a tree, to compare parses compactly. */
    static String show(Expr e) {
        return switch (e) {
            case Expr.And a -> a.children().stream().map(ConditionParserTest::show).collect(Collectors.joining(" and ", "(", ")"));
            case Expr.Or o -> o.children().stream().map(ConditionParserTest::show).collect(Collectors.joining(" or ", "(", ")"));
            case Expr.Not n -> "not " + show(n.child());
            case Expr.Identifier id -> id.name();
            case Expr.Check c -> show(c.left()) + " " + c.op() + (c.right() == null ? "" : " " + show(c.right()));
        };
    }

    static String show(Expr.Operand o) {
        return switch (o) {
            case Expr.Field f -> f.display();
            case Expr.Transform t -> t.function() + "(" + show(t.arg()) + ")";
            case Expr.Value v -> "<" + v.text() + ">";
            case Expr.ValueList l -> l.values().stream().map(v -> "<" + v + ">").collect(Collectors.joining(",", "[", "]"));
        };
    }

    private static String parse(String condition) throws ConditionException {
        return show(ConditionParser.parse(condition));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a or b and c|(a or (b and c))",
            "not a and b|(not a and b)",
            "not not a|a",
            "not (a or b)|not (a or b)",
            "not(a)|not a",
            "a and(b or c)|(a and (b or c))",
            "a or(b)|(a or b)",
            "proc.name=bash|proc.name = <bash>",
            "proc.name = bash|proc.name = <bash>",
            "proc.name==bash|proc.name == <bash>",
            "fd.num>=0|fd.num >= <0>",
            "evt.rawres < -1|evt.rawres < <-1>",
            "proc.tty != 0|proc.tty != <0>",
            "thread.cap_effective > 0x10|thread.cap_effective > <0x10>",
            "proc.pname exists|proc.pname exists",
            "proc.aname[2] in (sh, bash)|proc.aname[2] in [<sh>,<bash>]",
            "proc.name in(sh)|proc.name in [<sh>]",
            "proc.name in ()|proc.name in []",
            "proc.name in shells|proc.name in <shells>",
            "proc.pname in (runc:[0:PARENT], runc)|proc.pname in [<runc:[0:PARENT]>,<runc>]",
            "fd.name pmatch (/etc, /usr/lib)|fd.name pmatch [</etc>,</usr/lib>]",
            "evt.arg.flags contains O_CREAT|evt.arg.flags contains <O_CREAT>",
            "container.mount.dest[/var/run/docker.sock] exists|container.mount.dest[/var/run/docker.sock] exists",
            "k8s.ns.label['vigil.dev/encryption'] = required|k8s.ns.label[vigil.dev/encryption] = <required>",
            "tolower(proc.name) = bash|tolower(proc.name) = <bash>",
            "toupper( basename(fd.name) ) = X|toupper(basename(fd.name)) = <X>",
            "proc.name = val(proc.pname)|proc.name = val(proc.pname)",
            "proc.name icontains 'Bash'|proc.name icontains <Bash>",
            "fd.name glob '/home/*/.ssh/*'|fd.name glob </home/*/.ssh/*>",
            "proc.cmdline regex '^a.*b$'|proc.cmdline regex <^a.*b$>",
            "evt.buffer bcontains cafebabe|evt.buffer bcontains <cafebabe>",
            "proc.name intersects (a, b)|proc.name intersects [<a>,<b>]",
            "(a)|a",
            "((a) and ((b)))|(a and b)",
    })
    void parsesAsFalcoDoes(String condition, String expected) throws ConditionException {
        assertThat(parse(condition)).isEqualTo(expected);
    }

    @Test
    void multiLineConditionsAsYamlFoldsThem() throws ConditionException {
        String c = "spawned_process\n  and container\n  and not proc.name in (\"<NA>\", 'N/A')\n";
        assertThat(parse(c)).isEqualTo("(spawned_process and container and not proc.name in [<<NA>>,<N/A>])");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`proc.name = \"a\\\"b\"`|a\"b",
            "`proc.name = 'a\\'b'`|a'b",
            "`proc.name = \"tab\\there\"`|tab\there",
            "`proc.name = \"back\\\\slash\"`|back\\slash",
            "`proc.name = 'with space'`|with space",
            "`proc.name = \"sl\\/ash\"`|sl/ash",
    })
    void quotedStringsTakeFalcoEscapes(String condition, String value) throws ConditionException {
        Expr.Check check = (Expr.Check) ConditionParser.parse(condition);
        assertThat(((Expr.Value) check.right()).text()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "proc.name = \"a\\qb\"|unsupported string escape sequence: \\q|1:13",
            "proc.name = 'a\\\"b'|invalid \\\" escape in '-quoted string|1:13",
            "a and|expected blank or '(' after 'and'|1:6",
            "'a and '|expected a '(' token, a field check, or an identifier|1:7",
            "a andb|expected blank or '(' after 'and'|1:6",
            "a or|expected blank or '(' after 'or'|1:5",
            "(a|expected a ')' token|1:3",
            "a b|unexpected token after 'a', expecting 'or', 'and'|1:3",
            "proc.name|expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'|1:10",
            "proc.name contains|expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'|1:11",
            "fd.num > abc|expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename'|1:10",
            "proc.name in (a, )|expected a string value|1:18",
            "proc.name in (a|expected a ')' token|1:16",
            "proc.aname[2 = x|expected a ']' token|1:13",
            "tolower(x) = a|expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename'|1:9",
    })
    void errorsCarryPositionAndFalcoWording(String condition, String message, String pos) {
        assertThatThrownBy(() -> ConditionParser.parse(condition))
                .isInstanceOfSatisfying(ConditionException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.pos().toString()).isEqualTo(pos);
                });
    }

    @Test
    void positionsCountLinesAndColumns() {
        assertThatThrownBy(() -> ConditionParser.parse("a and\n  b and\n  proc.name ="))
                .isInstanceOfSatisfying(ConditionException.class, e -> assertThat(e.pos()).isEqualTo(new Pos(27, 3, 14)));
    }

    @Test
    void emptyConditionIsAnError() {
        assertThatThrownBy(() -> ConditionParser.parse("")).hasMessage("filter input string is empty");
    }

    @Test
    void nestingIsLimitedAtMaxDepth() throws ConditionException {
        int nested = 150;
        assertThat(parse("(".repeat(nested) + "a" + ")".repeat(nested))).isEqualTo("a");
        String tooDeep = "(".repeat(ConditionParser.MAX_DEPTH / 4 + 1) + "a" + ")".repeat(ConditionParser.MAX_DEPTH / 4 + 1);
        assertThatThrownBy(() -> ConditionParser.parse(tooDeep))
                .hasMessage("exceeded max depth limit of " + ConditionParser.MAX_DEPTH);
    }

    @Test
    void depthLimitIsExactlyMaxDepth() throws ConditionException {
        // each parenthesis level costs four frames (or, and, not, check) plus one for the embedded remainder
        int deepest = 0;
        for (int n = 1; n < ConditionParser.MAX_DEPTH; n++) {
            try {
                ConditionParser.parse("(".repeat(n) + "a" + ")".repeat(n));
                deepest = n;
            } catch (ConditionException e) {
                assertThat(e.getMessage()).isEqualTo("exceeded max depth limit of " + ConditionParser.MAX_DEPTH);
                break;
            }
        }
        assertThat(deepest).isEqualTo((ConditionParser.MAX_DEPTH - 5) / 5);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomInputNeverEscapesAsAnotherException(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "ab.() ,=!<>'\"\\[]notandor0x1-+in";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + random.nextInt(40);
            for (int k = 0; k < len; k++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = b.toString();
            try {
                ConditionParser.parse(input);
            } catch (ConditionException expected) {
                assertThat(expected.pos().idx()).as("seed %d input %s", seed, input).isBetween(0, input.length());
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " input " + input, e);
            }
        }
    }
}
