package dev.vigil.net.pcap;

import dev.vigil.net.decode.PacketDecoder;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads classic libpcap files (microsecond and nanosecond variants, either byte order) through a
 * window of the file ({@link CaptureBytes}). The link type comes from the file header; the FCS bits
 * in its upper half are ignored.
 *
 * <p>Limits: {@link #MAX_RECORD_LENGTH} bytes per record; a longer or cut-short record ends the input
 * and counts in {@link #truncatedRecords()}.
 */
public final class PcapReader implements PacketReader {

    /** Largest record accepted, in bytes (libpcap's {@code MAXIMUM_SNAPLEN} is 262144). */
    public static final int MAX_RECORD_LENGTH = 262_144;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;

    /** Constant layouts let the JIT inline every access; a layout chosen per file would not be. */
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The record header and the frame's first {@link PacketDecoder#HEADER_BYTES} bytes, copied in one
     * move: the header is parsed from here and the decoder reads the frame's headers from here too.
     */
    private final byte[] head = new byte[RECORD_HEADER + PacketDecoder.HEADER_BYTES];
    /** {@link #head} as a segment: a copy between segments skips the reflective array checks of a copy into an array. */
    private final MemorySegment headSegment = MemorySegment.ofArray(head);

    private final CaptureBytes bytes;
    private final boolean bigEndian;
    private final boolean nanos;
    private final int linkType;
    private long position = FILE_HEADER;
    private long truncated;

    PcapReader(CaptureBytes bytes, String name) throws IOException {
        this.bytes = bytes;
        if (!bytes.cover(0, FILE_HEADER)) {
            throw new IOException(name + ": pcap file header cut short (" + bytes.size() + " of 24 bytes)");
        }
        MemorySegment data = bytes.window();
        int magic = data.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0);
        bigEndian = magic == MAGIC_MICROS || magic == MAGIC_NANOS;
        nanos = magic == MAGIC_NANOS || magic == Integer.reverseBytes(MAGIC_NANOS);
        linkType = i32(data, 20) & 0x0fff_ffff;
    }

    private int i32(MemorySegment data, long at) {
        return inFileOrder(data.get(INT_LE, at));
    }

    /** The 32-bit record header field at {@code at} of {@link #head}. */
    private int field(int at) {
        int littleEndian = (head[at] & 0xff) | (head[at + 1] & 0xff) << 8 | (head[at + 2] & 0xff) << 16 | head[at + 3] << 24;
        return inFileOrder(littleEndian);
    }

    private int inFileOrder(int littleEndian) {
        return bigEndian ? Integer.reverseBytes(littleEndian) : littleEndian;
    }

    static boolean isMagic(int bigEndianMagic) {
        return bigEndianMagic == MAGIC_MICROS || bigEndianMagic == MAGIC_NANOS
                || bigEndianMagic == Integer.reverseBytes(MAGIC_MICROS)
                || bigEndianMagic == Integer.reverseBytes(MAGIC_NANOS);
    }

    /** The file's link type. */
    public int linkType() {
        return linkType;
    }

    @Override
    public boolean next(Frame frame) {
        long size = bytes.size();
        if (!bytes.cover(position, RECORD_HEADER)) {
            if (position < size) {
                truncated++;
                position = size;
            }
            return false;
        }
        MemorySegment data = bytes.window();
        long at = position - bytes.base();
        int copied = (int) Math.min(head.length, data.byteSize() - at);
        MemorySegment.copy(data, at, headSegment, 0, copied);
        long seconds = field(0) & 0xffff_ffffL;
        long fraction = field(4) & 0xffff_ffffL;
        int caplen = field(8);
        int wirelen = field(12);
        long body = position + RECORD_HEADER;
        if (caplen < 0 || caplen > MAX_RECORD_LENGTH || !bytes.cover(position, RECORD_HEADER + caplen)) {
            truncated++;
            position = size;
            return false;
        }
        position = body + caplen;
        long micros = seconds * 1_000_000L + (nanos ? fraction / 1000 : fraction);
        frame.set(bytes.window(), body - bytes.base(), caplen, Math.max(wirelen, caplen), micros, linkType, 0);
        frame.head = head;
        frame.headOffset = RECORD_HEADER;
        frame.headLength = Math.min(caplen, copied - RECORD_HEADER);
        return true;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long size() {
        return bytes.size();
    }

    @Override
    public long truncatedRecords() {
        return truncated;
    }

    @Override
    public long skippedRecords() {
        return 0;
    }

    @Override
    public void close() {
        bytes.close();
    }
}
