package dev.vigil.net.flow;

import dev.vigil.net.decode.Packet;
import dev.vigil.net.tcp.ReassemblyBudget;
import java.nio.charset.StandardCharsets;

/**
 * The bidirectional flow table: flows keyed by outer and inner VLAN, protocol and both endpoints
 * (ICMP by type and counterpart or code, as Zeek), in an open-addressing hash table with linear
 * probing and backward-shift deletion, so a lookup allocates nothing.
 *
 * <p>Design: every flow sits on one of five LRU lists by timeout class (open TCP, TCP attempt,
 * finished TCP, UDP, ICMP). Within a list the timeout is the same for all, so only list heads need
 * checking to expire flows. Time is the monotone clock the caller derives from packet times. When
 * {@link FlowConfig#maxFlows()} flows are held, the least recently active flow is evicted and still
 * reported. A new flow's originator is chosen as Zeek does: the SYN sender; for packets without a
 * SYN (mid-stream pickup), SYN-ACKs and UDP, a likely-server-port heuristic; ICMP by request/reply.
 *
 * <p>Not thread-safe: one table per capture source.
 */
public final class FlowTable {

    private static final int TCP_OPEN = 0;
    private static final int TCP_ATTEMPT = 1;
    private static final int TCP_DONE = 2;
    private static final int UDP = 3;
    private static final int ICMP = 4;
    private static final int CLASSES = 5;

    private static final byte[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .getBytes(StandardCharsets.US_ASCII);

    private final FlowConfig config;
    private final FlowEvents events;
    private final ReassemblyBudget budget;
    private final Flow[] slots;
    private final int mask;
    private int size;
    private final Flow[] oldest = new Flow[CLASSES];
    private final Flow[] newest = new Flow[CLASSES];
    private final long[] timeouts = new long[CLASSES];
    private final long activeTimeout;
    private final long uidSeed;
    private long frame;
    private long created;
    private long evicted;

    public FlowTable(FlowConfig config, FlowEvents events) {
        this.config = config;
        this.events = events;
        this.budget = new ReassemblyBudget(config.reassemblyBytes());
        int capacity = Integer.highestOneBit(Math.max(16, config.maxFlows()) * 2 - 1) << 1;
        this.slots = new Flow[capacity];
        this.mask = capacity - 1;
        timeouts[TCP_OPEN] = config.tcpIdle().toNanos() / 1000;
        timeouts[TCP_ATTEMPT] = config.tcpAttempt().toNanos() / 1000;
        timeouts[TCP_DONE] = config.tcpLinger().toNanos() / 1000;
        timeouts[UDP] = config.udpIdle().toNanos() / 1000;
        timeouts[ICMP] = config.icmpIdle().toNanos() / 1000;
        this.activeTimeout = config.activeTimeout().toNanos() / 1000;
        this.uidSeed = config.uidSeed();
    }

    /**
     * Finds or creates the flow of a decoded TCP, UDP or ICMP packet and accounts the packet on it
     * (state machine, history, reassembly, analyzers). Expiry is the caller's: {@link #expire} on its
     * own schedule, so that tables fed the same frames expire the same flows at the same frames.
     *
     * @param mono  the monotone clock in microseconds
     * @param frame the frame's position in the capture (0-based); a new flow's uid derives from it and
     *              the uid seed, so the same capture gives the same uids however it is spread over tables
     * @return the flow
     */
    public Flow process(Packet p, long mono, long frame) {
        this.frame = frame;
        int hash = FlowKey.hash(p);
        int i = hash & mask;
        Flow flow;
        while ((flow = slots[i]) != null) {
            if (flow.hash == hash && matches(flow, p)) {
                break;
            }
            i = (i + 1) & mask;
        }
        if (flow != null) {
            boolean isOrig = flow.fromOrig(p);
            if (reused(flow, p, isOrig)) {
                end(flow, EndReason.REUSED);
                flow = null;
            } else if (activeTimeout > 0 && mono - flow.firstMono > activeTimeout) {
                end(flow, EndReason.ACTIVE);
                flow = null;
            } else {
                flow.packet(p, isOrig, mono);
                touch(flow);
                return flow;
            }
        }
        if (size >= config.maxFlows()) {
            evictOldest();
        }
        flow = new Flow(p, flip(p), hash, uid(uidSeed, frame), mono, events, budget);
        insert(flow);
        created++;
        flow.packet(p, flow.fromOrig(p), mono);
        touch(flow);
        return flow;
    }

    private static boolean reused(Flow flow, Packet p, boolean isOrig) {
        return flow.protocol == Packet.TCP && flow.finished() && (p.tcpFlags & (Packet.SYN | Packet.ACK)) == Packet.SYN
                && isOrig;
    }

    private static boolean matches(Flow f, Packet p) {
        if (f.protocol != p.protocol || f.vlan != p.vlan || f.innerVlan != p.innerVlan) {
            return false;
        }
        int sp = FlowKey.srcPort(p);
        int dp = FlowKey.dstPort(p);
        if (p.srcLo == f.origLo && p.srcHi == f.origHi && sp == f.origPort
                && p.dstLo == f.respLo && p.dstHi == f.respHi && dp == f.respPort) {
            return true;
        }
        return p.srcLo == f.respLo && p.srcHi == f.respHi && sp == f.respPort
                && p.dstLo == f.origLo && p.dstHi == f.origHi && dp == f.origPort;
    }

    /** Zeek's orientation heuristics for the first packet of a flow. */
    private static boolean flip(Packet p) {
        switch (p.protocol) {
            case Packet.TCP -> {
                int flags = p.tcpFlags;
                if ((flags & Packet.SYN) == 0 || (flags & Packet.ACK) != 0) {
                    if (LikelyServerPorts.contains(Packet.TCP, p.srcPort)) {
                        if (LikelyServerPorts.contains(Packet.TCP, p.dstPort)) {
                            return (flags & Packet.SYN) == 0 && p.srcPort < p.dstPort;
                        }
                        return true;
                    }
                }
                return false;
            }
            case Packet.UDP -> {
                return LikelyServerPorts.contains(Packet.UDP, p.srcPort)
                        && !LikelyServerPorts.contains(Packet.UDP, p.dstPort);
            }
            default -> {
                return FlowKey.icmpReply(p.protocol, p.srcPort);
            }
        }
    }

    /** Zeek-shaped uid ({@code C} and 17 base-62 digits) of the flow created at {@code frame}: SplitMix64 of seed and frame. */
    static String uid(long seed, long frame) {
        long a = mix(seed + (frame + 1) * 0x9E3779B97F4A7C15L) >>> 1;
        long b = mix(a ^ seed ^ 0xD1B54A32D192ED03L) >>> 33;
        byte[] out = new byte[18];
        out[0] = 'C';
        for (int k = 1; k < 12; k++) {
            out[k] = BASE62[(int) (a % 62)];
            a /= 62;
        }
        for (int k = 12; k < 18; k++) {
            out[k] = BASE62[(int) (b % 62)];
            b /= 62;
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void insert(Flow flow) {
        int i = flow.hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = flow;
        flow.slot = i;
        size++;
    }

    private void removeSlot(Flow flow) {
        int i = flow.slot;
        slots[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Flow f = slots[j];
            if (f == null) {
                return;
            }
            int k = f.hash & mask;
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                slots[i] = f;
                f.slot = i;
                slots[j] = null;
                i = j;
            }
        }
    }

    private static int timeoutClass(Flow f) {
        return switch (f.protocol) {
            case Packet.TCP -> f.finished() ? TCP_DONE : f.attempt() ? TCP_ATTEMPT : TCP_OPEN;
            case Packet.UDP -> UDP;
            default -> ICMP;
        };
    }

    private void touch(Flow f) {
        unlink(f);
        int c = timeoutClass(f);
        f.timeoutClass = c;
        f.lastFrame = frame;
        f.older = newest[c];
        f.newer = null;
        if (newest[c] != null) {
            newest[c].newer = f;
        } else {
            oldest[c] = f;
        }
        newest[c] = f;
    }

    private void unlink(Flow f) {
        int c = f.timeoutClass;
        if (c < 0) {
            return;
        }
        if (f.older != null) {
            f.older.newer = f.newer;
        } else {
            oldest[c] = f.newer;
        }
        if (f.newer != null) {
            f.newer.older = f.older;
        } else {
            newest[c] = f.older;
        }
        f.older = null;
        f.newer = null;
        f.timeoutClass = -1;
    }

    /** Ends every flow whose timeout passed at monotone time {@code mono}. */
    public void expire(long mono) {
        for (int c = 0; c < CLASSES; c++) {
            Flow f;
            while ((f = oldest[c]) != null && mono - f.lastMono > timeouts[c]) {
                end(f, switch (c) {
                    case TCP_ATTEMPT -> EndReason.ATTEMPT;
                    case TCP_DONE -> EndReason.CLOSED;
                    default -> EndReason.IDLE;
                });
            }
        }
    }

    private void evictOldest() {
        Flow victim = null;
        for (int c = 0; c < CLASSES; c++) {
            Flow f = oldest[c];
            if (f != null && (victim == null || f.lastMono < victim.lastMono)) {
                victim = f;
            }
        }
        if (victim != null) {
            evicted++;
            end(victim, EndReason.EVICTED);
        }
    }

    private void end(Flow f, EndReason reason) {
        f.endClass = f.timeoutClass;
        unlink(f);
        removeSlot(f);
        f.end();
        events.ended(f, reason);
    }

    /** Ends every flow (end of input or shutdown), oldest first. */
    public void flush() {
        while (true) {
            Flow victim = null;
            for (int c = 0; c < CLASSES; c++) {
                Flow f = oldest[c];
                if (f != null && (victim == null || f.lastMono < victim.lastMono)) {
                    victim = f;
                }
            }
            if (victim == null) {
                return;
            }
            end(victim, EndReason.FLUSH);
        }
    }

    /** Flows held now. */
    public int size() {
        return size;
    }

    /** Flows created so far. */
    public long created() {
        return created;
    }

    /** Flows evicted because the table was full. */
    public long evicted() {
        return evicted;
    }

    /** The configuration. */
    public FlowConfig config() {
        return config;
    }

    /** Memory accounting of out-of-order TCP data. */
    public ReassemblyBudget budget() {
        return budget;
    }
}
