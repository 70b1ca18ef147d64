package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;

/**
 * Base of analyzers that parse each direction of a connection with its own {@link StreamDecoder}:
 * routes each direction's bytes to its decoder and keeps the packet time, turns a capture gap into
 * the anomaly {@code <service>_gap} that stops that direction (a parser cannot find its place again
 * in a length-framed stream), and confirms the protocol once ({@link #confirm()}: the service is added
 * to {@code conn.service} and, for clear-text protocols, the connection is marked unencrypted). An
 * analyzer that has learnt all it can (a handshake done, the rest encrypted) calls
 * {@link #stopAnalysis()} and costs nothing more per packet.
 */
public abstract class DecoderPair implements AppAnalyzer {

    protected final AppContext context;
    private final String service;
    private final boolean clearText;
    private boolean confirmed;
    private boolean stopped;
    /** Capture time of the packet being parsed, microseconds since the epoch. */
    protected long nowMicros;
    /** Capture time of the first packet with payload, or -1. */
    protected long firstMicros = -1;

    /**
     * @param service the name added to {@code conn.service} and prefixed to the gap anomaly
     * @param clearText whether confirming the protocol also reports {@code encrypted(false)}
     */
    protected DecoderPair(AppContext context, String service, boolean clearText) {
        this.context = context;
        this.service = service;
        this.clearText = clearText;
    }

    /** The decoder of one direction. */
    protected abstract StreamDecoder decoder(Direction direction);

    /** The anomaly a capture gap raises; {@code <service>_gap} unless the protocol's anomalies are named otherwise. */
    protected String gapAnomaly() {
        return service + "_gap";
    }

    /**
     * True when answers pair with requests only by their order (no ids): then a gap in either
     * direction stops both, as the pairing cannot be trusted any more.
     */
    protected boolean pairedInOrder() {
        return false;
    }

    /** How anomaly messages name a direction's sender. */
    protected String sender(Direction direction) {
        return direction == Direction.ORIG ? "client" : "server";
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (stopped) {
            return;
        }
        nowMicros = tsMicros;
        if (firstMicros < 0) {
            firstMicros = tsMicros;
        }
        decoder(direction).feed(bytes, offset, length);
    }

    @Override
    public void gap(Direction direction, long length) {
        StreamDecoder decoder = decoder(direction);
        if (!stopped && !decoder.stopped()) {
            context.anomaly(gapAnomaly(), length + " bytes missing from the " + sender(direction)
                    + "; its parsing stops");
            decoder.stop();
            if (pairedInOrder()) {
                decoder(direction.opposite()).stop();
            }
        }
    }

    /** The packet time in seconds, as records carry it. */
    protected final double now() {
        return nowMicros / 1_000_000d;
    }

    protected final boolean confirmed() {
        return confirmed;
    }

    /** Ignores the rest of the connection: both decoders stop and later data costs nothing. */
    protected final void stopAnalysis() {
        stopped = true;
        decoder(Direction.ORIG).stop();
        decoder(Direction.RESP).stop();
    }

    protected final boolean analysisStopped() {
        return stopped;
    }

    /** The bytes are this protocol: add the service (once) and, for clear-text protocols, say so. */
    protected final void confirm() {
        if (!confirmed) {
            confirmed = true;
            context.addService(service);
            if (clearText) {
                context.encrypted(false);
            }
        }
    }
}
