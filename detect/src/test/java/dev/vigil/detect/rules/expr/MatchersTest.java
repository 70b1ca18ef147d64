package dev.vigil.detect.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MatchersTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "'/home/*/.ssh/*', '/home/alice/.ssh/id_rsa', true",
            "'/home/*/.ssh/*', '/home/a/b/.ssh/x', true",
            "'/home/*/.ssh/*', '/root/.ssh/x', false",
            "'*../*../*', 'a/../b/../c', true",
            "'*../*../*', 'a/../b', false",
            "'/proc/*/environ', '/proc/1/environ', true",
            "'a?c', 'abc', true",
            "'a?c', 'ac', false",
            "'[abc]x', 'bx', true",
            "'[!abc]x', 'bx', false",
            "'[!abc]x', 'dx', true",
            "'[^abc]x', 'dx', true",
            "'[a-c]x', 'cx', true",
            "'[a-c]x', 'dx', false",
            "'[]]x', ']x', true",
            "'[[:digit:]]*', '7up', true",
            "'[[:digit:]]*', 'up', false",
            "'\\*', '*', true",
            "'\\*', 'a', false",
            "'[x', '[x', true",
            "'*', '', true",
            "'', '', true",
            "'', 'a', false",
            "'***a', 'bba', true",
    })
    void globIsFnmatchWithoutFlags(String pattern, String value, boolean expected) {
        assertThat(new Glob(pattern, false).matches(value)).isEqualTo(expected);
        assertThat(new Glob(pattern, false).matches(new StringBuilder(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "iglob {0} ~ {1}")
    @CsvSource({"'*.EXE', 'a.exe', true", "'[A-C]X', 'bx', true", "'abc', 'ABD', false"})
    void iglobFoldsAsciiCase(String pattern, String value, boolean expected) {
        assertThat(new Glob(pattern, true).matches(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1} pmatch {0} = {2}")
    @CsvSource({
            "'/usr', '/usr', true",
            "'/usr', '/usr/lib/x', true",
            "'/usr', '/usrx', false",
            "'/usr', '/us', false",
            "'/usr/lib', '/usr', false",
            "'//etc/', '/etc/passwd', true",
            "'/', '/anything/at/all', true",
            "'/etc', '/', false",
            "'/home/*/.ssh', '/home/bob/.ssh/id', true",
            "'/home/*/.ssh', '/home/bob/.sshx/id', false",
            "'/var/run/docker.sock', '/var/run/docker.sock', true",
    })
    void pmatchIsPerComponentPrefix(String search, String value, boolean expected) {
        PathPrefixSet set = new PathPrefixSet(List.of(search, "/opt/other"));
        assertThat(set.matches(value)).isEqualTo(expected);
        assertThat(set.matches(new StringBuilder(value))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "contains, 'bash -c id', '-c', true",
            "contains, 'bash', 'x', false",
            "icontains, 'BEGIN Private KEY', 'begin private', true",
            "icontains, 'abc', 'ABD', false",
            "startswith, '/dev/shm/x', '/dev/shm/', true",
            "endswith, 'a.sh', '.sh', true",
            "endswith, 'a.shx', '.sh', false",
            "=, 'a', 'a', true",
            "!=, 'a', 'a', false",
            "<, 'abc', 'abd', true",
            ">=, 'abd', 'abd', true",
            "regex, 'nc -e /bin/sh', '.*-e +/bin/(ba)?sh', true",
            "regex, 'nc -e /bin/sh x', 'nc -e', false",
            "bcontains, 'xxCAFEBABE', '43414645', true",
            "bstartswith, 'CAFE', '4341', true",
            "bstartswith, 'XCAFE', '4341', false",
    })
    void stringOperators(String op, String value, String operand, boolean expected) {
        StrMatcher m = StrMatcher.of(op, List.of(operand));
        assertThat(m.matches(value)).isEqualTo(expected);
        assertThat(m.matches(new StringBuilder(value))).as("on a CharSequence buffer").isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void multiContainsAgreesWithOneScanPerOperand(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "abAB'( -";
        for (int round = 0; round < 300; round++) {
            List<String> needles = new ArrayList<>();
            for (int k = 1 + random.nextInt(6); k > 0; k--) {
                needles.add(word(random, alphabet, 1 + random.nextInt(4)));
            }
            boolean fold = random.nextBoolean();
            MultiContains multi = new MultiContains(needles, fold);
            for (int v = 0; v < 20; v++) {
                String value = word(random, alphabet + "é", random.nextInt(24));
                boolean expected = needles.stream().anyMatch(n -> StrMatcher.of(fold ? "icontains" : "contains", List.of(n))
                        .matches(value));
                assertThat(multi.matches(value)).as("seed %d needles %s fold %s value %s", seed, needles, fold, value)
                        .isEqualTo(expected);
                assertThat(multi.matches(new StringBuilder(value))).isEqualTo(expected);
            }
        }
    }

    private static String word(SplittableRandom random, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void orsOfContainsOnOneFieldBecomeOneScan() throws ConditionException {
        Cond<HostContext> c = ConditionCompiler.compile(ConditionParser.parse(
                "proc.cmdline icontains 'Union Select' or proc.name = x or proc.cmdline icontains 'sleep('"
                        + " or proc.cmdline contains DROP or proc.cmdline contains ';--'"), HostFields.SOURCE).cond();
        assertThat(c).isInstanceOf(Cond.Or.class);
        assertThat(((Cond.Or<HostContext>) c).children).hasSize(3)
                .allSatisfy(k -> assertThat(k).isInstanceOf(Cond.StrTest.class));
        HostContext ctx = new HostContext("n");
        ctx.reset().process(1, 0, "psql", null, List.of("psql", "-c", "select 1 UNION select 2"), null);
        assertThat(c.test(ctx)).isTrue();
        ctx.reset().process(1, 0, "psql", null, List.of("psql", "-c", "drop table x"), null);
        assertThat(c.test(ctx)).as("contains stays case-sensitive").isFalse();
        ctx.reset().process(1, 0, "x", null, List.of("x"), null);
        assertThat(c.test(ctx)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"'bash', true", "'zsh', true", "'fish', false", "'', false"})
    void setsAnswerForStringsAndBuffers(String value, boolean expected) {
        CharSeqSet set = new CharSeqSet(List.of("bash", "sh", "zsh", "bash"));
        assertThat(set.contains(value)).isEqualTo(expected);
        assertThat(set.contains(new StringBuilder(value))).isEqualTo(expected);
        assertThat(set.values()).hasSize(3);
    }
}
