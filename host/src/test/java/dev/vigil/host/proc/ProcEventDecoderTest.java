package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcEventDecoderTest {

    /** One netlink message carrying a proc event, as the kernel sends it. */
    static byte[] message(int what, int cpu, int seq, long nanos, int... data) {
        int eventLen = 16 + Math.max(24, data.length * 4);
        int len = 16 + 20 + eventLen;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) 3).putShort((short) 0).putInt(0).putInt(0);
        b.putInt(1).putInt(1).putInt(seq).putInt(0).putShort((short) eventLen).putShort((short) 0);
        b.putInt(what).putInt(cpu).putLong(nanos);
        for (int d : data) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += (p.length + 3) & ~3;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += (p.length + 3) & ~3;
        }
        return out;
    }

    private static List<String> decode(ProcEventDecoder d, byte[] bytes) {
        List<String> out = new ArrayList<>();
        d.decode(MemorySegment.ofArray(bytes), bytes.length, e -> out.add(e.toString()));
        return out;
    }

    @Test
    void decodesEachEventType() {
        ProcEventDecoder d = new ProcEventDecoder();
        byte[] comm = new byte[16];
        System.arraycopy("kworker".getBytes(), 0, comm, 0, 7);
        ByteBuffer c = ByteBuffer.wrap(comm).order(ByteOrder.nativeOrder());
        List<String> got = decode(d, concat(
                message(ProcEvent.FORK, 0, 0, 1, 10, 10, 11, 11),
                message(ProcEvent.EXEC, 0, 1, 2, 11, 11),
                message(ProcEvent.UID, 0, 2, 3, 11, 11, 1000, 1001),
                message(ProcEvent.PTRACE, 0, 3, 4, 12, 12, 11, 11),
                message(ProcEvent.COMM, 0, 4, 5, 11, 11, c.getInt(0), c.getInt(4), c.getInt(8), c.getInt(12)),
                message(ProcEvent.EXIT, 0, 5, 6, 11, 11, 256, 17, 10, 10)));
        assertThat(got).containsExactly(
                "clone pid=11 tgid=11 other=10/10 a=-1 b=-1 cpu=0 seq=0",
                "execve pid=11 tgid=11 other=-1/-1 a=-1 b=-1 cpu=0 seq=1",
                "setuid pid=11 tgid=11 other=-1/-1 a=1000 b=1001 cpu=0 seq=2",
                "ptrace pid=12 tgid=12 other=11/11 a=-1 b=-1 cpu=0 seq=3",
                "prctl pid=11 tgid=11 other=-1/-1 a=-1 b=-1 cpu=0 seq=4",
                "procexit pid=11 tgid=11 other=10/10 a=256 b=17 cpu=0 seq=5");
        assertThat(d.malformed()).isZero();
        assertThat(d.lostBySequence()).isZero();
    }

    @Test
    void commBytesAreKept() {
        ProcEventDecoder d = new ProcEventDecoder();
        byte[] comm = "vigil-comm".getBytes();
        byte[] padded = new byte[16];
        System.arraycopy(comm, 0, padded, 0, comm.length);
        ByteBuffer c = ByteBuffer.wrap(padded).order(ByteOrder.nativeOrder());
        byte[] m = message(ProcEvent.COMM, 1, 0, 1, 5, 5, c.getInt(0), c.getInt(4), c.getInt(8), c.getInt(12));
        String[] name = new String[1];
        d.decode(MemorySegment.ofArray(m), m.length, e -> name[0] = new String(e.comm, 0, e.commLength));
        assertThat(name[0]).isEqualTo("vigil-comm");
    }

    @Test
    void sequenceGapsPerCpuCountLostEvents() {
        ProcEventDecoder d = new ProcEventDecoder();
        decode(d, concat(message(ProcEvent.EXEC, 0, 10, 1, 1, 1), message(ProcEvent.EXEC, 1, 500, 1, 1, 1),
                message(ProcEvent.EXEC, 0, 14, 1, 1, 1), message(ProcEvent.EXEC, 1, 501, 1, 1, 1)));
        assertThat(d.lostBySequence()).isEqualTo(3);
    }

    @Test
    void foreignConnectorAndShortMessagesAreMalformed() {
        ProcEventDecoder d = new ProcEventDecoder();
        byte[] foreign = message(ProcEvent.EXEC, 0, 0, 1, 1, 1);
        foreign[16] = 7;
        assertThat(decode(d, foreign)).isEmpty();
        byte[] shortBody = message(ProcEvent.FORK, 0, 0, 1, 1, 1, 2, 2);
        ByteBuffer.wrap(shortBody).order(ByteOrder.nativeOrder()).putShort(16 + 16, (short) 20);
        assertThat(decode(d, shortBody)).isEmpty();
        assertThat(d.malformed()).isEqualTo(2);
    }

    @Test
    void atMostMaxMessagesPerDatagram() {
        byte[][] parts = new byte[ProcEventDecoder.MAX_MESSAGES + 1][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = message(ProcEvent.EXEC, 0, i, 1, i, i);
        }
        assertThat(decode(new ProcEventDecoder(), concat(parts))).hasSize(ProcEventDecoder.MAX_MESSAGES);
    }

    @Test
    void everyTruncationIsHandled() {
        byte[] m = concat(message(ProcEvent.FORK, 0, 0, 1, 10, 10, 11, 11), message(ProcEvent.EXIT, 0, 1, 1, 11, 11, 0, 17, 10, 10));
        for (int len = 0; len <= m.length; len++) {
            ProcEventDecoder d = new ProcEventDecoder();
            List<String> got = decode(d, java.util.Arrays.copyOf(m, len));
            assertThat(got.size()).as("length %d", len).isLessThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991, 7, 8, 9, 10})
    void mutatedDatagramsNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = concat(message(ProcEvent.FORK, 0, 0, 1, 10, 10, 11, 11), message(ProcEvent.EXEC, 0, 1, 2, 11, 11),
                message(ProcEvent.EXIT, 1, 0, 3, 11, 11, 0, 17, 10, 10));
        for (int i = 0; i < 2000; i++) {
            byte[] m = Mutations.mutate(random, valid);
            ProcEventDecoder d = new ProcEventDecoder();
            try {
                d.decode(MemorySegment.ofArray(m), m.length, e -> { });
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
            }
        }
    }
}
