package dev.vigil.net.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes classic microsecond pcap files (little-endian), e.g. for {@code vigil capture -w}. Frames
 * longer than the snap length are cut to it, as libpcap would. Not thread-safe; buffered, so call
 * {@link #flush()} or {@link #close()}.
 */
public final class PcapWriter implements AutoCloseable {

    /** Snap length used when the caller has no better value. */
    public static final int DEFAULT_SNAPLEN = 262_144;

    private final OutputStream out;
    private final int snaplen;
    private final byte[] header = new byte[PcapReader.RECORD_HEADER];
    private final byte[] scratch;
    private long frames;

    public PcapWriter(OutputStream out, int linkType, int snaplen) throws IOException {
        if (snaplen <= 0 || snaplen > PcapReader.MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("snaplen " + snaplen + " outside 1.." + PcapReader.MAX_RECORD_LENGTH);
        }
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
        this.snaplen = snaplen;
        this.scratch = new byte[snaplen];
        byte[] file = new byte[PcapReader.FILE_HEADER];
        putInt(file, 0, 0xa1b2c3d4);
        file[4] = 2;
        file[6] = 4;
        putInt(file, 16, snaplen);
        putInt(file, 20, linkType);
        this.out.write(file);
    }

    /** Creates (or replaces) {@code file}. */
    public static PcapWriter create(Path file, int linkType, int snaplen) throws IOException {
        return new PcapWriter(Files.newOutputStream(file), linkType, snaplen);
    }

    /** Appends one frame; {@code wireLength} is the original length on the wire. */
    public void write(MemorySegment data, long offset, int capturedLength, int wireLength, long tsMicros) {
        int caplen = Math.min(capturedLength, snaplen);
        putInt(header, 0, (int) Math.floorDiv(tsMicros, 1_000_000L));
        putInt(header, 4, (int) Math.floorMod(tsMicros, 1_000_000L));
        putInt(header, 8, caplen);
        putInt(header, 12, Math.max(wireLength, caplen));
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, scratch, 0, caplen);
        try {
            out.write(header);
            out.write(scratch, 0, caplen);
        } catch (IOException e) {
            throw new UncheckedIOException("writing pcap: " + e.getMessage(), e);
        }
        frames++;
    }

    /** Appends {@code frame}. */
    public void write(Frame frame) {
        write(frame.data, frame.offset, frame.capturedLength, frame.wireLength, frame.tsMicros);
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
