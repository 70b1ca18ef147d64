package dev.vigil.net.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PcapReadersTest {

    @TempDir
    Path dir;

    @Test
    void writerOutputReadsBackFrameForFrame() throws IOException {
        Path file = dir.resolve("w.pcap");
        try (PcapWriter w = PcapWriter.create(file, LinkType.ETHERNET, 100)) {
            w.write(MemorySegment.ofArray(new byte[] {1, 2, 3}), 0, 3, 60, 1_700_000_000_123_456L);
            w.write(MemorySegment.ofArray(new byte[200]), 0, 200, 200, 1_700_000_001_000_000L);
        }
        try (PacketReader r = PcapFiles.open(file)) {
            Frame f = new Frame();
            assertThat(r.next(f)).isTrue();
            assertThat(f.tsMicros).isEqualTo(1_700_000_000_123_456L);
            assertThat(f.capturedLength).isEqualTo(3);
            assertThat(f.wireLength).isEqualTo(60);
            assertThat(f.data.get(ValueLayout.JAVA_BYTE, f.offset + 2)).isEqualTo((byte) 3);
            assertThat(r.next(f)).isTrue();
            assertThat(f.capturedLength).as("cut to the snap length").isEqualTo(100);
            assertThat(r.next(f)).isFalse();
            assertThat(r.truncatedRecords()).isZero();
        }
    }

    @Test
    void bigEndianNanosecondPcapGivesMicroseconds() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        b.putInt(10).putInt(999_999_999).putInt(4).putInt(4).put(new byte[] {0x45, 0, 0, 4});
        try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(b.array()), null, "be")) {
            Frame f = new Frame();
            assertThat(r.next(f)).isTrue();
            assertThat(f.tsMicros).isEqualTo(10_999_999L);
            assertThat(f.linkType).isEqualTo(LinkType.RAW);
        }
    }

    @Test
    void recordLongerThanTheLimitEndsInputAsTruncated() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1).putInt(0).putInt(PcapReader.MAX_RECORD_LENGTH + 1).putInt(10);
        try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(b.array()), null, "big")) {
            assertThat(r.next(new Frame())).isFalse();
            assertThat(r.truncatedRecords()).isEqualTo(1);
        }
    }

    @Test
    void pcapngWithTwoInterfacesKeepsEachLinkTypeAndResolution() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        block(out, 0x0A0D0D0A, le(0x1A2B3C4D), new byte[] {1, 0, 0, 0}, le(-1), le(-1));
        block(out, 1, new byte[] {1, 0, 0, 0}, le(0));
        // interface 1: raw IP, if_tsresol = 10^-9
        block(out, 1, new byte[] {101, 0, 0, 0}, le(0), new byte[] {9, 0, 1, 0, 9, 0, 0, 0}, new byte[4]);
        block(out, 6, le(1), le(0), le(1_000_000_000), le(4), le(4), new byte[] {0x45, 0, 0, 4});
        block(out, 6, le(0), le(0), le(5_000_000), le(2), le(2), new byte[] {7, 7, 0, 0});
        try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(out.toByteArray()), null, "ng")) {
            Frame f = new Frame();
            assertThat(r.next(f)).isTrue();
            assertThat(f.linkType).isEqualTo(LinkType.RAW);
            assertThat(f.interfaceId).isEqualTo(1);
            assertThat(f.tsMicros).isEqualTo(1_000_000L);
            assertThat(r.next(f)).isTrue();
            assertThat(f.linkType).isEqualTo(LinkType.ETHERNET);
            assertThat(f.tsMicros).isEqualTo(5_000_000L);
            assertThat(f.capturedLength).isEqualTo(2);
            assertThat(r.next(f)).isFalse();
            assertThat(r.truncatedRecords()).isZero();
        }
    }

    @Test
    void pcapngSimpleAndObsoletePacketBlocksAndBinaryResolution() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        block(out, 0x0A0D0D0A, le(0x1A2B3C4D), new byte[] {1, 0, 0, 0}, le(-1), le(-1));
        // interface 0: Ethernet, snap length 3, if_tsresol = 2^-10
        block(out, 1, new byte[] {1, 0, 0, 0}, le(3), new byte[] {9, 0, 1, 0, (byte) 0x8a, 0, 0, 0}, new byte[4]);
        block(out, 3, le(5), new byte[] {1, 2, 3, 4, 5});
        block(out, 2, new byte[] {0, 0, 0, 0}, le(0), le(3 * 1024 + 512), le(2), le(2), new byte[] {9, 9});
        try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(out.toByteArray()), null, "ng")) {
            Frame f = new Frame();
            assertThat(r.next(f)).isTrue();
            assertThat(f.capturedLength).as("cut to the interface snap length").isEqualTo(3);
            assertThat(f.wireLength).isEqualTo(5);
            assertThat(r.next(f)).isTrue();
            assertThat(f.tsMicros).isEqualTo(3_500_000L);
            assertThat(r.next(f)).isFalse();
        }
    }

    @Test
    void pcapngBigEndianSection() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + 20 + 36).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        b.putInt(1).putInt(20).putShort((short) 101).putShort((short) 0).putInt(0).putInt(20);
        b.putInt(6).putInt(36).putInt(0).putInt(0).putInt(7_000_000).putInt(4).putInt(4).put(new byte[] {0x45, 0, 0, 4})
                .putInt(36);
        try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(b.array()), null, "be-ng")) {
            Frame f = new Frame();
            assertThat(r.next(f)).isTrue();
            assertThat(f.linkType).isEqualTo(LinkType.RAW);
            assertThat(f.tsMicros).isEqualTo(7_000_000L);
            assertThat(r.next(f)).isFalse();
            assertThat(r.truncatedRecords()).isZero();
        }
    }

    @Test
    void pcapngBlockBeyondTheLimitStops() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        block(out, 0x0A0D0D0A, le(0x1A2B3C4D), new byte[] {1, 0, 0, 0}, le(-1), le(-1));
        out.writeBytes(le(6));
        out.writeBytes(le(PcapngReader.MAX_BLOCK_LENGTH + 4));
        out.writeBytes(new byte[16]);
        try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(out.toByteArray()), null, "ng")) {
            assertThat(r.next(new Frame())).isFalse();
            assertThat(r.truncatedRecords()).isEqualTo(1);
        }
    }

    @Test
    void notACaptureFileIsRefusedWithItsMagic() {
        assertThatThrownBy(() -> PcapFiles.open(MemorySegment.ofArray("hello world".getBytes()), null, "x.txt"))
                .isInstanceOf(IOException.class)
                .hasMessage("x.txt: not a pcap or pcapng file (magic 0x68656c6c); convert it with: editcap -F pcap IN OUT");
    }

    /** A 4 KiB window slides across records that straddle its edges: same frames as one big mapping. */
    @ParameterizedTest
    @MethodSource("corpusCaptures")
    void slidingWindowReadsTheSameFrames(Path file) throws IOException {
        try (PacketReader whole = PcapFiles.open(file); PacketReader sliding = PcapFiles.open(file, 4096)) {
            Frame a = new Frame();
            Frame b = new Frame();
            while (whole.next(a)) {
                assertThat(sliding.next(b)).isTrue();
                assertThat(b.tsMicros).isEqualTo(a.tsMicros);
                assertThat(b.capturedLength).isEqualTo(a.capturedLength);
                assertThat(b.data.asSlice(b.offset, b.capturedLength).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(a.data.asSlice(a.offset, a.capturedLength).toArray(ValueLayout.JAVA_BYTE));
            }
            assertThat(sliding.next(b)).isFalse();
            assertThat(sliding.truncatedRecords()).isZero();
        }
    }

    static Stream<Path> corpusCaptures() throws IOException {
        Path root = Requirements.corpora().resolve("pcaps");
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> files = s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|trace|cap)$")).sorted().toList();
            return files.stream();
        }
    }

    /** Every capture in the corpus reads completely, with the frame count tcpdump reports. */
    @ParameterizedTest
    @MethodSource("corpusCaptures")
    void everyCorpusCaptureReadsLikeTcpdump(Path file) throws Exception {
        Requirements.requireCommands("tcpdump");
        Process p = new ProcessBuilder("tcpdump", "-nr", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long expected;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).lines()) {
            expected = lines.count();
        }
        p.waitFor();
        long frames = 0;
        try (PacketReader r = PcapFiles.open(file)) {
            Frame f = new Frame();
            while (r.next(f)) {
                assertThat(LinkType.supported(f.linkType)).as("link type %d", f.linkType).isTrue();
                frames++;
            }
            assertThat(r.truncatedRecords()).isZero();
        }
        assertThat(frames).isEqualTo(expected);
    }

    private static void block(ByteArrayOutputStream out, int type, byte[]... parts) {
        int body = 0;
        for (byte[] p : parts) {
            body += p.length;
        }
        int padded = (body + 3) & ~3;
        int total = 12 + padded;
        out.writeBytes(le(type));
        out.writeBytes(le(total));
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        out.writeBytes(new byte[padded - body]);
        out.writeBytes(le(total));
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
