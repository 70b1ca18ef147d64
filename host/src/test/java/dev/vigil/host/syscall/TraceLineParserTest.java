package dev.vigil.host.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceLineParserTest {

    static final String ENTER = "            bash-12208   (  12200) [001] .....   557.609258: sys_dup2(oldfd: 4, newfd: 0x1)";
    static final String EXIT = "         python3-12171   (  12171) [001] .....   557.667777: sys_connect -> 0xffffffffffffff8d";
    static final String ODD_COMM = " memfd:vigil-pro-9819    (   9819) [000] d..1. 1282.894766: sys_memfd_create(uname: 0x47b00e, flags: 0)";

    private final TraceLineParser parser = new TraceLineParser();
    private final TraceRecord r = new TraceRecord();

    private boolean parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 0, b.length, r);
    }

    @Test
    void enterLine() {
        assertThat(parse(ENTER)).isTrue();
        assertThat(r.tid).isEqualTo(12208);
        assertThat(r.tgid).isEqualTo(12200);
        assertThat(r.cpu).isEqualTo(1);
        assertThat(r.nanos).isEqualTo(557_609_258_000L);
        assertThat(Syscalls.NAMES.get(r.syscall)).isEqualTo("dup2");
        assertThat(r.exit).isFalse();
        assertThat(r.arg(Syscalls.ARG_OLDFD, -1)).isEqualTo(4);
        assertThat(r.arg(Syscalls.ARG_NEWFD, -1)).isEqualTo(1);
    }

    @Test
    void exitLineWithNegativeReturn() {
        assertThat(parse(EXIT)).isTrue();
        assertThat(r.exit).isTrue();
        assertThat(r.ret).isEqualTo(-115);
        assertThat(Syscalls.NAMES.get(r.syscall)).isEqualTo("connect");
    }

    @Test
    void commWithColonsAndDashes() {
        assertThat(parse(ODD_COMM)).isTrue();
        byte[] b = ODD_COMM.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(b, r.commFrom, r.commTo - r.commFrom, StandardCharsets.UTF_8)).isEqualTo("memfd:vigil-pro");
        assertThat(r.tid).isEqualTo(9819);
        assertThat(r.arg(Syscalls.ARG_UNAME, 0)).isEqualTo(0x47b00e);
    }

    @Test
    void untracedEventsAndGarbageAreRejected() {
        assertThat(parse(ENTER.replace("sys_dup2", "sys_openat"))).isFalse();
        assertThat(parse("# tracer: nop")).isFalse();
        assertThat(parse("")).isFalse();
        assertThat(parse(ENTER.replace("(  12200)", "(  -----)"))).isTrue();
        assertThat(r.tgid).isEqualTo(-1);
    }

    @Test
    void lineLongerThanTheLimitIsRejected() {
        String padded = ENTER.replace("bash", "b".repeat(TraceLineParser.MAX_LINE));
        assertThat(parse(padded)).isFalse();
        String atLimit = " ".repeat(TraceLineParser.MAX_LINE - ENTER.length()) + ENTER;
        assertThat(parse(atLimit)).isTrue();
    }

    @Test
    void everyTruncationIsRejectedOrParsed() {
        for (int len = 0; len < ENTER.length(); len++) {
            byte[] b = ENTER.substring(0, len).getBytes(StandardCharsets.UTF_8);
            assertThat(parser.parse(b, 0, b.length, r)).as("length %d", len).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {51, 52, 53, 54})
    void mutatedLinesNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] valid = {ENTER.getBytes(), EXIT.getBytes(), ODD_COMM.getBytes()};
        for (int i = 0; i < 5000; i++) {
            byte[] m = Mutations.mutate(random, valid[i % 3]);
            try {
                parser.parse(m, 0, m.length, r);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
            }
        }
    }

    @Test
    void cloneFlagsAndPtraceRequestsAreNamed() {
        assertThat(SyscallSensor.cloneFlags(0x40000000L | 0x00020000L)).isEqualTo("CLONE_NEWNS|CLONE_NEWNET");
        assertThat(SyscallSensor.cloneFlags(0)).isEqualTo("0x0");
        assertThat(SyscallSensor.ptraceRequest(16)).isEqualTo("PTRACE_ATTACH");
        assertThat(SyscallSensor.ptraceRequest(0x4206)).isEqualTo("PTRACE_SEIZE");
    }
}
