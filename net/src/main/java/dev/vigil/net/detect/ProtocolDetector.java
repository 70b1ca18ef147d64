package dev.vigil.net.detect;

import dev.vigil.net.analysis.NoAnalyzer;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Protocol detection by content: the {@link AppAnalyzerFactory} the flow engine calls once per
 * connection. Each connection gets a detecting analyzer that offers the first bytes of each
 * direction to every registered {@link AppProtocol} of the connection's transport, picks the one
 * that answers {@link AppProtocol.Verdict#MATCH MATCH}, and replays the bytes it buffered, both
 * directions in arrival order, into the analyzer that protocol creates.
 *
 * <h2>How a protocol is chosen</h2>
 * A protocol that answers {@code NO_MATCH} for either direction is out. The first probe round in
 * which any protocol answers {@code MATCH} decides; when several match in that round, one whose
 * well-known port ({@link Protocols.Entry#ports()}) is the responder's port wins, else the first in
 * registry order. Ports never decide on their own: a connection on port 5432 that carries HTTP is
 * {@code http}, and one whose bytes no protocol claims keeps an empty {@code service}.
 *
 * <h2>Bytes offered to probes</h2>
 * For TCP, everything a direction sent so far, from its first byte. For UDP, one datagram at a time
 * (concatenating datagrams means nothing). Detection gives up (the connection stays unidentified and
 * {@code encrypted} unset) when every protocol said {@code NO_MATCH}, when a direction sent more than
 * {@link #DEFAULT_MAX_BUFFER_BYTES} undecided bytes, after {@link #DEFAULT_MAX_CHUNKS} undecided data
 * calls, or at a capture gap (probes need a direction's bytes from its start).
 *
 * <h2>After the choice</h2>
 * The detector stays in the connection as a thin forwarder and is the {@link AppContext} of the
 * chosen analyzer, so it can honour {@link AppContext#switchTo}: {@code switchTo(null)} (e.g. after
 * HTTP {@code CONNECT}) starts detection afresh on the bytes that follow (less any leading CR and LF,
 * the empty lines HTTP tolerates between messages), {@code switchTo(next)}
 * (e.g. {@code Upgrade: h2c}) forwards to {@code next}. At most {@link #DEFAULT_MAX_RESTARTS} restarts
 * per connection are honoured; one more is reported as the anomaly {@code detect_too_many_restarts}
 * and the rest of the connection is ignored. The detector adds the
 * chosen protocol's {@link AppProtocol#name()} to {@code conn.service}; analyzers classify encryption.
 *
 * <p>Limits (constructor arguments, defaults in the constants): {@link #DEFAULT_MAX_BUFFER_BYTES}
 * undecided bytes per direction, {@link #DEFAULT_MAX_CHUNKS} undecided data calls,
 * {@link #DEFAULT_MAX_RESTARTS} detection restarts per connection, {@link #MAX_PROTOCOLS} protocols. Thread-safe: one detector serves
 * every connection of every flow-engine thread.
 */
public final class ProtocolDetector implements AppAnalyzerFactory {

    /** Undecided bytes buffered per direction before detection gives up. */
    public static final int DEFAULT_MAX_BUFFER_BYTES = 8192;
    /** Undecided data calls (segments or datagrams, both directions) before detection gives up. */
    public static final int DEFAULT_MAX_CHUNKS = 32;
    /** Detection restarts ({@code AppContext.switchTo(null)}) honoured per connection. */
    public static final int DEFAULT_MAX_RESTARTS = 4;
    /** Protocols per transport a detector can hold (their verdicts live in one {@code long}). */
    public static final int MAX_PROTOCOLS = 64;

    private final Protocols.Entry[] tcp;
    private final Protocols.Entry[] udp;
    final int maxBufferBytes;
    final int maxChunks;
    final int maxRestarts;
    private final LongAdder identified = new LongAdder();
    private final LongAdder undetermined = new LongAdder();

    /** A detector over every protocol of {@link Protocols#all()} with the default limits. */
    public ProtocolDetector() {
        this(Protocols.all(), DEFAULT_MAX_BUFFER_BYTES, DEFAULT_MAX_CHUNKS, DEFAULT_MAX_RESTARTS);
    }

    /**
     * A detector over {@code protocols} (registry order breaks ties) with explicit limits.
     *
     * @throws IllegalArgumentException when a limit is not positive
     */
    public ProtocolDetector(List<Protocols.Entry> protocols, int maxBufferBytes, int maxChunks, int maxRestarts) {
        requirePositive("maxBufferBytes", maxBufferBytes);
        requirePositive("maxChunks", maxChunks);
        requirePositive("maxRestarts", maxRestarts);
        List<Protocols.Entry> t = new ArrayList<>();
        List<Protocols.Entry> u = new ArrayList<>();
        for (Protocols.Entry e : protocols) {
            (e.protocol().tcp() ? t : u).add(e);
        }
        if (t.size() > MAX_PROTOCOLS || u.size() > MAX_PROTOCOLS) {
            throw new IllegalArgumentException("max protocols: " + MAX_PROTOCOLS + " per transport exceeded (tcp="
                    + t.size() + ", udp=" + u.size() + ")");
        }
        this.tcp = t.toArray(Protocols.Entry[]::new);
        this.udp = u.toArray(Protocols.Entry[]::new);
        this.maxBufferBytes = maxBufferBytes;
        this.maxChunks = maxChunks;
        this.maxRestarts = maxRestarts;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return switch (context.id().proto()) {
            case "tcp" -> new DetectingAnalyzer(this, context, tcp, false, 0);
            case "udp" -> new DetectingAnalyzer(this, context, udp, true, 0);
            default -> NoAnalyzer.INSTANCE;
        };
    }

    /** Connections (or tunnelled segments after a switch) whose protocol was identified. */
    public long identified() {
        return identified.sum();
    }

    /** Connections on which detection gave up without identifying a protocol. */
    public long undetermined() {
        return undetermined.sum();
    }

    AppAnalyzer restart(AppContext outer, boolean udpTransport, int restarts) {
        return new DetectingAnalyzer(this, outer, udpTransport ? udp : tcp, udpTransport, restarts);
    }

    void countIdentified() {
        identified.increment();
    }

    void countUndetermined() {
        undetermined.increment();
    }
}
