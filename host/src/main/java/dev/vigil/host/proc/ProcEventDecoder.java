package dev.vigil.host.proc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes proc connector datagrams: netlink header, connector message ({@code struct cn_msg}) and
 * {@code struct proc_event}, without allocating. Each valid event is handed to the listener in a
 * reused {@link ProcEvent}; anything else (short, foreign connector id, unknown type, inconsistent
 * lengths) is counted as malformed and skipped — nothing is thrown. Lost events are counted from the
 * per-CPU sequence numbers the kernel stamps on each message.
 *
 * <p>Limits: at most {@link #MAX_MESSAGES} netlink messages per datagram, CPUs numbered below
 * {@link #MAX_CPUS} for sequence tracking (higher ones are decoded but not gap-checked).
 */
public final class ProcEventDecoder {

    /** Most netlink messages decoded from one datagram. */
    public static final int MAX_MESSAGES = 64;
    /** CPUs tracked for sequence gaps. */
    public static final int MAX_CPUS = 4096;

    static final int NLMSG_HDRLEN = 16;
    static final int CN_MSG_LEN = 20;
    static final int EVENT_HEADER = 16;
    static final int CN_IDX_PROC = 1;
    static final int CN_VAL_PROC = 1;
    static final int NLMSG_ERROR = 2;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    /** Receives decoded events. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(ProcEvent event);
    }

    private final ProcEvent event = new ProcEvent();
    private final int[] lastSeq = new int[MAX_CPUS];
    private final boolean[] seenCpu = new boolean[MAX_CPUS];
    private long decoded;
    private long malformed;
    private long gapLost;

    /** Decodes {@code length} bytes of {@code datagram}; returns the number of events delivered. */
    public int decode(MemorySegment datagram, int length, Listener listener) {
        int n = (int) Math.min(length, datagram.byteSize());
        int offset = 0;
        int delivered = 0;
        for (int messages = 0; offset + NLMSG_HDRLEN <= n && messages < MAX_MESSAGES; messages++) {
            int msgLen = datagram.get(INT, offset);
            int type = datagram.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 4) & 0xffff;
            if (msgLen < NLMSG_HDRLEN || msgLen > n - offset) {
                malformed++;
                return delivered;
            }
            if (type != NLMSG_ERROR && decodeMessage(datagram, offset + NLMSG_HDRLEN, msgLen - NLMSG_HDRLEN)) {
                listener.onEvent(event);
                delivered++;
            } else if (type == NLMSG_ERROR) {
                malformed++;
            }
            offset += (msgLen + 3) & ~3;
        }
        return delivered;
    }

    private boolean decodeMessage(MemorySegment m, int at, int len) {
        if (len < CN_MSG_LEN + EVENT_HEADER) {
            malformed++;
            return false;
        }
        int idx = m.get(INT, at);
        int val = m.get(INT, at + 4);
        int seq = m.get(INT, at + 8);
        int dataLen = m.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 16) & 0xffff;
        if (idx != CN_IDX_PROC || val != CN_VAL_PROC || dataLen > len - CN_MSG_LEN || dataLen < EVENT_HEADER) {
            malformed++;
            return false;
        }
        int p = at + CN_MSG_LEN;
        ProcEvent e = event;
        e.what = m.get(INT, p);
        e.cpu = m.get(INT, p + 4);
        e.monoNanos = m.get(LONG, p + 8);
        e.seq = seq;
        int d = p + EVENT_HEADER;
        int body = dataLen - EVENT_HEADER;
        int need = switch (e.what) {
            case ProcEvent.NONE -> 4;
            case ProcEvent.FORK, ProcEvent.UID, ProcEvent.GID, ProcEvent.PTRACE, ProcEvent.COREDUMP -> 16;
            case ProcEvent.EXEC, ProcEvent.SID -> 8;
            case ProcEvent.COMM -> 24;
            case ProcEvent.EXIT -> 24;
            default -> -1;
        };
        if (need < 0 || body < need) {
            malformed++;
            return false;
        }
        trackSequence(e.cpu, seq);
        if (e.what == ProcEvent.NONE) {
            return false;
        }
        e.otherPid = e.otherTgid = e.a = e.b = -1;
        e.commLength = 0;
        switch (e.what) {
            case ProcEvent.FORK -> {
                e.otherPid = m.get(INT, d);
                e.otherTgid = m.get(INT, d + 4);
                e.pid = m.get(INT, d + 8);
                e.tgid = m.get(INT, d + 12);
            }
            case ProcEvent.EXIT -> {
                e.pid = m.get(INT, d);
                e.tgid = m.get(INT, d + 4);
                e.a = m.get(INT, d + 8);
                e.b = m.get(INT, d + 12);
                e.otherPid = m.get(INT, d + 16);
                e.otherTgid = m.get(INT, d + 20);
            }
            case ProcEvent.UID, ProcEvent.GID -> {
                e.pid = m.get(INT, d);
                e.tgid = m.get(INT, d + 4);
                e.a = m.get(INT, d + 8);
                e.b = m.get(INT, d + 12);
            }
            case ProcEvent.PTRACE, ProcEvent.COREDUMP -> {
                e.pid = m.get(INT, d);
                e.tgid = m.get(INT, d + 4);
                e.otherPid = m.get(INT, d + 8);
                e.otherTgid = m.get(INT, d + 12);
            }
            case ProcEvent.COMM -> {
                e.pid = m.get(INT, d);
                e.tgid = m.get(INT, d + 4);
                int c = 0;
                while (c < 16) {
                    byte ch = m.get(ValueLayout.JAVA_BYTE, d + 8 + c);
                    if (ch == 0) {
                        break;
                    }
                    e.comm[c++] = ch;
                }
                e.commLength = c;
            }
            default -> {
                e.pid = m.get(INT, d);
                e.tgid = m.get(INT, d + 4);
            }
        }
        decoded++;
        return true;
    }

    private void trackSequence(int cpu, int seq) {
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return;
        }
        if (seenCpu[cpu]) {
            int gap = seq - lastSeq[cpu] - 1;
            if (gap > 0) {
                gapLost += gap;
            }
        }
        seenCpu[cpu] = true;
        lastSeq[cpu] = seq;
    }

    /** Events decoded and delivered so far. */
    public long decoded() {
        return decoded;
    }

    /** Messages that were not valid proc events. */
    public long malformed() {
        return malformed;
    }

    /** Events the kernel sent but this socket never received, from sequence gaps. */
    public long lostBySequence() {
        return gapLost;
    }
}
