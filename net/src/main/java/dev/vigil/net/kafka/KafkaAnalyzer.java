package dev.vigil.net.kafka;

import dev.vigil.model.net.KafkaRecord;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Follows the Kafka wire protocol (size-prefixed requests and responses, Kafka "A Guide To The Kafka
 * Protocol") and emits one {@code kafka} record per request, when its response arrives (paired by
 * correlation id) or at once for Produce with {@code acks=0}, which gets none.
 *
 * <p>Requests: header v1/v2 (api key, version, correlation id, client id, tagged fields for flexible
 * versions), then the topics of Produce, Fetch and Metadata read from the start of the body, in both
 * the classic and the flexible (compact) encodings. Responses: size and correlation id; the body is
 * skipped unread. When the first bytes of the originator are not a request but the responder's are,
 * the connection was seen from the wrong side and the roles are flipped.
 *
 * <p>Limits: requests of at most {@value #MAX_REQUEST} bytes (Kafka's {@code socket.request.max.bytes}
 * default), responses of at most {@value #MAX_RESPONSE} bytes, the first {@value #MAX_CAPTURE} bytes of
 * a request read, client ids of at most {@value #MAX_TEXT} bytes kept, {@value #MAX_TOPICS} topics per
 * request, {@value #MAX_PENDING} requests awaiting responses (the oldest is logged unanswered beyond).
 */
final class KafkaAnalyzer extends DecoderPair {

    static final int MAX_REQUEST = 100 * 1024 * 1024;
    static final int MAX_RESPONSE = 1024 * 1024 * 1024;
    static final int MAX_CAPTURE = 16384;
    static final int MAX_TEXT = 1024;
    static final int MAX_TOPICS = 32;
    static final int MAX_PENDING = 1024;

    private static final Base64.Encoder TOPIC_ID = Base64.getUrlEncoder().withoutPadding();

    private Side orig = new Side(true);
    private Side resp = new Side(false);
    private final ArrayDeque<Request> pending = new ArrayDeque<>();

    /** A request awaiting its response. */
    private record Request(double ts, int apiKey, int version, int correlationId, String clientId, List<String> topics,
            Integer acks) {
    }

    KafkaAnalyzer(AppContext context) {
        super(context, "kafka", true);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? orig : resp;
    }

    @Override
    protected String sender(Direction direction) {
        return direction == Direction.ORIG ? "client" : "broker";
    }

    @Override
    public void end(long tsMicros) {
        while (!pending.isEmpty()) {
            emit(pending.poll(), null);
        }
    }

    private void emit(Request r, Long responseBytes) {
        context.emit(new KafkaRecord(r.ts, context.uid(), context.id(), KafkaApis.name(r.apiKey), r.version,
                r.correlationId, r.clientId, r.topics, r.acks, responseBytes));
    }

    private void request(Request r) {
        confirm();
        if (r.apiKey == KafkaApis.PRODUCE && r.acks != null && r.acks == 0) {
            emit(r, null);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            context.anomaly("kafka_pending_overflow", MAX_PENDING + " requests await responses; the oldest ("
                    + KafkaApis.name(pending.peek().apiKey) + ") is logged unanswered");
            emit(pending.poll(), null);
        }
        pending.add(r);
    }

    private void response(int correlationId, long size) {
        boolean known = false;
        for (Request r : pending) {
            if (r.correlationId == correlationId) {
                known = true;
                break;
            }
        }
        if (!known) {
            context.anomaly("kafka_unmatched_response", "response with correlation id " + correlationId
                    + " matches no pending request (" + pending.size() + " pending)");
            return;
        }
        for (Iterator<Request> it = pending.iterator(); it.hasNext(); ) {
            Request r = it.next();
            it.remove();
            if (r.correlationId == correlationId) {
                emit(r, size);
                return;
            }
            emit(r, null);
        }
    }

    /** The first message from the side believed to be the client is no request, but the other side's is: flip. */
    private void flip() {
        context.flipRoles();
        Side formerOrig = orig;
        orig = resp;
        resp = formerOrig;
    }

    /**
     * Reads a request header and the topics of its body from {@code [at, end)}; null when it is not a
     * plausible request header (unknown API key or version, malformed client id).
     */
    Request parseRequest(MemorySegment in, long at, long end) {
        Cursor c = new Cursor(in, at, end);
        int apiKey = c.i16();
        int version = c.i16();
        int correlationId = c.i32();
        int clientIdLength = c.i16();
        if (c.failed || !KafkaApis.known(apiKey) || version < 0 || version > KafkaApis.MAX_VERSION
                || clientIdLength < -1) {
            return null;
        }
        String clientId = clientIdLength < 0 ? null : c.text(clientIdLength);
        if (c.failed && end - at >= 10L + Math.max(clientIdLength, 0)) {
            return null;
        }
        boolean flexible = KafkaApis.flexible(apiKey, version);
        if (flexible) {
            c.taggedFields();
        }
        List<String> topics = null;
        Integer acks = null;
        switch (apiKey) {
            case KafkaApis.PRODUCE -> {
                if (version >= 3) {
                    c.string(flexible);
                }
                int mode = c.i16();
                acks = c.failed ? null : mode;
                c.i32();
                topics = produceTopics(c, version, flexible);
            }
            case KafkaApis.FETCH -> topics = fetchTopics(c, version, flexible);
            case KafkaApis.METADATA -> topics = metadataTopics(c, version, flexible);
            default -> {
            }
        }
        return new Request(now(), apiKey, version, correlationId, clientId, topics, acks);
    }

    private static List<String> produceTopics(Cursor c, int version, boolean flexible) {
        long n = c.arrayLength(flexible);
        List<String> topics = new ArrayList<>();
        for (long i = 0; i < n && !c.failed && topics.size() < MAX_TOPICS; i++) {
            topics.add(version >= 13 ? c.uuid() : c.string(flexible));
            long partitions = c.arrayLength(flexible);
            for (long p = 0; p < partitions && !c.failed; p++) {
                c.i32();
                c.skipBytes(flexible);
                if (flexible) {
                    c.taggedFields();
                }
            }
            if (flexible) {
                c.taggedFields();
            }
        }
        return withoutNulls(topics);
    }

    private static List<String> fetchTopics(Cursor c, int version, boolean flexible) {
        if (version <= 14) {
            c.i32();
        }
        c.i32();
        c.i32();
        if (version >= 3) {
            c.i32();
        }
        if (version >= 4) {
            c.i8();
        }
        if (version >= 7) {
            c.i32();
            c.i32();
        }
        long n = c.arrayLength(flexible);
        List<String> topics = new ArrayList<>();
        int partitionSize = 4 + (version >= 9 ? 4 : 0) + 8 + (version >= 12 ? 4 : 0) + (version >= 5 ? 8 : 0) + 4;
        for (long i = 0; i < n && !c.failed && topics.size() < MAX_TOPICS; i++) {
            topics.add(version >= 13 ? c.uuid() : c.string(flexible));
            long partitions = c.arrayLength(flexible);
            for (long p = 0; p < partitions && !c.failed; p++) {
                c.skip(partitionSize);
                if (flexible) {
                    c.taggedFields();
                }
            }
            if (flexible) {
                c.taggedFields();
            }
        }
        return withoutNulls(topics);
    }

    private static List<String> metadataTopics(Cursor c, int version, boolean flexible) {
        long n = c.arrayLength(flexible);
        if (n < 0) {
            return null;
        }
        List<String> topics = new ArrayList<>();
        for (long i = 0; i < n && !c.failed && topics.size() < MAX_TOPICS; i++) {
            String id = version >= 10 ? c.uuid() : null;
            String name = c.string(flexible);
            topics.add(name != null ? name : id);
            if (flexible) {
                c.taggedFields();
            }
        }
        return withoutNulls(topics);
    }

    private static List<String> withoutNulls(List<String> topics) {
        topics.removeIf(t -> t == null);
        return topics;
    }

    /** A bounds-checked reader of Kafka primitive types; reads past the end yield 0/null and set {@code failed}. */
    private static final class Cursor {
        private final MemorySegment in;
        private final long end;
        private long at;
        boolean failed;

        Cursor(MemorySegment in, long at, long end) {
            this.in = in;
            this.at = at;
            this.end = end;
        }

        private boolean has(long n) {
            if (failed || n < 0 || at + n > end) {
                failed = true;
                return false;
            }
            return true;
        }

        int i8() {
            return has(1) ? Bytes.u8(in, at++) : 0;
        }

        int i16() {
            if (!has(2)) {
                return 0;
            }
            int v = (short) Bytes.u16(in, at);
            at += 2;
            return v;
        }

        int i32() {
            if (!has(4)) {
                return 0;
            }
            int v = Bytes.i32(in, at);
            at += 4;
            return v;
        }

        void skip(long n) {
            if (has(n)) {
                at += n;
            }
        }

        /** An unsigned LEB128 varint of at most 5 bytes. */
        long uvarint() {
            long v = 0;
            for (int shift = 0; shift <= 28; shift += 7) {
                if (!has(1)) {
                    return 0;
                }
                int b = Bytes.u8(in, at++);
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            failed = true;
            return 0;
        }

        String text(int length) {
            if (!has(length)) {
                return null;
            }
            String s = Bytes.utf8(in, at, length, MAX_TEXT);
            at += length;
            return s;
        }

        /** A nullable string: INT16 length, or (flexible) UNSIGNED_VARINT length + 1. */
        String string(boolean compact) {
            long length = compact ? uvarint() - 1 : i16();
            if (failed || length < 0) {
                return null;
            }
            return text((int) Math.min(length, Integer.MAX_VALUE));
        }

        /** Array length: INT32 (-1 null), or (flexible) UNSIGNED_VARINT length + 1 (0 null). */
        long arrayLength(boolean compact) {
            return compact ? uvarint() - 1 : i32();
        }

        void skipBytes(boolean compact) {
            long length = compact ? uvarint() - 1 : i32();
            if (length > 0) {
                skip(length);
            }
        }

        void taggedFields() {
            long n = uvarint();
            for (long i = 0; i < n && !failed; i++) {
                uvarint();
                skip(uvarint());
            }
        }

        String uuid() {
            if (!has(16)) {
                return null;
            }
            String s = TOPIC_ID.encodeToString(Bytes.copy(in, at, 16));
            at += 16;
            return s;
        }
    }

    /** One direction: requests (client) or responses (broker), size-prefixed. */
    private final class Side extends StreamDecoder {
        boolean requests;
        private boolean first = true;

        Side(boolean requests) {
            super(MAX_CAPTURE + 4);
            this.requests = requests;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            if (length < 4) {
                return needMore(4);
            }
            int size = Bytes.i32(in, offset);
            int limit = requests ? MAX_REQUEST : MAX_RESPONSE;
            int minimum = requests ? 10 : 4;
            if (size < minimum || size > limit) {
                return malformed((requests ? "request" : "response") + " size " + size + " outside " + minimum + ".."
                        + limit, length);
            }
            int capture = requests || first ? Math.min(size, MAX_CAPTURE) : 4;
            if (length < 4 + capture) {
                return needMore(4 + capture);
            }
            long at = offset + 4;
            if (first) {
                first = false;
                Request r = parseRequest(in, at, at + capture);
                if (requests && r == null && !confirmed()) {
                    requests = false;
                } else if (!requests && r != null && !confirmed() && !orig.requests) {
                    requests = true;
                    flip();
                }
            }
            if (requests) {
                Request r = parseRequest(in, at, at + capture);
                if (r == null) {
                    return malformed("not a request header (api key " + (short) Bytes.u16(in, at) + ", version "
                            + (short) Bytes.u16(in, at + 2) + ")", length);
                }
                request(r);
            } else {
                response(Bytes.i32(in, at), size);
            }
            skip(size - capture);
            return 4 + capture;
        }

        private int malformed(String detail, int length) {
            context.anomaly("kafka_bad_message", detail + "; parsing stops");
            stop();
            return length;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("kafka_framing", detail);
        }
    }
}
