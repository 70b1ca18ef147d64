package dev.vigil.net.dns;

import dev.vigil.model.net.DnsRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.LogText;
import dev.vigil.net.app.SegmentBuffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;

/**
 * DNS analysis of one UDP flow or TCP connection, as Zeek's DNS analyzer and
 * {@code base/protocols/dns} scripts do it: every query and response is matched by transaction id
 * (oldest pending first) and logged as one {@link DnsRecord} when both halves were seen, or at the
 * end of the flow with the half that was. Only standard queries, notifies and dynamic updates are
 * tracked (Zeek's opcode filter). When the originator's first message is a response, the roles are
 * flipped ({@link AppContext#flipRoles()}), unless the responder address is multicast (mDNS). One
 * deliberate extension: a response whose query was not seen takes {@code query} from its question
 * section, where Zeek only takes it from an answer's owner name (and logs none for a response
 * without answers).
 *
 * <p>Over TCP each direction is a sequence of length-prefixed messages; a message split across
 * segments is copied into a per-direction buffer (at most 65,535 bytes, the framing's limit), a
 * whole one is read in place. A capture gap in a TCP direction ends analysis of that direction.
 *
 * <p>Limits: {@link #MAX_PENDING} unanswered queries and as many unmatched responses (the oldest is
 * logged to make room, as Zeek does), {@link #MAX_QUESTIONS} questions per message (more is the
 * anomaly {@code dns_too_many_questions}), {@link #MAX_ANSWERS} answers logged per response (more is
 * {@code dns_too_many_answers}), and {@link DnsMessage}'s name limits.
 */
final class DnsAnalyzer implements AppAnalyzer {

    /** Pending queries (and, separately, unmatched responses) per flow; Zeek's {@code max_pending_msgs}. */
    static final int MAX_PENDING = 50;
    /** Questions per message; Zeek's {@code dns_max_queries}. */
    static final int MAX_QUESTIONS = 25;
    /** Answers kept in one record. */
    static final int MAX_ANSWERS = 256;

    private final AppContext ctx;
    /** This thread's message cursor, set for the duration of each {@link #message} call. */
    private DnsMessage msg;
    private final ArrayDeque<Transaction> queries = new ArrayDeque<>();
    private final ArrayDeque<Transaction> replies = new ArrayDeque<>();
    private final Framing origFraming;
    private final Framing respFraming;
    private Transaction free;
    private boolean first = true;

    DnsAnalyzer(AppContext ctx, boolean tcp) {
        this.ctx = ctx;
        this.origFraming = tcp ? new Framing() : null;
        this.respFraming = tcp ? new Framing() : null;
        ctx.encrypted(false);
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (origFraming == null) {
            message(direction, bytes, offset, length, tsMicros);
        } else {
            (direction == Direction.ORIG ? origFraming : respFraming).feed(direction, bytes, offset, length, tsMicros);
        }
    }

    @Override
    public void gap(Direction direction, long length) {
        if (origFraming != null) {
            (direction == Direction.ORIG ? origFraming : respFraming).lost = true;
        }
    }

    @Override
    public void end(long tsMicros) {
        while (!queries.isEmpty()) {
            emit(queries.pollFirst());
        }
        while (!replies.isEmpty()) {
            emit(replies.pollFirst());
        }
    }

    private void message(Direction direction, MemorySegment bytes, long offset, int length, long ts) {
        msg = DnsMessage.forThisThread();
        if (!msg.header(bytes, offset, length)) {
            ctx.anomaly(msg.anomaly, msg.anomalyDetail);
            return;
        }
        boolean reply = msg.qr();
        if (first) {
            first = false;
            if (reply && direction == Direction.ORIG && !multicast(ctx.id().respH())) {
                ctx.flipRoles();
            }
        }
        int opcode = msg.opcode();
        if (opcode != 0 && opcode != 4 && opcode != 5) {
            return;
        }
        Transaction t = reply ? forReply(msg.id, ts) : forQuery(msg.id, ts);
        t.opcode = opcode;
        if (reply) {
            t.rcode = msg.rcode();
            if (t.rcode != 0 && msg.qdcount == 0) {
                t.rejected = true;
            }
        }
        if (!body(t, reply, ts)) {
            ctx.anomaly(msg.anomaly, msg.anomalyDetail);
        }
        if (reply) {
            t.sawReply = true;
        } else {
            t.sawQuery = true;
        }
        if (t.sawQuery && t.sawReply) {
            emit(t);
        }
    }

    private boolean body(Transaction t, boolean reply, long ts) {
        if (msg.qdcount > MAX_QUESTIONS) {
            msg.anomaly = "dns_too_many_questions";
            msg.anomalyDetail = "max questions: " + MAX_QUESTIONS + " exceeded (qdcount=" + msg.qdcount + ")";
            return false;
        }
        boolean noRecords = msg.ancount == 0 && msg.nscount == 0 && msg.arcount == 0;
        for (int i = 0; i < msg.qdcount; i++) {
            if (!msg.nextQuestion()) {
                return false;
            }
            if (!reply) {
                t.rd = msg.rd();
                t.tc = msg.tc();
                t.z = msg.z();
                t.qclass = msg.qclass;
                t.qtype = msg.qtype;
                t.setQuery(msg.name, msg.nameLen);
            } else {
                if (t.queryLen < 0) {
                    t.setQuery(msg.name, msg.nameLen);
                }
                if (noRecords) {
                    t.rejected = true;
                }
            }
        }
        if (!reply || t.opcode == 5) {
            return true;
        }
        for (int i = 0; i < msg.ancount; i++) {
            if (!msg.nextRecord()) {
                return false;
            }
            String answer = msg.renderAnswer();
            if (answer == null) {
                if (msg.anomaly != null) {
                    return false;
                }
                continue;
            }
            if (t.queryLen < 0) {
                t.setQuery(msg.name, msg.nameLen);
            }
            t.aa = msg.aa();
            t.ra = msg.ra();
            if (t.rtt < 0 && ts != t.ts) {
                t.rtt = ts - t.ts;
            }
            if (answer.isEmpty()) {
                continue;
            }
            if (t.answers.size() < MAX_ANSWERS) {
                t.addAnswer(answer, msg.ttl);
            } else if (!t.answersCut) {
                t.answersCut = true;
                ctx.anomaly("dns_too_many_answers", "max answers: " + MAX_ANSWERS
                        + " reached in response " + msg.id + " (ancount=" + msg.ancount + ")");
            }
        }
        return true;
    }

    private Transaction forQuery(int id, long ts) {
        Transaction t = take(replies, id);
        return t != null ? t : pend(queries, id, ts);
    }

    private Transaction forReply(int id, long ts) {
        Transaction t = take(queries, id);
        return t != null ? t : pend(replies, id, ts);
    }

    private static Transaction take(ArrayDeque<Transaction> pending, int id) {
        for (Iterator<Transaction> it = pending.iterator(); it.hasNext();) {
            Transaction t = it.next();
            if (t.transId == id) {
                it.remove();
                return t;
            }
        }
        return null;
    }

    private Transaction pend(ArrayDeque<Transaction> pending, int id, long ts) {
        if (pending.size() >= MAX_PENDING) {
            emit(pending.pollFirst());
        }
        Transaction t = free;
        if (t == null) {
            t = new Transaction();
        } else {
            free = t.nextFree;
            t.nextFree = null;
        }
        t.start(id, ts);
        pending.addLast(t);
        return t;
    }

    private void emit(Transaction t) {
        int answers = t.answers.size();
        ctx.emit(new DnsRecord(t.ts / 1e6, ctx.uid(), ctx.id(), t.transId, t.rtt < 0 ? null : t.rtt / 1e6,
                t.queryLen < 0 ? null : LogText.of(t.query, 0, t.queryLen),
                t.qclass < 0 ? null : t.qclass, t.qclass < 0 ? null : DnsNames.qclass(t.qclass),
                t.qtype < 0 ? null : t.qtype, t.qtype < 0 ? null : DnsNames.type(t.qtype),
                t.rcode < 0 ? null : t.rcode, t.rcode < 0 ? null : DnsNames.rcode(t.rcode),
                t.aa, t.tc, t.rd, t.ra, t.z,
                answers == 0 ? null : t.answers,
                answers == 0 ? null : Arrays.copyOf(t.ttls, answers),
                t.rejected, t.opcode, DnsNames.opcode(t.opcode)));
        t.nextFree = free;
        free = t;
    }

    static boolean multicast(String address) {
        if (address.indexOf(':') >= 0) {
            return address.length() >= 2 && (address.charAt(0) | 0x20) == 'f' && (address.charAt(1) | 0x20) == 'f';
        }
        int dot = address.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        int first = 0;
        for (int i = 0; i < dot; i++) {
            first = first * 10 + (address.charAt(i) - '0');
        }
        return first >= 224 && first <= 239;
    }

    /** One query/response pair being assembled; pooled per analyzer. */
    private static final class Transaction {
        int transId;
        long ts;
        boolean sawQuery;
        boolean sawReply;
        final byte[] query = new byte[DnsMessage.MAX_NAME_LENGTH];
        int queryLen;
        int qclass;
        int qtype;
        int rcode;
        int opcode;
        int z;
        boolean rd;
        boolean tc;
        boolean aa;
        boolean ra;
        boolean rejected;
        boolean answersCut;
        long rtt;
        final ArrayList<String> answers = new ArrayList<>(4);
        long[] ttls = new long[4];
        Transaction nextFree;

        void start(int id, long tsMicros) {
            transId = id;
            ts = tsMicros;
            sawQuery = false;
            sawReply = false;
            queryLen = -1;
            qclass = -1;
            qtype = -1;
            rcode = -1;
            opcode = 0;
            z = 0;
            rd = false;
            tc = false;
            aa = false;
            ra = false;
            rejected = false;
            answersCut = false;
            rtt = -1;
            answers.clear();
        }

        void setQuery(byte[] name, int length) {
            System.arraycopy(name, 0, query, 0, length);
            queryLen = length;
        }

        void addAnswer(String answer, long ttl) {
            int i = answers.size();
            if (i == ttls.length) {
                ttls = Arrays.copyOf(ttls, i * 2);
            }
            ttls[i] = ttl;
            answers.add(answer);
        }
    }

    /** Length-prefixed message framing of one TCP direction. */
    private final class Framing {
        private int lengthBytes;
        private int messageLength;
        private final SegmentBuffer partial = new SegmentBuffer(65535);
        boolean lost;

        void feed(Direction direction, MemorySegment bytes, long offset, int length, long ts) {
            long at = offset;
            long end = offset + length;
            while (at < end && !lost) {
                if (lengthBytes < 2) {
                    messageLength = (messageLength << 8) | (bytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at++) & 0xff);
                    if (++lengthBytes == 2 && messageLength == 0) {
                        lengthBytes = 0;
                    }
                    continue;
                }
                int want = messageLength - partial.length();
                if (partial.length() == 0 && end - at >= want) {
                    message(direction, bytes, at, want, ts);
                    at += want;
                } else {
                    int n = (int) Math.min(want, end - at);
                    partial.append(bytes, at, n);
                    at += n;
                    if (partial.length() < messageLength) {
                        continue;
                    }
                    message(direction, partial.segment(), 0, messageLength, ts);
                    partial.clear();
                }
                lengthBytes = 0;
                messageLength = 0;
            }
        }
    }
}
