package dev.vigil.net.pcap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;

/**
 * The bytes of a capture file, seen through a memory-mapped window that slides forward as the reader
 * advances, so a file of any size (beyond 2 GB too) is read without copies while the process maps at
 * most {@link #WINDOW} bytes of it at a time (which keeps resident memory bounded). In-memory captures
 * use a single window covering everything.
 *
 * <p>Readers ask {@link #cover} for the range they are about to read and then address it as
 * {@code window()} at offset {@code position - base()}. Sliding unmaps the previous window, which ends
 * the lifetime of frames handed out from it (frames live until the reader's next call anyway).
 */
final class CaptureBytes implements AutoCloseable {

    /** Bytes mapped at once. */
    static final long WINDOW = 64L * 1024 * 1024;

    private final FileChannel channel;
    private final long windowBytes;
    private final long size;
    private Arena arena;
    private MemorySegment window;
    private long base;

    /** A sliding view of an open file; takes ownership of {@code channel}. */
    CaptureBytes(FileChannel channel) throws IOException {
        this(channel, WINDOW);
    }

    /** As {@link #CaptureBytes(FileChannel)} with another window size (tests use small ones). */
    CaptureBytes(FileChannel channel, long windowBytes) throws IOException {
        this.channel = channel;
        this.windowBytes = windowBytes;
        this.size = channel.size();
        this.window = MemorySegment.NULL;
        this.base = 0;
    }

    /** A fixed view of bytes already in memory; {@code arena} (may be null) is closed with it. */
    CaptureBytes(MemorySegment data, Arena arena) {
        this.channel = null;
        this.windowBytes = data.byteSize();
        this.size = data.byteSize();
        this.window = data;
        this.arena = arena;
    }

    long size() {
        return size;
    }

    /** Makes [position, position + length) addressable; false when it runs past the end of the file. */
    boolean cover(long position, long length) {
        if (position < 0 || length < 0 || position + length > size) {
            return false;
        }
        if (position >= base && position + length <= base + window.byteSize()) {
            return true;
        }
        if (channel == null) {
            return false;
        }
        long start = position & ~0xfffL;
        long span = Math.min(size - start, Math.max(windowBytes, position + length - start));
        if (arena != null) {
            arena.close();
        }
        arena = Arena.ofShared();
        try {
            window = channel.map(FileChannel.MapMode.READ_ONLY, start, span, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("mapping capture file at " + start + ": " + e.getMessage(), e);
        }
        base = start;
        return true;
    }

    /** The mapped window. */
    MemorySegment window() {
        return window;
    }

    /** File position of the window's first byte. */
    long base() {
        return base;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing was written that could be lost
            }
        }
    }
}
