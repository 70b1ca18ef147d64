package dev.vigil.net.analysis;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.scan.ScanConfig;
import dev.vigil.net.scan.ScanDetector;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The one {@link ScanDetector} of a capture, fed by every thread that analyzes it: connection outcomes
 * from the flow stages, ARP requests and sweeps from the frame stage.
 *
 * <p>A scan notice names the attempt that crossed a threshold, so the detector must see attempts in
 * the order one pipeline would. Each observation carries that order as a key: the frame it happened at
 * and, within a frame, expiry before the frame's own packet before the sweep; among flows expired at
 * one frame, timeout class then least recently touched first; at the end, flows by last packet time,
 * then class, then last touch (the order {@link dev.vigil.net.flow.FlowTable} ends them in). Immediate
 * mode (one thread) observes at once. Ordered mode (worker threads) queues the attempts and observes
 * them in key order once every worker has passed their frame: each worker reports a watermark, the
 * frame below which it will report nothing more ({@link #advance}); the rest is observed at
 * {@link #drain}. Connections that are not attempts ({@link ScanDetector#attempt}) never queue, so the
 * queue holds only failed and unanswered attempts. Thread-safe in ordered mode.
 */
final class ScanStage {

    private static final Comparator<Observation> ORDER = Comparator.comparingLong((Observation o) -> o.frame)
            .thenComparingLong(o -> o.a).thenComparingLong(o -> o.b).thenComparingLong(o -> o.c);

    private final ScanDetector detector;
    private final IdentityResolver identities;
    private final long[] watermarks;
    private final PriorityQueue<Observation> pending;
    private volatile int queued;

    /** Immediate mode when {@code workers} is 0, else ordered over that many workers. */
    ScanStage(ScanConfig config, IdentityResolver identities, int workers) {
        this.detector = new ScanDetector(config);
        this.identities = identities;
        this.watermarks = new long[workers];
        this.pending = workers > 0 ? new PriorityQueue<>(ORDER) : null;
    }

    private static final class Observation {
        final long frame;
        final long a;
        final long b;
        final long c;
        final long mono;
        final ConnRecord conn;
        final Endpoint[] ends;
        final String sender;
        final String target;
        final long tsMicros;

        Observation(long frame, long a, long b, long c, long mono, ConnRecord conn, Endpoint[] ends,
                    String sender, String target, long tsMicros) {
            this.frame = frame;
            this.a = a;
            this.b = b;
            this.c = c;
            this.mono = mono;
            this.conn = conn;
            this.ends = ends;
            this.sender = sender;
            this.target = target;
            this.tsMicros = tsMicros;
        }
    }

    /**
     * A finished connection, ordered by ({@code frame}, {@code a}, {@code b}, {@code c}); {@code ends}
     * are its resolved endpoints (null without identities).
     */
    void conn(ConnRecord conn, Endpoint[] ends, long mono, long frame, long a, long b, long c, RecordSink out) {
        if (ScanDetector.attempt(conn)) {
            offer(new Observation(frame, a, b, c, mono, conn, ends, null, null, 0), out);
        }
    }

    /** An ARP request at frame {@code frame}. */
    void arp(String sender, String target, long tsMicros, long mono, long frame, RecordSink out) {
        offer(new Observation(frame, 1, 0, 0, mono, null, null, sender, target, tsMicros), out);
    }

    /** The periodic sweep of idle sources, after frame {@code frame}. */
    void sweep(long mono, long frame, RecordSink out) {
        offer(new Observation(frame, 2, 0, 0, mono, null, null, null, null, 0), out);
    }

    private void offer(Observation o, RecordSink out) {
        if (pending == null) {
            observe(o, out);
            return;
        }
        synchronized (this) {
            pending.add(o);
            queued = pending.size();
        }
    }

    /**
     * Worker {@code worker} will report nothing more below frame {@code watermark}; observes what every
     * worker has passed, writing notices to {@code out}.
     */
    void advance(int worker, long watermark, RecordSink out) {
        synchronized (this) {
            watermarks[worker] = watermark;
            if (queued == 0) {
                return;
            }
            long low = Arrays.stream(watermarks).min().orElse(Long.MAX_VALUE);
            while (!pending.isEmpty() && pending.peek().frame < low) {
                observe(pending.poll(), out);
            }
            queued = pending.size();
        }
    }

    /** True when observations wait for workers to pass their frames. */
    boolean waiting() {
        return queued > 0;
    }

    /** Every worker has finished: observes the rest in order. */
    synchronized void drain(RecordSink out) {
        while (pending != null && !pending.isEmpty()) {
            observe(pending.poll(), out);
        }
        queued = 0;
    }

    private void observe(Observation o, RecordSink out) {
        if (o.conn != null) {
            detector.observe(o.conn, o.mono, notice -> out.accept(o.ends == null ? notice
                    : new IdentityFields(notice, o.ends[0], o.ends[1])));
        } else if (o.sender != null) {
            detector.observeArpRequest(o.sender, o.target, o.tsMicros, o.mono, notice -> out.accept(arpNotice(notice)));
        } else {
            detector.sweep(o.mono);
        }
    }

    private LogRecord arpNotice(NoticeRecord notice) {
        if (identities == IdentityResolver.NONE) {
            return notice;
        }
        Instant at = Instant.ofEpochSecond(0, Math.round(notice.ts() * 1e9));
        ConnId id = notice.id();
        return new IdentityFields(notice, identities.resolve(id.origH(), at), identities.resolve(id.respH(), at));
    }
}
