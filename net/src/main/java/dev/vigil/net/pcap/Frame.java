package dev.vigil.net.pcap;

import java.lang.foreign.MemorySegment;

/**
 * One captured frame as a reader or live capture hands it over: a view of the capture's own memory,
 * never a copy. Mutable and reused for every frame, so a source allocates nothing per packet.
 *
 * <p>Lifetime: {@link #data} covers the frame only until the source's next call; anything kept longer
 * must be copied.
 */
public final class Frame {

    /** Memory holding the frame; for files the whole mapped file, for live capture the packet. */
    public MemorySegment data;
    /** Offset of the frame's first byte in {@link #data}. */
    public long offset;
    /** Bytes captured ({@code caplen}). */
    public int capturedLength;
    /** Bytes on the wire ({@code len}); at least {@link #capturedLength} unless the file lies. */
    public int wireLength;
    /** Capture time in microseconds since the epoch, as recorded (may go backwards). */
    public long tsMicros;
    /** The frame's link-layer type ({@link LinkType}). */
    public int linkType;
    /** Index of the capture interface (pcapng interface id; 0 for pcap and live capture). */
    public int interfaceId;
    /**
     * A copy of the frame's first {@link #headLength} bytes at {@code head[headOffset]}, made by a
     * source that copies them anyway (the pcap reader reads its record header that way), so the
     * decoder need not copy them again; {@code headLength} 0 when there is none. Same lifetime as
     * {@link #data}.
     */
    public byte[] head;
    public int headOffset;
    public int headLength;

    /** Fills every field at once. */
    public Frame set(MemorySegment data, long offset, int capturedLength, int wireLength, long tsMicros,
                     int linkType, int interfaceId) {
        this.data = data;
        this.offset = offset;
        this.capturedLength = capturedLength;
        this.wireLength = wireLength;
        this.tsMicros = tsMicros;
        this.linkType = linkType;
        this.interfaceId = interfaceId;
        this.headLength = 0;
        return this;
    }
}
