package dev.vigil.net.detect;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.NoAnalyzer;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.SegmentBuffer;
import java.lang.foreign.MemorySegment;

/**
 * The per-connection half of {@link ProtocolDetector}: buffers undecided bytes, probes, hands off,
 * then forwards. It is also the {@link AppContext} of the analyzer it hands off to, which is how it
 * sees {@link #switchTo} and role flips that happen while it replays buffered bytes.
 *
 * <p>While detecting, a direction whose buffer is empty is probed on the caller's segment directly
 * and copied only when the probe cannot decide, so the common case (the first segment decides)
 * copies nothing.
 */
final class DetectingAnalyzer implements AppAnalyzer, AppContext {

    private final ProtocolDetector detector;
    private final AppContext outer;
    private final Protocols.Entry[] candidates;
    private final boolean udp;
    private final int restarts;

    /** Bit i set: candidate i answered NO_MATCH. */
    private long eliminated;
    private int alive;
    private boolean sawData;
    /** Null while detecting; the chosen analyzer, a successor after a switch, or {@link #NoAnalyzer.INSTANCE}. */
    private AppAnalyzer next;

    /** Undecided bytes of each direction; created when a first segment does not decide. */
    private SegmentBuffer orig;
    private SegmentBuffer resp;
    private byte[] chunkDir;
    private int[] chunkLen;
    private long[] chunkTs;
    private int chunks;

    private boolean replaying;
    private boolean flippedDuringReplay;
    /** After a restart, a direction's leading CR and LF bytes still belong to the protocol left behind. */
    private boolean origBlank;
    private boolean respBlank;

    DetectingAnalyzer(ProtocolDetector detector, AppContext outer, Protocols.Entry[] candidates, boolean udp,
            int restarts) {
        this.detector = detector;
        this.outer = outer;
        this.candidates = candidates;
        this.udp = udp;
        this.restarts = restarts;
        this.alive = candidates.length;
        this.origBlank = restarts > 0;
        this.respBlank = restarts > 0;
        if (alive == 0) {
            next = NoAnalyzer.INSTANCE;
        }
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (next != null) {
            next.data(direction, bytes, offset, length, tsMicros);
            return;
        }
        if (direction == Direction.ORIG ? origBlank : respBlank) {
            int blank = 0;
            while (blank < length && isBlank(bytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + blank))) {
                blank++;
            }
            offset += blank;
            length -= blank;
            if (length > 0) {
                if (direction == Direction.ORIG) {
                    origBlank = false;
                } else {
                    respBlank = false;
                }
            }
        }
        if (length <= 0) {
            return;
        }
        sawData = true;
        SegmentBuffer kept = direction == Direction.ORIG ? orig : resp;
        int buffered = kept == null ? 0 : kept.length();
        boolean copied = false;
        Protocols.Entry winner;
        if (udp || buffered == 0) {
            winner = probe(direction, bytes, offset, length);
        } else {
            if (!append(direction, bytes, offset, length, tsMicros)) {
                giveUp();
                return;
            }
            copied = true;
            winner = probe(direction, kept.segment(), 0, buffered + length);
        }
        if (winner != null) {
            handOff(winner, copied ? null : bytes, direction, offset, length, tsMicros);
        } else if (alive == 0 || (!copied && !append(direction, bytes, offset, length, tsMicros))) {
            giveUp();
        }
    }

    @Override
    public void gap(Direction direction, long length) {
        if (next != null) {
            next.gap(direction, length);
        } else {
            giveUp();
        }
    }

    @Override
    public void end(long tsMicros) {
        if (next != null) {
            next.end(tsMicros);
        } else if (sawData) {
            giveUp();
        }
    }

    private static boolean isBlank(byte b) {
        return b == '\r' || b == '\n';
    }

    private Protocols.Entry probe(Direction direction, MemorySegment bytes, long offset, int length) {
        int respPort = outer.id().respP();
        Protocols.Entry best = null;
        boolean bestOnPort = false;
        for (int i = 0; i < candidates.length; i++) {
            if ((eliminated & (1L << i)) != 0) {
                continue;
            }
            Protocols.Entry candidate = candidates[i];
            AppProtocol.Verdict verdict;
            try {
                verdict = candidate.protocol().probe(direction, bytes, offset, length, respPort);
            } catch (RuntimeException e) {
                outer.anomaly("detect_probe_failed", candidate.protocol().name() + " probe threw " + e);
                verdict = AppProtocol.Verdict.NO_MATCH;
            }
            if (verdict == AppProtocol.Verdict.NO_MATCH) {
                eliminated |= 1L << i;
                alive--;
            } else if (verdict == AppProtocol.Verdict.MATCH) {
                boolean onPort = candidate.onPort(respPort);
                if (best == null || (onPort && !bestOnPort)) {
                    best = candidate;
                    bestOnPort = onPort;
                }
            }
        }
        return best;
    }

    private boolean append(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (chunks >= detector.maxChunks) {
            return false;
        }
        SegmentBuffer kept = direction == Direction.ORIG ? orig : resp;
        if (kept == null) {
            kept = new SegmentBuffer(detector.maxBufferBytes);
            if (direction == Direction.ORIG) {
                orig = kept;
            } else {
                resp = kept;
            }
        }
        if (!kept.append(bytes, offset, length)) {
            return false;
        }
        if (chunkDir == null) {
            int n = Math.min(detector.maxChunks, 8);
            chunkDir = new byte[n];
            chunkLen = new int[n];
            chunkTs = new long[n];
        } else if (chunks == chunkDir.length) {
            int n = Math.min(detector.maxChunks, chunks * 2);
            chunkDir = java.util.Arrays.copyOf(chunkDir, n);
            chunkLen = java.util.Arrays.copyOf(chunkLen, n);
            chunkTs = java.util.Arrays.copyOf(chunkTs, n);
        }
        chunkDir[chunks] = (byte) direction.ordinal();
        chunkLen[chunks] = length;
        chunkTs[chunks] = tsMicros;
        chunks++;
        return true;
    }

    /**
     * Creates the winner's analyzer and replays the buffered chunks into it in arrival order, then the
     * current call's bytes when they were not buffered ({@code direct} non-null).
     */
    private void handOff(Protocols.Entry winner, MemorySegment direct, Direction direction, long offset, int length,
            long tsMicros) {
        detector.countIdentified();
        outer.addService(winner.protocol().name());
        try {
            next = winner.protocol().create(this);
        } catch (RuntimeException e) {
            outer.anomaly("detect_create_failed", winner.protocol().name() + " analyzer threw " + e);
            next = NoAnalyzer.INSTANCE;
        }
        replaying = true;
        flippedDuringReplay = false;
        int origAt = 0;
        int respAt = 0;
        for (int k = 0; k < chunks; k++) {
            Direction d = chunkDir[k] == 0 ? Direction.ORIG : Direction.RESP;
            int len = chunkLen[k];
            MemorySegment seg;
            int at;
            if (d == Direction.ORIG) {
                seg = orig.segment();
                at = origAt;
                origAt += len;
            } else {
                seg = resp.segment();
                at = respAt;
                respAt += len;
            }
            next.data(flippedDuringReplay ? d.opposite() : d, seg, at, len, chunkTs[k]);
        }
        if (direct != null) {
            next.data(flippedDuringReplay ? direction.opposite() : direction, direct, offset, length, tsMicros);
        }
        replaying = false;
        release();
    }

    private void giveUp() {
        if (next == null) {
            detector.countUndetermined();
            next = NoAnalyzer.INSTANCE;
            release();
        }
    }

    private void release() {
        orig = null;
        resp = null;
        chunkDir = null;
        chunkLen = null;
        chunkTs = null;
        chunks = 0;
    }

    @Override
    public ConnId id() {
        return outer.id();
    }

    @Override
    public String uid() {
        return outer.uid();
    }

    @Override
    public int vlan() {
        return outer.vlan();
    }

    @Override
    public void emit(LogRecord record) {
        outer.emit(record);
    }

    @Override
    public void addService(String service) {
        outer.addService(service);
    }

    @Override
    public void encrypted(boolean encrypted) {
        outer.encrypted(encrypted);
    }

    @Override
    public void anomaly(String name, String detail) {
        outer.anomaly(name, detail);
    }

    @Override
    public void flipRoles() {
        outer.flipRoles();
        if (replaying) {
            flippedDuringReplay = !flippedDuringReplay;
        }
    }

    @Override
    public AppAnalyzer switchTo(AppAnalyzer successor) {
        if (successor != null) {
            next = successor;
        } else if (restarts >= detector.maxRestarts) {
            outer.anomaly("detect_too_many_restarts", "max detection restarts: " + detector.maxRestarts
                    + " reached; ignoring the rest of the connection");
            next = NoAnalyzer.INSTANCE;
        } else {
            next = detector.restart(outer, udp, restarts + 1);
        }
        return next;
    }
}
