package dev.vigil.net.pcap;

import java.io.Closeable;

/**
 * A source of captured frames read in capture order. Implementations never allocate per frame and
 * never throw on damaged records: a record that cannot be read ends the input and is counted in
 * {@link #truncatedRecords()}.
 */
public interface PacketReader extends Closeable {

    /** Fills {@code frame} with the next frame; false at the end of the input. */
    boolean next(Frame frame);

    /** Bytes consumed so far, for progress reports. */
    long position();

    /** Total bytes of the input, for progress reports. */
    long size();

    /** Records that were damaged or cut short (the reader stops at the first one). */
    long truncatedRecords();

    /** Frames skipped because of an unsupported link type or a broken block. */
    long skippedRecords();

    @Override
    void close();
}
