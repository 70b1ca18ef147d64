package dev.vigil.net.redis;

import dev.vigil.model.net.RedisRecord;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Follows RESP2 and RESP3 (Redis "protocol specification") and emits one {@code redis} record per
 * command, paired with its reply in order, pipelining included.
 *
 * <p>Client side: multi-bulk commands ({@code *N}, then N bulk strings) or inline commands (one line,
 * words split on blanks with simple quoting); only the first three arguments are kept (name, key,
 * value), the rest are skipped unread. Server side: replies of any RESP type, nested aggregates
 * tracked with a counter stack; RESP3 attributes ({@code |}) precede a reply and push messages
 * ({@code >}) are out of band, as are RESP2 replies after SUBSCRIBE until RESET or QUIT (Zeek's
 * "subscribed mode"). {@code CLIENT REPLY OFF|ON|SKIP} is honoured when pairing.
 *
 * <p>Limits: lines of at most {@value #MAX_LINE} bytes, {@value #MAX_ARGUMENTS} arguments per command,
 * bulk strings of at most {@value #MAX_BULK} bytes, aggregates nested {@value #MAX_DEPTH} deep,
 * {@value #MAX_PENDING} commands awaiting replies (the oldest is logged unanswered beyond that),
 * {@value #MAX_VALUE} bytes kept per logged string and {@value #MAX_REPLY} characters of a rendered
 * reply. Violations are anomalies ({@code redis_*}) and stop the direction.
 */
final class RedisAnalyzer extends DecoderPair {

    static final int MAX_LINE = 65536;
    static final int MAX_ARGUMENTS = 1024 * 1024;
    static final long MAX_BULK = 512L * 1024 * 1024;
    static final int MAX_DEPTH = 32;
    static final int MAX_PENDING = 1024;
    static final int MAX_VALUE = 1024;
    static final int MAX_REPLY = 1024;

    private static final int KEPT_ARGUMENTS = 3;

    private final Client client = new Client();
    private final Server server = new Server();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean subscribed;
    private boolean resp3;
    private boolean repliesOff;
    private boolean skipNext;

    /** A command awaiting its reply. */
    private record Pending(double ts, String name, String key, String value) {
    }

    RedisAnalyzer(AppContext context) {
        super(context, "redis", true);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? client : server;
    }

    @Override
    protected boolean pairedInOrder() {
        return true;
    }

    @Override
    public void end(long tsMicros) {
        while (!pending.isEmpty()) {
            emit(pending.poll(), null, null);
        }
    }

    private void emit(Pending p, Boolean success, String reply) {
        context.emit(new RedisRecord(p.ts, context.uid(), context.id(), p.name, p.key, p.value, success, reply));
    }

    /** A whole command: its first three arguments (null when absent) and how many there were. */
    private void command(String name, String arg1, String arg2, long count) {
        confirm();
        String lower = name.toLowerCase(Locale.ROOT);
        String key = null;
        String value = null;
        if (count >= 2 && RedisCommands.hasKey(lower)) {
            key = arg1;
        }
        if (count >= 3 && RedisCommands.hasValue(lower)) {
            value = arg2;
        }
        if (count >= 3 && lower.equals("bitop")) {
            key = arg2;
        }
        Pending p = new Pending(now(), name, key, value);
        boolean reply = expectsReply(lower, arg1, arg2, count);
        if (lower.equals("hello") && "3".equals(arg1)) {
            resp3 = true;
        }
        if (!resp3) {
            if (lower.equals("subscribe") || lower.equals("psubscribe") || lower.equals("ssubscribe")) {
                subscribed = true;
            } else if (lower.equals("reset") || lower.equals("quit")) {
                subscribed = false;
            }
        }
        if (!reply) {
            emit(p, null, null);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            context.anomaly("redis_pending_overflow", MAX_PENDING + " commands await replies; the oldest ("
                    + pending.peek().name + ") is logged unanswered");
            emit(pending.poll(), null, null);
        }
        pending.add(p);
    }

    private boolean expectsReply(String lower, String arg1, String arg2, long count) {
        if (RedisCommands.outOfBand(lower) || (subscribed && !resp3)) {
            return false;
        }
        if (lower.equals("client") && count == 3 && arg1 != null && arg2 != null && arg1.equalsIgnoreCase("reply")) {
            String mode = arg2.toLowerCase(Locale.ROOT);
            switch (mode) {
                case "off" -> {
                    repliesOff = true;
                    return false;
                }
                case "on" -> {
                    repliesOff = false;
                    skipNext = false;
                    return true;
                }
                case "skip" -> {
                    skipNext = true;
                    return false;
                }
                default -> {
                }
            }
        }
        if (repliesOff) {
            return false;
        }
        if (skipNext) {
            skipNext = false;
            return false;
        }
        return true;
    }

    /** A whole top-level reply from the server. */
    private void reply(boolean error, boolean push, String text) {
        if (push || (subscribed && !resp3)) {
            return;
        }
        Pending p = pending.poll();
        if (p == null) {
            context.anomaly("redis_unexpected_reply", "a reply arrived with no command waiting");
            return;
        }
        emit(p, !error, text);
    }

    /** Finds the end of the CRLF-terminated line at {@code offset}: the index of LF, or -1 with limit checks done by the caller. */
    private static long lineEnd(MemorySegment in, long offset, int length) {
        return Bytes.indexOf(in, offset, offset + Math.min(length, MAX_LINE), '\n');
    }

    /** Parses a decimal (optionally negative) integer in {@code [from, to)}; Long.MIN_VALUE when malformed. */
    static long decimal(MemorySegment in, long from, long to) {
        if (from >= to || to - from > 20) {
            return Long.MIN_VALUE;
        }
        boolean negative = Bytes.u8(in, from) == '-';
        long v = 0;
        for (long i = negative ? from + 1 : from; i < to; i++) {
            int c = Bytes.u8(in, i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    /** The line's text end: before CR LF, or before a lone LF. */
    private static long textEnd(MemorySegment in, long offset, long lf) {
        return lf > offset && Bytes.u8(in, lf - 1) == '\r' ? lf - 1 : lf;
    }

    /** Client commands. */
    private final class Client extends StreamDecoder {
        private long arguments;
        private long index;
        private final String[] kept = new String[KEPT_ARGUMENTS];

        Client() {
            super(MAX_LINE + MAX_VALUE + 2);
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            if (arguments > 0) {
                return decodeBulk(in, offset, length);
            }
            long lf = lineEnd(in, offset, length);
            if (lf < 0) {
                return tooLong(length, "command line");
            }
            int lineLength = (int) (lf - offset + 1);
            long text = textEnd(in, offset, lf);
            if (Bytes.u8(in, offset) == '*') {
                long n = decimal(in, offset + 1, text);
                if (n < 0 || n > MAX_ARGUMENTS) {
                    return malformed("multi-bulk count " + (n == Long.MIN_VALUE ? "unreadable" : n) + " outside 0.."
                            + MAX_ARGUMENTS, length);
                }
                arguments = n;
                index = 0;
                java.util.Arrays.fill(kept, null);
                return lineLength;
            }
            inline(in, offset, text);
            return lineLength;
        }

        private int decodeBulk(MemorySegment in, long offset, int length) {
            long lf = Bytes.indexOf(in, offset, offset + Math.min(length, 32), '\n');
            if (lf < 0) {
                if (length >= 32) {
                    return malformed("bulk header without end of line", length);
                }
                return needMore(length + 1);
            }
            long text = textEnd(in, offset, lf);
            if (Bytes.u8(in, offset) != '$') {
                return malformed("argument " + index + " is not a bulk string", length);
            }
            long size = decimal(in, offset + 1, text);
            if (size < 0 || size > MAX_BULK) {
                return malformed("bulk length " + (size == Long.MIN_VALUE ? "unreadable" : size) + " outside 0.."
                        + MAX_BULK, length);
            }
            int header = (int) (lf - offset + 1);
            int capture = index < KEPT_ARGUMENTS ? (int) Math.min(size, MAX_VALUE) : 0;
            if (length < header + capture) {
                return needMore(header + capture);
            }
            String value = capture > 0 || size == 0 ? Bytes.utf8(in, offset + header, capture, MAX_VALUE) : null;
            if (index < KEPT_ARGUMENTS) {
                kept[(int) index] = value;
            }
            skip(size - capture + 2);
            index++;
            if (index == arguments) {
                arguments = 0;
                if (kept[0] != null) {
                    command(kept[0], kept[1], kept[2], index);
                }
            }
            return header + capture;
        }

        private void inline(MemorySegment in, long from, long to) {
            String line = Bytes.utf8(in, from, (int) (to - from), MAX_LINE);
            java.util.List<String> words = RedisCommands.splitInline(line, KEPT_ARGUMENTS + 1);
            if (words.isEmpty()) {
                return;
            }
            long count = RedisCommands.countInline(line);
            command(bounded(words.getFirst()), words.size() > 1 ? bounded(words.get(1)) : null,
                    words.size() > 2 ? bounded(words.get(2)) : null, count);
        }

        private int tooLong(int length, String what) {
            if (length >= MAX_LINE) {
                return malformed(what + " longer than " + MAX_LINE + " bytes", length);
            }
            return needMore(length + 1);
        }

        private int malformed(String detail, int length) {
            context.anomaly("redis_bad_command", detail + "; parsing stops");
            stop();
            return length;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("redis_framing", detail);
        }
    }

    private static String bounded(String s) {
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s;
    }

    /** Server replies: a stack of remaining element counts for nested aggregates. */
    private final class Server extends StreamDecoder {
        private final long[] remaining = new long[MAX_DEPTH];
        private final boolean[] attribute = new boolean[MAX_DEPTH];
        private int depth;
        private int attributeLevels;
        private boolean error;
        private boolean push;
        private final StringBuilder text = new StringBuilder(64);

        Server() {
            super(MAX_LINE + MAX_VALUE + 2);
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            long lf = lineEnd(in, offset, length);
            if (lf < 0) {
                if (length >= MAX_LINE) {
                    return malformed("reply line longer than " + MAX_LINE + " bytes", length);
                }
                return needMore(length + 1);
            }
            int header = (int) (lf - offset + 1);
            long textEnd = textEnd(in, offset, lf);
            int type = Bytes.u8(in, offset);
            switch (type) {
                case '+', '-', ':', '_', '#', ',', '(' -> {
                    if (depth == 0 && type == '-') {
                        error = true;
                    }
                    String value = Bytes.utf8(in, offset + 1, (int) (textEnd - offset - 1), MAX_VALUE);
                    scalar(type == '_' ? null : type == '#' ? (value.equals("t") ? "true" : "false") : value);
                    return header;
                }
                case '$', '!', '=' -> {
                    long size = decimal(in, offset + 1, textEnd);
                    if (size == -1 && type == '$') {
                        scalar(null);
                        return header;
                    }
                    if (size < 0 || size > MAX_BULK) {
                        return malformed("bulk length " + (size == Long.MIN_VALUE ? "unreadable" : size) + " outside 0.."
                                + MAX_BULK, length);
                    }
                    int capture = rendering() ? (int) Math.min(size, MAX_VALUE) : 0;
                    if (length < header + capture) {
                        return needMore(header + capture);
                    }
                    if (depth == 0 && type == '!') {
                        error = true;
                    }
                    int format = type == '=' && capture >= 4 ? 4 : 0;
                    scalar(Bytes.utf8(in, offset + header + format, capture - format, MAX_VALUE));
                    skip(size - capture + 2);
                    return header + capture;
                }
                case '*', '%', '~', '>', '|' -> {
                    long n = decimal(in, offset + 1, textEnd);
                    if (n == -1 && type == '*') {
                        scalar(null);
                        return header;
                    }
                    if (n < 0 || n > MAX_ARGUMENTS) {
                        return malformed("aggregate size " + (n == Long.MIN_VALUE ? "unreadable" : n) + " outside 0.."
                                + MAX_ARGUMENTS, length);
                    }
                    if (depth == MAX_DEPTH) {
                        return malformed("aggregates nested deeper than " + MAX_DEPTH, length);
                    }
                    if (depth == 0 && type == '>') {
                        push = true;
                    }
                    aggregate(type == '%' || type == '|' ? n * 2 : n, type == '|');
                    return header;
                }
                default -> {
                    return malformed("unknown reply type 0x" + Integer.toHexString(type), length);
                }
            }
        }

        private boolean rendering() {
            return attributeLevels == 0 && text.length() < MAX_REPLY;
        }

        private void render(String s) {
            if (rendering()) {
                if (depth > 0 && !text.isEmpty() && text.charAt(text.length() - 1) != '[') {
                    text.append(", ");
                }
                text.append(s, 0, Math.min(s.length(), Math.max(0, MAX_REPLY - text.length())));
            }
        }

        private void scalar(String value) {
            render(value == null ? "(nil)" : value);
            elementDone();
        }

        /** An aggregate of {@code elements} elements; a RESP3 attribute precedes the value it annotates. */
        private void aggregate(long elements, boolean isAttribute) {
            if (elements == 0) {
                if (!isAttribute) {
                    render("[]");
                    elementDone();
                }
                return;
            }
            if (!isAttribute) {
                render("[");
            } else {
                attributeLevels++;
            }
            attribute[depth] = isAttribute;
            remaining[depth++] = elements;
        }

        private void elementDone() {
            while (depth > 0) {
                if (--remaining[depth - 1] > 0) {
                    return;
                }
                depth--;
                if (attribute[depth]) {
                    attributeLevels--;
                    return;
                }
                if (rendering()) {
                    text.append(']');
                }
            }
            String rendered = text.length() > MAX_REPLY ? text.substring(0, MAX_REPLY) : text.toString();
            reply(error, push, rendered);
            text.setLength(0);
            error = false;
            push = false;
        }

        private int malformed(String detail, int length) {
            context.anomaly("redis_bad_reply", detail + "; parsing stops");
            stop();
            return length;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("redis_framing", detail);
        }
    }
}
