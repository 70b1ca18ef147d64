package dev.vigil.net.analysis;

import dev.vigil.net.decode.Packet;

/** Where decoded packets and expiry ticks go: a flow stage on the same thread, or the rings to worker threads. */
interface PacketStage {

    /** Flows idle past their timeouts end now, before frame {@code frame} is processed. */
    void expire(long frame, long mono);

    /** A decoded TCP, UDP or ICMP packet of frame {@code frame} (valid only during the call). */
    void packet(Packet packet, long frame, long mono);
}
