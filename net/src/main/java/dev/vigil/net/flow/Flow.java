package dev.vigil.net.flow;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.decode.Packet;
import dev.vigil.net.tcp.ReassemblyBudget;
import dev.vigil.net.tcp.StreamConsumer;
import dev.vigil.net.tcp.TcpStream;
import java.lang.foreign.MemorySegment;

/**
 * One bidirectional connection (TCP) or flow (UDP, ICMP), with Zeek's connection semantics.
 *
 * <p>TCP follows Zeek's {@code TCPSessionAdapter}: each endpoint runs Zeek's state machine
 * (inactive, SYN sent, SYN-ACK sent, partial, established, closed, reset), from which
 * {@link #connState()} derives {@code conn_state} exactly as Zeek's {@code conn_state()} function;
 * {@code history} letters follow Zeek's {@code update_history} (one letter per kind and side, repeated
 * SYN/FIN/RST letters when the sequence number changes, and the retransmission, zero-window and gap
 * letters repeated at 1, 10, 100 … occurrences); {@code orig_bytes}/{@code resp_bytes} come from
 * sequence numbers as Zeek's {@code TCP_Endpoint::Size()}. The payload of each direction is reassembled
 * by a {@link TcpStream} and fed to the connection's {@link AppAnalyzer}, created on the first payload
 * byte. This object is the analyzer's {@link AppContext}.
 *
 * <p>Owned by a {@link FlowTable}; single-threaded.
 */
public final class Flow implements AppContext, StreamConsumer {

    static final int HIST_SYN = 0x1;
    static final int HIST_FIN = 0x2;
    static final int HIST_RST = 0x4;
    static final int HIST_FIN_RST = 0x8;
    static final int HIST_DATA = 0x10;
    static final int HIST_ACK = 0x20;
    static final int HIST_MULTI_FLAG = 0x40;

    final int protocol;
    final int vlan;
    final int innerVlan;
    final int hash;
    long origHi;
    long origLo;
    int origPort;
    long respHi;
    long respLo;
    int respPort;

    /** LRU links and the timeout class list this flow is on. */
    Flow older;
    Flow newer;
    int timeoutClass = -1;
    int slot;
    /** The frame that last touched this flow, and the timeout class it was on when it ended (ordering keys of {@link FlowTable}). */
    long lastFrame;
    int endClass = -1;

    final String uid;
    final long firstTs;
    long lastTs;
    final long firstMono;
    long lastMono;
    long origPkts;
    long respPkts;
    long origIpBytes;
    long respIpBytes;
    long origPayload;
    long respPayload;
    TcpEndpoint orig;
    TcpEndpoint resp;
    private TcpStream origStream;
    private TcpStream respStream;
    private final StringBuilder history = new StringBuilder(12);
    private int histSeen;
    private String service;
    private Boolean encrypted;
    private long missed;
    private ConnId id;
    private AppAnalyzer analyzer;
    private boolean analyzerFailed;
    private final FlowEvents events;
    private final ReassemblyBudget budget;
    /** Identity or other per-flow data the engine attaches (e.g. resolved workloads). */
    public Object attachment;

    Flow(Packet p, boolean flip, int hash, String uid, long mono, FlowEvents events, ReassemblyBudget budget) {
        this.protocol = p.protocol;
        this.vlan = p.vlan;
        this.innerVlan = p.innerVlan;
        this.hash = hash;
        if (flip) {
            origHi = p.dstHi;
            origLo = p.dstLo;
            origPort = FlowKey.dstPort(p);
            respHi = p.srcHi;
            respLo = p.srcLo;
            respPort = FlowKey.srcPort(p);
        } else {
            origHi = p.srcHi;
            origLo = p.srcLo;
            origPort = FlowKey.srcPort(p);
            respHi = p.dstHi;
            respLo = p.dstLo;
            respPort = FlowKey.dstPort(p);
        }
        this.uid = uid;
        this.firstTs = p.tsMicros;
        this.lastTs = p.tsMicros;
        this.firstMono = mono;
        this.lastMono = mono;
        this.events = events;
        this.budget = budget;
        if (protocol == Packet.TCP) {
            orig = new TcpEndpoint();
            resp = new TcpEndpoint();
        }
        if (flip) {
            history.append('^');
        }
    }

    /** True when the packet was sent by the originator. */
    boolean fromOrig(Packet p) {
        return p.srcLo == origLo && p.srcHi == origHi && FlowKey.srcPort(p) == origPort
                && p.dstLo == respLo && p.dstHi == respHi && FlowKey.dstPort(p) == respPort;
    }

    /** Accounts one packet and runs the transport state machine and payload delivery. */
    void packet(Packet p, boolean isOrig, long mono) {
        if (protocol != Packet.TCP || !orig.didClose || !resp.didClose) {
            lastTs = p.tsMicros;
        }
        lastMono = mono;
        if (isOrig) {
            origPkts++;
            origIpBytes += p.ipLength;
        } else {
            respPkts++;
            respIpBytes += p.ipLength;
        }
        switch (protocol) {
            case Packet.TCP -> tcp(p, isOrig);
            case Packet.UDP -> {
                checkHistory(HIST_DATA, 'D', isOrig);
                datagram(p, isOrig);
            }
            default -> {
                if (isOrig) {
                    origPayload += p.payloadWireLength;
                } else {
                    respPayload += p.payloadWireLength;
                }
            }
        }
    }

    private void datagram(Packet p, boolean isOrig) {
        if (isOrig) {
            origPayload += p.payloadWireLength;
        } else {
            respPayload += p.payloadWireLength;
        }
        if (p.payloadLength > 0 && ensureAnalyzer()) {
            try {
                analyzer.data(isOrig ? Direction.ORIG : Direction.RESP, p.data, p.payloadOffset, p.payloadLength,
                        p.tsMicros);
            } catch (RuntimeException e) {
                analyzerFailed(e);
            }
            if (p.payloadLength < p.payloadWireLength) {
                missed += p.payloadWireLength - p.payloadLength;
            }
        }
    }

    // ---- TCP, after Zeek's TCPSessionAdapter::Process ----

    private void tcp(Packet p, boolean isOrig) {
        TcpEndpoint endpoint = isOrig ? orig : resp;
        TcpEndpoint peer = isOrig ? resp : orig;
        int flags = p.tcpFlags;
        boolean syn = (flags & Packet.SYN) != 0;
        boolean fin = (flags & Packet.FIN) != 0;
        boolean rst = (flags & Packet.RST) != 0;
        boolean ack = (flags & Packet.ACK) != 0;
        int len = p.payloadWireLength;
        int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0) - (rst ? len : 0);
        int base = p.seq;
        initEndpoint(endpoint, syn, base, base + segLen, isOrig);
        long rel = endpoint.unwrap(base) - endpoint.start;
        updateHistory(flags, endpoint, rel, len, isOrig);
        if (p.window == 0 && !rst && peer.state != TcpEndpoint.CLOSED && endpoint.state != TcpEndpoint.RESET) {
            endpoint.zeroWindowThreshold = scaled('W', isOrig, ++endpoint.zeroWindowCount, endpoint.zeroWindowThreshold);
        }
        if (fin) {
            endpoint.finCount++;
        }
        if (ack) {
            if (peer.state == TcpEndpoint.INACTIVE) {
                long a = Integer.toUnsignedLong(p.ack - 1);
                peer.initSeq(a, a);
            } else if (!rst) {
                long a = peer.unwrap(p.ack);
                if (!(p.ack == 0 && a - peer.ack > TcpEndpoint.TOO_LARGE_SEQ_DELTA) && a > peer.ack) {
                    peer.ack = a;
                    peer.acked = true;
                }
            }
        }
        long deltaLast = updateLastSeq(endpoint, base + segLen, syn, fin, rst, len, isOrig);
        updateStateMachine(endpoint, peer, base, p.ack, len, deltaLast, isOrig, syn, fin, rst, ack);
        if (endpoint.state == TcpEndpoint.CLOSED || endpoint.state == TcpEndpoint.RESET) {
            endpoint.didClose = true;
        }
        payload(p, isOrig, syn, rst, ack);
    }

    private void initEndpoint(TcpEndpoint e, boolean syn, int firstSeq, int lastSeq, boolean isOrig) {
        switch (e.state) {
            case TcpEndpoint.INACTIVE -> {
                if (syn) {
                    long s = Integer.toUnsignedLong(firstSeq);
                    e.initSeq(s, s + (lastSeq - firstSeq));
                } else {
                    long s = Integer.toUnsignedLong(firstSeq - 1);
                    e.initSeq(s, s + 1);
                }
            }
            case TcpEndpoint.SYN_SENT, TcpEndpoint.SYN_ACK_SENT, TcpEndpoint.ESTABLISHED, TcpEndpoint.PARTIAL -> {
                if (syn && e.unwrap(firstSeq) != e.start) {
                    weird("SYN_seq_jump");
                    long s = Integer.toUnsignedLong(firstSeq);
                    e.initSeq(s, s + (lastSeq - firstSeq));
                    restartStream(isOrig);
                }
            }
            case TcpEndpoint.RESET -> {
                if (syn && e.prevState == TcpEndpoint.INACTIVE) {
                    long s = Integer.toUnsignedLong(firstSeq);
                    e.initSeq(s, s + (lastSeq - firstSeq));
                    restartStream(isOrig);
                }
            }
            default -> {
            }
        }
    }

    /** A SYN restarted this side's sequence space: its byte stream starts over from the new SYN. */
    private void restartStream(boolean isOrig) {
        TcpStream old = isOrig ? origStream : respStream;
        if (old != null) {
            old.discard();
            if (isOrig) {
                origStream = null;
            } else {
                respStream = null;
            }
        }
    }

    private void updateHistory(int flags, TcpEndpoint e, long rel, int len, boolean isOrig) {
        boolean syn = (flags & Packet.SYN) != 0;
        boolean fin = (flags & Packet.FIN) != 0;
        boolean rst = (flags & Packet.RST) != 0;
        int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1) {
            if (fin && rst) {
                checkHistory(HIST_FIN_RST, 'I', isOrig);
            } else {
                checkHistory(HIST_MULTI_FLAG, 'Q', isOrig);
            }
        } else if (bits == 1) {
            if (syn) {
                char code = (flags & Packet.ACK) != 0 ? 'H' : 'S';
                if (checkHistory(HIST_SYN, code, isOrig) && rel != e.histLastSyn) {
                    addHistory(code, isOrig);
                }
                e.histLastSyn = rel;
            }
            if (fin) {
                if (checkHistory(HIST_FIN, 'F', isOrig) && rel + len != e.histLastFin) {
                    addHistory('F', isOrig);
                }
                e.histLastFin = rel + len;
            }
            if (rst) {
                if (checkHistory(HIST_RST, 'R', isOrig) && rel != e.histLastRst) {
                    addHistory('R', isOrig);
                }
                e.histLastRst = rel;
            }
        } else if (len > 0) {
            checkHistory(HIST_DATA, 'D', isOrig);
        } else if ((flags & Packet.ACK) != 0) {
            checkHistory(HIST_ACK, 'A', isOrig);
        }
    }

    private long updateLastSeq(TcpEndpoint e, int lastSeq, boolean syn, boolean fin, boolean rst, int len,
                               boolean isOrig) {
        long delta = e.unwrap(lastSeq) - e.last;
        if ((syn || rst) && (delta > TcpEndpoint.TOO_LARGE_SEQ_DELTA || delta < -TcpEndpoint.TOO_LARGE_SEQ_DELTA)) {
            return delta;
        }
        if (fin && e.last == e.start + 1) {
            e.last = e.unwrap(lastSeq);
        } else if (e.state == TcpEndpoint.RESET) {
            return delta;
        } else if (delta > 0) {
            e.last += delta;
        } else if (len > 0) {
            e.rxmtThreshold = scaled('T', isOrig, ++e.rxmtCount, e.rxmtThreshold);
        }
        return delta;
    }

    private void updateStateMachine(TcpEndpoint endpoint, TcpEndpoint peer, int base, int ackSeq, int len,
                                    long deltaLast, boolean isOrig, boolean syn, boolean fin, boolean rst,
                                    boolean ack) {
        switch (endpoint.state) {
            case TcpEndpoint.INACTIVE -> {
                if (syn) {
                    if (isOrig) {
                        endpoint.setState(ack ? TcpEndpoint.SYN_ACK_SENT : TcpEndpoint.SYN_SENT);
                    } else {
                        if (!ack && peer.state == TcpEndpoint.SYN_ACK_SENT && endpoint.unwrap(base) == endpoint.start) {
                            peer.setState(TcpEndpoint.ESTABLISHED);
                        }
                        if (peer.state == TcpEndpoint.SYN_SENT) {
                            peer.setState(TcpEndpoint.ESTABLISHED);
                        }
                        endpoint.setState(TcpEndpoint.ESTABLISHED);
                    }
                }
                if (fin) {
                    endpoint.setState(TcpEndpoint.CLOSED);
                }
                if (rst) {
                    endpoint.setState(TcpEndpoint.RESET);
                }
                if (endpoint.state == TcpEndpoint.INACTIVE) {
                    if (!isOrig && len == 0 && orig.state == TcpEndpoint.SYN_SENT) {
                        return;
                    } else if (ack && peer.state == TcpEndpoint.ESTABLISHED) {
                        endpoint.setState(TcpEndpoint.ESTABLISHED);
                    } else {
                        endpoint.setState(TcpEndpoint.PARTIAL);
                    }
                }
            }
            case TcpEndpoint.SYN_SENT, TcpEndpoint.SYN_ACK_SENT -> {
                if (fin) {
                    endpoint.setState(TcpEndpoint.CLOSED);
                }
                if (rst) {
                    endpoint.setState(TcpEndpoint.RESET);
                }
            }
            case TcpEndpoint.ESTABLISHED, TcpEndpoint.PARTIAL -> {
                if (syn && endpoint.state == TcpEndpoint.PARTIAL && peer.state == TcpEndpoint.INACTIVE && !ack) {
                    endpoint.setState(TcpEndpoint.SYN_SENT);
                }
                if (fin && !rst) {
                    endpoint.setState(TcpEndpoint.CLOSED);
                    if (peer.state == TcpEndpoint.RESET && peer.prevState == TcpEndpoint.CLOSED) {
                        peer.setState(TcpEndpoint.CLOSED);
                    }
                }
                if (rst) {
                    endpoint.setState(TcpEndpoint.RESET);
                }
            }
            case TcpEndpoint.CLOSED -> {
                if (rst && peer.state != TcpEndpoint.CLOSED) {
                    endpoint.setState(TcpEndpoint.RESET);
                }
            }
            default -> {
            }
        }
    }

    private void payload(Packet p, boolean isOrig, boolean syn, boolean rst, boolean ack) {
        TcpStream stream = isOrig ? origStream : respStream;
        if (syn && stream == null) {
            stream = stream(isOrig);
            stream.syn(p.seq);
        }
        if (p.payloadWireLength > 0 && !rst) {
            if (stream == null) {
                stream = stream(isOrig);
            }
            stream.segment(syn ? p.seq + 1 : p.seq, p.data, p.payloadOffset, p.payloadLength, p.payloadWireLength,
                    p.tsMicros, this);
        }
        if (ack && !rst) {
            TcpStream peerStream = isOrig ? respStream : origStream;
            if (peerStream != null) {
                peerStream.acked(p.ack, p.tsMicros, this);
            }
        }
    }

    private TcpStream stream(boolean isOrig) {
        TcpStream s = new TcpStream(budget);
        if (isOrig) {
            origStream = s;
        } else {
            respStream = s;
        }
        return s;
    }

    /** True once both sides closed or one reset: the connection may be expired after a short linger. */
    boolean finished() {
        if (protocol != Packet.TCP) {
            return false;
        }
        return orig.state == TcpEndpoint.RESET || resp.state == TcpEndpoint.RESET
                || (orig.state == TcpEndpoint.CLOSED && resp.state == TcpEndpoint.CLOSED);
    }

    /** True while only the originator sent SYNs and nothing answered (Zeek's connection attempt). */
    boolean attempt() {
        return protocol == Packet.TCP && (orig.state == TcpEndpoint.SYN_SENT || orig.state == TcpEndpoint.SYN_ACK_SENT)
                && resp.state == TcpEndpoint.INACTIVE;
    }

    // ---- history ----

    private boolean checkHistory(int mask, char code, boolean isOrig) {
        if (!isOrig) {
            mask <<= 16;
        }
        if ((histSeen & mask) == 0) {
            histSeen |= mask;
            addHistory(code, isOrig);
            return false;
        }
        return true;
    }

    private void addHistory(char code, boolean isOrig) {
        history.append(isOrig ? code : Character.toLowerCase(code));
    }

    /** Zeek's {@code ScaledHistoryEntry}: the letter at the 1st, 10th, 100th … occurrence; returns the next threshold. */
    private int scaled(char code, boolean isOrig, int count, int threshold) {
        if (count == threshold) {
            addHistory(code, isOrig);
            long next = (long) threshold * 10;
            return next > Integer.MAX_VALUE ? threshold : (int) next;
        }
        return threshold;
    }

    // ---- stream consumer ----

    @Override
    public void data(TcpStream stream, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (ensureAnalyzer()) {
            try {
                analyzer.data(stream == origStream ? Direction.ORIG : Direction.RESP, bytes, offset, length, tsMicros);
            } catch (RuntimeException e) {
                analyzerFailed(e);
            }
        }
    }

    @Override
    public void gap(TcpStream stream, long length) {
        missed += length;
        boolean isOrig = stream == origStream;
        TcpEndpoint e = isOrig ? orig : resp;
        if (e != null) {
            e.gapThreshold = scaled('G', isOrig, ++e.gapCount, e.gapThreshold);
        }
        if (analyzer != null && !analyzerFailed) {
            try {
                analyzer.gap(isOrig ? Direction.ORIG : Direction.RESP, length);
            } catch (RuntimeException ex) {
                analyzerFailed(ex);
            }
        }
    }

    private boolean ensureAnalyzer() {
        if (analyzerFailed) {
            return false;
        }
        if (analyzer == null) {
            try {
                analyzer = events.createAnalyzer(this);
            } catch (RuntimeException e) {
                analyzerFailed(e);
                return false;
            }
        }
        return true;
    }

    private void analyzerFailed(RuntimeException e) {
        analyzerFailed = true;
        events.anomaly(this, "analyzer_exception", e.toString());
    }

    /** Ends the connection: flushes reassembly (holes become gaps) and tells the analyzer. */
    void end() {
        if (protocol == Packet.TCP) {
            if (origStream != null) {
                origStream.finish(orig.acked, (int) orig.ack, orig.finCount > 0, lastTs, this);
            }
            if (respStream != null) {
                respStream.finish(resp.acked, (int) resp.ack, resp.finCount > 0, lastTs, this);
            }
        }
        if (analyzer != null && !analyzerFailed) {
            try {
                analyzer.end(lastTs);
            } catch (RuntimeException e) {
                analyzerFailed(e);
            }
        }
        if (origStream != null) {
            origStream.discard();
        }
        if (respStream != null) {
            respStream.discard();
        }
    }

    /**
     * Position in the capture of the last frame that touched this flow: {@link FlowTable#expire} ends
     * the flows of one timeout class in this order.
     */
    public long lastFrame() {
        return lastFrame;
    }

    /** The timeout class (0..4, the order {@link FlowTable#expire} goes through them) the flow was on when it ended; -1 before. */
    public int endClass() {
        return endClass;
    }

    /** Monotone time of the last packet (the clock the table expires by). */
    public long lastMono() {
        return lastMono;
    }

    // ---- AppContext ----

    @Override
    public ConnId id() {
        if (id == null) {
            id = new ConnId(FlowKey.address(origHi, origLo), origPort, FlowKey.address(respHi, respLo), respPort,
                    FlowKey.protoName(protocol));
        }
        return id;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public int vlan() {
        return vlan;
    }

    @Override
    public void emit(LogRecord record) {
        events.emit(this, record);
    }

    @Override
    public void addService(String name) {
        if (service == null) {
            service = name;
        } else if (!(',' + service + ',').contains(',' + name + ',')) {
            service = service + ',' + name;
        }
    }

    @Override
    public void encrypted(boolean value) {
        encrypted = value;
    }

    @Override
    public void anomaly(String name, String detail) {
        events.anomaly(this, name, detail);
    }

    @Override
    public void flipRoles() {
        long h = origHi;
        long l = origLo;
        int port = origPort;
        origHi = respHi;
        origLo = respLo;
        origPort = respPort;
        respHi = h;
        respLo = l;
        respPort = port;
        long t = origPkts;
        origPkts = respPkts;
        respPkts = t;
        t = origIpBytes;
        origIpBytes = respIpBytes;
        respIpBytes = t;
        t = origPayload;
        origPayload = respPayload;
        respPayload = t;
        TcpEndpoint e = orig;
        orig = resp;
        resp = e;
        TcpStream s = origStream;
        origStream = respStream;
        respStream = s;
        histSeen = (histSeen >>> 16) | (histSeen << 16);
        history.append('^');
        id = null;
    }

    @Override
    public AppAnalyzer switchTo(AppAnalyzer next) {
        analyzer = next != null ? next : events.createAnalyzer(this);
        return analyzer;
    }

    // ---- results ----

    /** Zeek's {@code conn_state}. */
    public String connState() {
        return switch (protocol) {
            case Packet.TCP -> tcpState();
            case Packet.UDP -> origPkts > 0 ? (respPkts > 0 ? "SF" : "S0") : (respPkts > 0 ? "SHR" : "OTH");
            default -> "OTH";
        };
    }

    private String tcpState() {
        int os = orig.state;
        int rs = resp.state;
        boolean oInactive = orig.inactive();
        boolean rInactive = resp.inactive();
        if (rs == TcpEndpoint.RESET) {
            if (os == TcpEndpoint.SYN_SENT || os == TcpEndpoint.SYN_ACK_SENT
                    || (os == TcpEndpoint.RESET && orig.size(resp) == 0 && resp.size(orig) == 0)) {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == TcpEndpoint.RESET) {
            if (rInactive) {
                return rstos0() ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == TcpEndpoint.CLOSED && os == TcpEndpoint.CLOSED) {
            return "SF";
        }
        if (os == TcpEndpoint.CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == TcpEndpoint.CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == TcpEndpoint.SYN_SENT && rs == TcpEndpoint.INACTIVE) {
            return "S0";
        }
        if (os == TcpEndpoint.ESTABLISHED && rs == TcpEndpoint.ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    /** Zeek's {@code /\^?S[^HAFGIQ]*R.*}/ test on the history. */
    private boolean rstos0() {
        int i = 0;
        if (i < history.length() && history.charAt(i) == '^') {
            i++;
        }
        if (i >= history.length() || history.charAt(i) != 'S') {
            return false;
        }
        for (i++; i < history.length(); i++) {
            char c = history.charAt(i);
            if (c == 'R') {
                return true;
            }
            if ("HAFGIQ".indexOf(c) >= 0) {
                return false;
            }
        }
        return false;
    }

    /** Zeek's {@code history} letters so far. */
    public String history() {
        return history.toString();
    }

    /** Originator payload bytes (TCP: from sequence numbers). */
    public long origBytes() {
        return protocol == Packet.TCP ? orig.size(resp) : origPayload;
    }

    /** Responder payload bytes. */
    public long respBytes() {
        return protocol == Packet.TCP ? resp.size(orig) : respPayload;
    }

    public long origPkts() {
        return origPkts;
    }

    public long respPkts() {
        return respPkts;
    }

    public long origIpBytes() {
        return origIpBytes;
    }

    public long respIpBytes() {
        return respIpBytes;
    }

    public long missedBytes() {
        return missed;
    }

    public String service() {
        return service;
    }

    public Boolean encrypted() {
        return encrypted;
    }

    public int innerVlan() {
        return innerVlan;
    }

    /** First packet's own timestamp, microseconds. */
    public long firstTs() {
        return firstTs;
    }

    /** Last packet's own timestamp, microseconds. */
    public long lastTs() {
        return lastTs;
    }

    /**
     * Duration in microseconds as Zeek computes it, last packet's time minus first packet's time; when
     * timestamps went backwards past the start, the monotone clock's span instead.
     */
    public long durationMicros() {
        long own = lastTs - firstTs;
        return own >= 0 ? own : lastMono - firstMono;
    }

    /** Originator address as two longs (IPv4-mapped for IPv4). */
    public long origHi() {
        return origHi;
    }

    public long origLo() {
        return origLo;
    }

    public long respHi() {
        return respHi;
    }

    public long respLo() {
        return respLo;
    }

    private void weird(String name) {
        events.anomaly(this, name, null);
    }
}
