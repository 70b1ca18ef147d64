package dev.vigil.net.pcap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens capture files: memory-maps the whole file (files above 2 GB included) and picks the pcap or
 * pcapng reader from the magic number.
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
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment data = size == 0 ? MemorySegment.NULL.reinterpret(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return open(data, arena, file.toString());
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** A reader over capture bytes already in memory; {@code arena} (may be null) is closed with the reader. */
    public static PacketReader open(MemorySegment data, Arena arena, String name) throws IOException {
        if (data.byteSize() < 4) {
            throw new IOException(name + ": not a pcap or pcapng file (" + data.byteSize() + " bytes)");
        }
        int magic = data.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
        if (magic == PcapngReader.SECTION_HEADER) {
            return new PcapngReader(data, arena);
        }
        if (PcapReader.isMagic(magic)) {
            return new PcapReader(data, arena, name);
        }
        throw new IOException(String.format(
                "%s: not a pcap or pcapng file (magic 0x%08x); convert it with: editcap -F pcap IN OUT", name, magic));
    }
}
