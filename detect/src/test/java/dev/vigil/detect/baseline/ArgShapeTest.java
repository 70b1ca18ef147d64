package dev.vigil.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgShapeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "worker --id 42 --port=8080           | worker --id <n> --port=<n>",
            "-g daemon off;                       | -g daemon off;",
            "--config /tmp/tmp.x8Fq2/app.yaml     | --config <tmp>",
            "--cache /var/tmp/cache-1             | --cache <tmp>",
            "/tmpfile                             | /tmpfile",
            "run 550e8400-e29b-41d4-a716-446655440000 | run <uuid>",
            "run abcdefab-abcd-abcd-abcd-abcdefabcdef | run <uuid>",
            "rm -f /var/run/ctr-3f9a2c81d4e5.pid  | rm -f /var/run/ctr-<hex>.pid",
            "git checkout 9fceb02                 | git checkout <hex>",
            "echo dead beef facade                | echo dead beef facade",
            "python3 -m http.server 8000          | python3 -m http.server <n>",
            "--version=1.27.3                     | --version=<n>.<n>.<n>",
            "sha256sum x86_64                     | sha256sum x86_<n>",
    })
    void normalizesWhatChangesFromRunToRun(String args, String shape) {
        List<String> argv = new ArrayList<>();
        argv.add("argv0");
        Collections.addAll(argv, args.split(" "));
        assertThat(ArgShape.text(argv)).isEqualTo(shape);
    }

    @org.junit.jupiter.api.Test
    void argv0IsNotPartOfTheShapeAndNoArgumentsIsEmpty() {
        assertThat(ArgShape.text(List.of("/usr/bin/a"))).isEmpty();
        assertThat(ArgShape.text(null)).isEmpty();
        assertThat(ArgShape.hash(7, List.of("x"))).isEqualTo(ArgShape.hash(7, List.of("y")));
    }

    @org.junit.jupiter.api.Test
    void argumentCountAndLengthAreBoundedAtLimitPlusOne() {
        List<String> argv = new ArrayList<>();
        argv.add("a0");
        for (int i = 0; i < ArgShape.MAX_ARGS; i++) {
            argv.add("x");
        }
        assertThat(ArgShape.text(argv)).isEqualTo(String.join(" ", Collections.nCopies(ArgShape.MAX_ARGS, "x")));
        argv.add("y");
        argv.add("z");
        assertThat(ArgShape.text(argv)).endsWith("x <more>").doesNotContain("y");
        String exact = "q".repeat(ArgShape.MAX_ARG_CHARS);
        assertThat(ArgShape.text(List.of("a0", exact))).isEqualTo(exact);
        assertThat(ArgShape.text(List.of("a0", exact + "r"))).isEqualTo(exact + "<cut>");
    }

    @RepeatedTest(50)
    void hashOfArgumentsEqualsHashOfTheirShapeText(RepetitionInfo info) {
        long seed = 0xa11ce + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        String[] pieces = {"--id", "42", "/tmp/x", "3f9a2c81", "-", "=", "abc", "550e8400-e29b-41d4-a716-446655440000",
                "é", " ", "0x1f", "DEADBEEF1"};
        for (int round = 0; round < 20; round++) {
            List<String> argv = new ArrayList<>();
            argv.add("argv0");
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                StringBuilder a = new StringBuilder();
                int parts = random.nextInt(5);
                for (int k = 0; k < parts; k++) {
                    a.append(random.nextBoolean() ? pieces[random.nextInt(pieces.length)]
                            : new String(Mutations.randomBytes(random, random.nextInt(8)), StandardCharsets.ISO_8859_1));
                }
                if (random.nextInt(20) == 0) {
                    a.append("w".repeat(ArgShape.MAX_ARG_CHARS));
                }
                argv.add(a.toString());
            }
            long start = random.nextLong();
            assertThat(ArgShape.hash(start, argv)).as("seed %d argv %s", seed, argv)
                    .isEqualTo(ArgShape.textHash(start, ArgShape.text(argv)));
        }
    }
}
