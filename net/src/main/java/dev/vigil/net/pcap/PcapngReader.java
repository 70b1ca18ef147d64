package dev.vigil.net.pcap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads pcapng files (draft-ietf-opsawg-pcapng) through a mapped window: any number of sections, each
 * with its own byte order and interfaces; enhanced, simple and obsolete packet blocks; per-interface
 * link type, timestamp resolution ({@code if_tsresol}, decimal or binary) and offset
 * ({@code if_tsoffset}). Other blocks (name resolution, statistics, custom) are skipped.
 *
 * <p>Limits: {@link #MAX_INTERFACES} interfaces per section, {@link #MAX_BLOCK_LENGTH} bytes per
 * block. A block that breaks them or runs past the end of the file ends the input and counts in
 * {@link #truncatedRecords()}; a packet on an unknown interface counts in {@link #skippedRecords()}.
 */
public final class PcapngReader implements PacketReader {

    /** Interfaces per section. */
    public static final int MAX_INTERFACES = 1024;
    /** Largest block accepted, in bytes. */
    public static final int MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

    static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPTION_TSRESOL = 9;
    private static final int OPTION_TSOFFSET = 14;

    /** Constant layouts let the JIT inline every access; byte order is applied by swapping. */
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final CaptureBytes bytes;
    /** The mapped window holding the current block; block offsets below are relative to it. */
    private MemorySegment data;
    /** The section's byte order is big-endian. */
    private boolean bigEndian;
    private long position;
    private long truncated;
    private long skipped;

    private int interfaces;
    private int[] linkTypes = new int[8];
    private int[] snapLengths = new int[8];
    /** Timestamp units per second, for decimal resolutions; 0 when {@link #binaryShift} applies. */
    private long[] unitsPerSecond = new long[8];
    private int[] binaryShift = new int[8];
    private long[] offsetSeconds = new long[8];

    PcapngReader(CaptureBytes bytes) {
        this.bytes = bytes;
    }

    @Override
    public boolean next(Frame frame) {
        long size = bytes.size();
        while (bytes.cover(position, 12)) {
            data = bytes.window();
            long at = position - bytes.base();
            int type = i32(data, at);
            if (type == SECTION_HEADER) {
                int magic = data.get(INT_LE, at + 8);
                if (magic == BYTE_ORDER_MAGIC) {
                    bigEndian = false;
                } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    bigEndian = true;
                } else {
                    return stop();
                }
                interfaces = 0;
            } else if (type == Integer.reverseBytes(SECTION_HEADER)) {
                return stop();
            }
            int length = i32(data, at + 4);
            if (length < 12 || length > MAX_BLOCK_LENGTH || (length & 3) != 0 || !bytes.cover(position, length)) {
                return stop();
            }
            data = bytes.window();
            long block = position - bytes.base();
            position += length;
            switch (type) {
                case INTERFACE_DESCRIPTION -> {
                    if (!addInterface(block, length)) {
                        return stop();
                    }
                }
                case ENHANCED_PACKET -> {
                    if (enhanced(frame, block, length)) {
                        return true;
                    }
                }
                case SIMPLE_PACKET -> {
                    if (simple(frame, block, length)) {
                        return true;
                    }
                }
                case OBSOLETE_PACKET -> {
                    if (obsolete(frame, block, length)) {
                        return true;
                    }
                }
                default -> {
                    // name resolution, statistics, custom and unknown blocks carry no packets
                }
            }
        }
        if (position < size) {
            truncated++;
            position = size;
        }
        return false;
    }

    private boolean stop() {
        truncated++;
        position = bytes.size();
        return false;
    }

    private boolean addInterface(long block, int length) {
        if (length < 20 || interfaces >= MAX_INTERFACES) {
            return false;
        }
        if (interfaces == linkTypes.length) {
            int n = interfaces * 2;
            linkTypes = Arrays.copyOf(linkTypes, n);
            snapLengths = Arrays.copyOf(snapLengths, n);
            unitsPerSecond = Arrays.copyOf(unitsPerSecond, n);
            binaryShift = Arrays.copyOf(binaryShift, n);
            offsetSeconds = Arrays.copyOf(offsetSeconds, n);
        }
        int i = interfaces++;
        linkTypes[i] = Short.toUnsignedInt(i16(data, block + 8));
        snapLengths[i] = i32(data, block + 12);
        unitsPerSecond[i] = 1_000_000L;
        binaryShift[i] = 0;
        offsetSeconds[i] = 0;
        long option = block + 16;
        long end = block + length - 4;
        while (option + 4 <= end) {
            int code = Short.toUnsignedInt(i16(data, option));
            int optionLength = Short.toUnsignedInt(i16(data, option + 2));
            long value = option + 4;
            if (code == 0 || value + optionLength > end) {
                break;
            }
            if (code == OPTION_TSRESOL && optionLength >= 1) {
                int resolution = data.get(ValueLayout.JAVA_BYTE, value) & 0xff;
                int exponent = resolution & 0x7f;
                if ((resolution & 0x80) != 0) {
                    if (exponent > 62) {
                        return false;
                    }
                    unitsPerSecond[i] = 0;
                    binaryShift[i] = exponent;
                } else {
                    if (exponent > 18) {
                        return false;
                    }
                    unitsPerSecond[i] = pow10(exponent);
                }
            } else if (code == OPTION_TSOFFSET && optionLength >= 8) {
                offsetSeconds[i] = i64(data, value);
            }
            option = value + ((optionLength + 3) & ~3);
        }
        return true;
    }

    private static long pow10(int exponent) {
        long v = 1;
        for (int k = 0; k < exponent; k++) {
            v *= 10;
        }
        return v;
    }

    private boolean enhanced(Frame frame, long block, int length) {
        if (length < 32) {
            skipped++;
            return false;
        }
        int iface = i32(data, block + 8);
        long high = i32(data, block + 12) & 0xffff_ffffL;
        long low = i32(data, block + 16) & 0xffff_ffffL;
        int caplen = i32(data, block + 20);
        int wirelen = i32(data, block + 24);
        return packet(frame, iface, (high << 32) | low, block + 28, caplen, wirelen, length - 32);
    }

    private boolean obsolete(Frame frame, long block, int length) {
        if (length < 32) {
            skipped++;
            return false;
        }
        int iface = Short.toUnsignedInt(i16(data, block + 8));
        long high = i32(data, block + 12) & 0xffff_ffffL;
        long low = i32(data, block + 16) & 0xffff_ffffL;
        int caplen = i32(data, block + 20);
        int wirelen = i32(data, block + 24);
        return packet(frame, iface, (high << 32) | low, block + 28, caplen, wirelen, length - 32);
    }

    private boolean simple(Frame frame, long block, int length) {
        if (length < 16 || interfaces == 0) {
            skipped++;
            return false;
        }
        int wirelen = i32(data, block + 8);
        int room = length - 16;
        int snap = snapLengths[0] > 0 ? snapLengths[0] : Integer.MAX_VALUE;
        int caplen = Math.min(Math.min(wirelen < 0 ? room : wirelen, snap), room);
        frame.set(data, block + 12, caplen, Math.max(wirelen, caplen), 0, linkTypes[0], 0);
        return true;
    }

    private boolean packet(Frame frame, int iface, long ts, long body, int caplen, int wirelen, int room) {
        if (iface < 0 || iface >= interfaces || caplen < 0 || caplen > room) {
            skipped++;
            return false;
        }
        frame.set(data, body, caplen, Math.max(wirelen, caplen), micros(iface, ts), linkTypes[iface], iface);
        return true;
    }

    private long micros(int iface, long ts) {
        long seconds;
        long micros;
        long units = unitsPerSecond[iface];
        if (units == 1_000_000L) {
            return ts + offsetSeconds[iface] * 1_000_000L;
        }
        if (units != 0) {
            seconds = Long.divideUnsigned(ts, units);
            long rest = Long.remainderUnsigned(ts, units);
            micros = units > 1_000_000L ? rest / (units / 1_000_000L) : rest * (1_000_000L / units);
        } else {
            int shift = binaryShift[iface];
            seconds = ts >>> shift;
            long rest = shift == 0 ? 0 : ts & ((1L << shift) - 1);
            micros = shift == 0 ? 0 : Math.multiplyHigh(rest, 1_000_000L) << (64 - shift)
                    | (rest * 1_000_000L) >>> shift;
        }
        return (seconds + offsetSeconds[iface]) * 1_000_000L + micros;
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
        return skipped;
    }

    @Override
    public void close() {
        bytes.close();
    }

    private int i32(MemorySegment data, long at) {
        int v = data.get(INT_LE, at);
        return bigEndian ? Integer.reverseBytes(v) : v;
    }

    private short i16(MemorySegment data, long at) {
        short v = data.get(SHORT_LE, at);
        return bigEndian ? Short.reverseBytes(v) : v;
    }

    private long i64(MemorySegment data, long at) {
        long v = data.get(LONG_LE, at);
        return bigEndian ? Long.reverseBytes(v) : v;
    }
}
