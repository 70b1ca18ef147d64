package dev.vigil.net.analysis;

import dev.vigil.model.net.WeirdRecord;
import dev.vigil.net.decode.Packet;
import dev.vigil.net.decode.PacketDecoder;
import dev.vigil.net.flow.FlowKey;
import dev.vigil.net.pcap.Frame;

/**
 * Frames → packets: counts frames, runs the capture's {@link FrameClock}, decodes (link, VLAN, IP,
 * fragments, transport) and hands each packet, and each expiry tick, to a {@link PacketStage}. ARP
 * requests go to the scan stage and malformed frames become {@code weird} records here. One per
 * capture, on the thread that reads it.
 */
final class FrameStage {

    private final PacketStage target;
    private final ScanStage scans;
    private final Weirds weirds;
    private final RecordSink sink;
    private final PacketDecoder decoder = new PacketDecoder();
    private final Packet packet = new Packet();
    private final FrameClock clock = new FrameClock();
    private long frames;
    private long bytes;

    FrameStage(PacketStage target, ScanStage scans, Weirds weirds, RecordSink sink) {
        this.target = target;
        this.scans = scans;
        this.weirds = weirds;
        this.sink = sink;
    }

    void frame(Frame frame) {
        long index = frames++;
        bytes += frame.capturedLength;
        long mono = clock.advance(frame.tsMicros);
        if (clock.expiryDue()) {
            target.expire(index, mono);
        }
        int result = decoder.decode(frame, packet);
        if (result == PacketDecoder.DECODED) {
            target.packet(packet, index, mono);
        } else if (result == PacketDecoder.ARP) {
            if (scans != null && packet.arpOperation == 1) {
                scans.arp(FlowKey.address(0, packet.srcLo), FlowKey.address(0, packet.dstLo), frame.tsMicros, mono,
                        index, sink);
            }
        } else if (result == PacketDecoder.MALFORMED) {
            String name = decoder.lastAnomaly().name();
            if (weirds.count(name)) {
                sink.accept(new WeirdRecord(frame.tsMicros / 1e6, null, null, name, null, "decode"));
            }
        }
        if (scans != null && clock.sweepDue()) {
            scans.sweep(mono, index, sink);
        }
    }

    /** Moves the clock to wall time {@code nowMicros} (live capture when no packet arrives); returns the monotone time. */
    long advance(long nowMicros) {
        return clock.advance(nowMicros);
    }

    long mono() {
        return clock.mono();
    }

    long frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }

    PacketDecoder decoder() {
        return decoder;
    }
}
