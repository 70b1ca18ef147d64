package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.linux.Native;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcParsersTest {

    static final String STAT = "4242 (a) b (c)) S 17 4242 4242 34816 4242 4194560 100 0 0 0 0 0 0 0 20 0 1 0 59146 "
            + "3133440 393 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    static final String STATUS = "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\nNgid:\t0\nPid:\t4242\n"
            + "PPid:\t17\nTracerPid:\t0\nUid:\t1000\t1001\t1002\t1003\nGid:\t50\t51\t52\t53\nCapEff:\t000001fffeffffff\n";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void statWithParenthesesInTheName() {
        ProcParsers.Stat s = ProcParsers.stat(b(STAT), STAT.length());
        assertThat(s).isEqualTo(new ProcParsers.Stat("a) b (c)", 17, 4242, 34816, 59146));
    }

    @Test
    void statusFields() {
        assertThat(ProcParsers.status(b(STATUS), STATUS.length()))
                .isEqualTo(new ProcParsers.Status(1001, 51, 0x1fffeffffffL, 17));
    }

    @Test
    void cmdline() {
        byte[] c = b("/bin/sh\0-c\0echo hi\0");
        assertThat(ProcParsers.cmdline(c, c.length)).containsExactly("/bin/sh", "-c", "echo hi");
        byte[] unterminated = b("/bin/sh\0-c");
        assertThat(ProcParsers.cmdline(unterminated, unterminated.length)).containsExactly("/bin/sh", "-c");
        assertThat(ProcParsers.cmdline(new byte[0], 0)).isEmpty();
    }

    @Test
    void cmdlineKeepsAtMostMaxArgs() {
        byte[] many = b("x\0".repeat(ProcParsers.MAX_ARGS + 1));
        assertThat(ProcParsers.cmdline(many, many.length)).hasSize(ProcParsers.MAX_ARGS);
        byte[] longArg = b("y".repeat(ProcParsers.MAX_ARG_BYTES + 1) + "\0");
        assertThat(ProcParsers.cmdline(longArg, longArg.length).getFirst()).hasSize(ProcParsers.MAX_ARG_BYTES);
    }

    @Test
    void bracketedNumbers() {
        assertThat(ProcParsers.bracketedNumber(b("socket:[12345]"), 14)).isEqualTo(12345);
        assertThat(ProcParsers.bracketedNumber(b("mnt:[4026531841]"), 16)).isEqualTo(4026531841L);
        assertThat(ProcParsers.bracketedNumber(b("pipe:[x]"), 8)).isZero();
        assertThat(ProcParsers.bracketedNumber(b("/dev/null"), 9)).isZero();
    }

    @Test
    void everyTruncationOfStatAndStatusIsTolerated() {
        for (int len = 0; len <= STAT.length(); len++) {
            ProcParsers.Stat s = ProcParsers.stat(b(STAT), len);
            if (s != null) {
                assertThat(s.comm()).isEqualTo("a) b (c)");
            }
        }
        for (int len = 0; len <= STATUS.length(); len++) {
            assertThat(ProcParsers.status(b(STATUS), len)).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void mutatedContentNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 3000; i++) {
            byte[] stat = Mutations.mutate(random, b(STAT));
            byte[] status = Mutations.mutate(random, b(STATUS));
            try {
                ProcParsers.stat(stat, stat.length);
                ProcParsers.status(status, status.length);
                ProcParsers.cmdline(stat, stat.length);
                ProcParsers.bracketedNumber(status, status.length);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
            }
        }
    }

    /** A whole fake /proc/<pid> with garbled and missing files: the reader reports what it can. */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void readerToleratesGarbledProcTree(long seed, @TempDir Path root) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Native sys = new Native();
        try {
            ProcessReader reader = new ProcessReader(sys, new ProcFs(sys, root.toString()),
                    new ContainerCatalog(IdentityResolver.NONE));
            Path pid = root.resolve("77");
            Files.createDirectories(pid);
            for (int i = 0; i < 300; i++) {
                Files.write(pid.resolve("stat"), Mutations.mutate(random, b(STAT)));
                Files.write(pid.resolve("status"), Mutations.mutate(random, b(STATUS)));
                Files.write(pid.resolve("cmdline"), Mutations.mutate(random, b("/bin/sh\0-c\0x\0")));
                Files.write(pid.resolve("cgroup"), Mutations.mutate(random,
                        b("0::/kubepods/besteffort/pod1/" + "a".repeat(64) + "\n")));
                try {
                    ProcessReader.Observed o = reader.observe(77, List.of(), new long[0]);
                    if (o != null) {
                        assertThat(o.process().pid()).isEqualTo(77);
                    }
                } catch (RuntimeException e) {
                    throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
                }
            }
            Files.delete(pid.resolve("stat"));
            assertThat(reader.observe(77, List.of(), new long[0])).as("no stat: gone").isNull();
        } finally {
            sys.release();
        }
    }

    @Test
    void readsFromAFakeProcTree(@TempDir Path root) throws Exception {
        Native sys = new Native();
        try {
            Path pid = root.resolve("88");
            Files.createDirectories(pid);
            Files.writeString(pid.resolve("stat"), STAT);
            Files.writeString(pid.resolve("status"), STATUS);
            Files.write(pid.resolve("cmdline"), b("/bin/sleep\0" + "100\0"));
            Files.writeString(pid.resolve("cgroup"), "0::/kubepods/besteffort/podx/" + "b".repeat(64) + "\n");
            ProcessReader.Observed o = new ProcessReader(sys, new ProcFs(sys, root.toString()),
                    new ContainerCatalog(IdentityResolver.NONE)).observe(88, List.of("sh"), new long[] {17});
            assertThat(o.process().args()).containsExactly("/bin/sleep", "100");
            assertThat(o.process().uid()).isEqualTo(1001);
            assertThat(o.process().ppid()).isEqualTo(17);
            assertThat(o.container().id()).isEqualTo("b".repeat(64));
            assertThat(o.process().exepath()).isNull();
        } finally {
            sys.release();
        }
    }

    @Test
    void processFsTruncatesAtMaxFile(@TempDir Path root) throws Exception {
        Native sys = new Native();
        try {
            Files.createDirectories(root.resolve("9"));
            Files.write(root.resolve("9/big"), new byte[ProcFs.MAX_FILE + 1]);
            ProcFs fs = new ProcFs(sys, root.toString());
            assertThat(fs.read(9, "big")).isEqualTo(ProcFs.MAX_FILE);
            assertThat(fs.truncated()).isTrue();
            assertThat(fs.read(9, "missing")).isEqualTo(-Native.ENOENT);
        } finally {
            sys.release();
        }
    }
}
