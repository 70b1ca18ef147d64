package dev.vigil.net.pcap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens capture files: memory-maps them through a sliding window (files above 2 GB included, resident
 * memory bounded) and picks the pcap or pcapng reader from the magic number.
 */
public final class PcapFiles {

    private PcapFiles() {
    }

    /**
     * A reader over {@code file}.
     *
     * @throws IOException when the file cannot be read or is neither pcap nor pcapng (the message says which magic it found)
     */
    public static PacketReader open(Path file) throws IOException {
        return open(file, CaptureBytes.WINDOW);
    }

    static PacketReader open(Path file, long windowBytes) throws IOException {
        CaptureBytes bytes = new CaptureBytes(FileChannel.open(file, StandardOpenOption.READ), windowBytes);
        try {
            return open(bytes, file.toString());
        } catch (IOException | RuntimeException e) {
            bytes.close();
            throw e;
        }
    }

    /** A reader over capture bytes already in memory; {@code arena} (may be null) is closed with the reader. */
    public static PacketReader open(MemorySegment data, Arena arena, String name) throws IOException {
        return open(new CaptureBytes(data, arena), name);
    }

    private static PacketReader open(CaptureBytes bytes, String name) throws IOException {
        if (!bytes.cover(0, 4)) {
            throw new IOException(name + ": not a pcap or pcapng file (" + bytes.size() + " bytes)");
        }
        int magic = bytes.window().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
        if (magic == PcapngReader.SECTION_HEADER) {
            return new PcapngReader(bytes);
        }
        if (PcapReader.isMagic(magic)) {
            return new PcapReader(bytes, name);
        }
        throw new IOException(String.format(
                "%s: not a pcap or pcapng file (magic 0x%08x); convert it with: editcap -F pcap IN OUT", name, magic));
    }
}
