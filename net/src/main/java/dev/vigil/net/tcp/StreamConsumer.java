package dev.vigil.net.tcp;

import java.lang.foreign.MemorySegment;

/** Receives one direction's reassembled byte stream from a {@link TcpStream}. */
public interface StreamConsumer {

    /** In-order bytes; valid only during the call (often the packet's own memory). */
    void data(TcpStream stream, MemorySegment bytes, long offset, int length, long tsMicros);

    /** {@code length} bytes that were never captured; the stream continues after them. */
    void gap(TcpStream stream, long length);
}
