package dev.vigil.net.smtp;

import dev.vigil.model.net.SmtpRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Ascii;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.LineBuffer;
import dev.vigil.net.app.SegmentBuffer;
import dev.vigil.net.app.TextFields;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * SMTP analysis of one connection (RFC 5321) as Zeek's {@code smtp.log} sees it: commands and
 * replies paired in order (PIPELINING), the envelope, the message headers Zeek keeps, and one
 * {@link SmtpRecord} per mail transaction, emitted when the server answers the end of the message
 * (or at RSET, or at the end of the connection; as in Zeek, a QUIT alone is no transaction). Message bodies are scanned for their end, never
 * stored; {@code BDAT} chunks are skipped by length. An accepted {@code STARTTLS} ends SMTP: the
 * record says {@code tls}, and the rest of the connection goes back to protocol detection
 * ({@code smtp,ssl}). Client bytes sent while DATA or STARTTLS awaits its answer are held (bounded)
 * and handed on once the answer says what they are.
 *
 * <p>Anomalies: {@code smtp_line_too_long}, {@code smtp_bad_reply}, {@code smtp_too_many_pending},
 * {@code smtp_held_overflow}. A too-long command line or held-byte overflow stops the client side.
 *
 * <p>Limits: {@link #MAX_LINE_LENGTH} bytes per command, reply or header line,
 * {@link #MAX_HEADER_LENGTH} bytes per message header with its continuation lines,
 * {@link #MAX_ADDRESSES} values kept in each of {@code rcptto}, {@code to}, {@code cc} and
 * {@code path}, {@link #MAX_PENDING} commands awaiting replies, {@link #MAX_HELD_BYTES} held client
 * bytes.
 */
final class SmtpAnalyzer implements AppAnalyzer {

    /** Longest command, reply or message header line (RFC 5321 allows 1,000; real mail exceeds it). */
    static final int MAX_LINE_LENGTH = 8192;
    /** Longest message header with its folded continuation lines. */
    static final int MAX_HEADER_LENGTH = 16384;
    /** Values kept per list field (recipients, To, Cc, path). */
    static final int MAX_ADDRESSES = 100;
    /** Commands awaiting their replies. */
    static final int MAX_PENDING = 64;
    /** Client bytes held while DATA or STARTTLS awaits its reply. */
    static final int MAX_HELD_BYTES = 65536;

    private static final int MAILFROM = 0;
    private static final int DATE = 1;
    private static final int FROM = 2;
    private static final int REPLY_TO = 3;
    private static final int MSG_ID = 4;
    private static final int IN_REPLY_TO = 5;
    private static final int SUBJECT = 6;
    private static final int X_ORIGINATING_IP = 7;
    private static final int FIRST_RECEIVED = 8;
    private static final int SECOND_RECEIVED = 9;
    private static final int LAST_REPLY = 10;
    private static final int USER_AGENT = 11;
    private static final int RCPTTO = 12;
    private static final int TO = 13;
    private static final int CC = 14;
    private static final int PATH = 15;

    private static final int OTHER = 0;
    private static final int DATA = 1;
    private static final int END_OF_DATA = 2;
    private static final int STARTTLS = 3;
    private static final int RSET = 4;

    private enum Client { COMMAND, HOLD, HEADERS, BODY, BDAT, DONE }

    private final AppContext ctx;
    private final TextFields fields = new TextFields(16);
    private final TextFields helo = new TextFields(1);
    private final LineBuffer clientLines = new LineBuffer(MAX_LINE_LENGTH);
    private final LineBuffer serverLines = new LineBuffer(MAX_LINE_LENGTH);
    private final int[] pending = new int[MAX_PENDING];
    private int pendingHead;
    private int pendingCount;
    private Client client = Client.COMMAND;
    private boolean serverDone;
    private boolean active;
    private long ts;
    private int depth;
    private boolean tls;
    /** Message body end: 0 inside a line, 1 at a line start, 2 after a leading dot, 3 after ".\r". */
    private int bodyState;
    private long bdatRemaining;
    private boolean bdatLast;
    private byte[] header = new byte[256];
    private int headerLength = -1;
    private final SegmentBuffer held = new SegmentBuffer(MAX_HELD_BYTES);
    private long heldTs;
    private AppAnalyzer successor;

    SmtpAnalyzer(AppContext ctx) {
        this.ctx = ctx;
        ctx.encrypted(false);
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (successor != null) {
            successor.data(direction, bytes, offset, length, tsMicros);
        } else if (direction == Direction.ORIG) {
            clientData(bytes, offset, offset + length, tsMicros);
        } else {
            serverData(bytes, offset, offset + length, tsMicros);
        }
    }

    @Override
    public void gap(Direction direction, long length) {
        if (successor != null) {
            successor.gap(direction, length);
        } else if (direction == Direction.ORIG) {
            if (client == Client.BDAT && length <= bdatRemaining) {
                bdatRemaining -= length;
            } else if (client != Client.BODY) {
                client = Client.DONE;
            }
        } else {
            serverDone = true;
        }
    }

    @Override
    public void end(long tsMicros) {
        if (successor != null) {
            successor.end(tsMicros);
        } else if (active) {
            emit();
        }
    }

    private void clientData(MemorySegment bytes, long at, long end, long now) {
        while (at < end && successor == null) {
            switch (client) {
                case COMMAND, HEADERS -> {
                    long next = clientLines.take(bytes, at, end);
                    if (next == LineBuffer.NEED_MORE) {
                        return;
                    }
                    if (next == LineBuffer.TOO_LONG) {
                        ctx.anomaly("smtp_line_too_long", "max line length: " + MAX_LINE_LENGTH + " exceeded by the client");
                        if (client == Client.COMMAND) {
                            client = Client.DONE;
                            return;
                        }
                        client = Client.BODY;
                        bodyState = 0;
                        continue;
                    }
                    at = next;
                    if (client == Client.COMMAND) {
                        command(clientLines.bytes(), clientLines.length(), now);
                    } else {
                        headerLine(clientLines.bytes(), clientLines.length());
                    }
                }
                case BODY -> at = body(bytes, at, end);
                case BDAT -> {
                    long n = Math.min(bdatRemaining, end - at);
                    bdatRemaining -= n;
                    at += n;
                    if (bdatRemaining == 0) {
                        client = Client.COMMAND;
                        push(bdatLast ? END_OF_DATA : OTHER);
                    }
                }
                case HOLD -> {
                    hold(bytes, at, (int) (end - at), now);
                    return;
                }
                case DONE -> {
                    return;
                }
            }
        }
    }

    private void command(byte[] line, int length, long now) {
        int verb = 0;
        while (verb < length && line[verb] != ' ') {
            verb++;
        }
        if (!active && !is(line, verb, QUIT)) {
            active = true;
            ts = now;
        }
        int arg = verb;
        while (arg < length && line[arg] == ' ') {
            arg++;
        }
        if (is(line, verb, HELO) || is(line, verb, EHLO)) {
            helo.set(0, line, arg, length - arg);
            push(OTHER);
        } else if (is(line, verb, MAIL)) {
            int from = address(line, arg, length, FROM_KEY);
            if (from >= 0) {
                fields.set(MAILFROM, line, from, addressEnd - from);
            }
            push(OTHER);
        } else if (is(line, verb, RCPT)) {
            int to = address(line, arg, length, TO_KEY);
            if (to >= 0) {
                addUnique(RCPTTO, line, to, addressEnd - to);
            }
            push(OTHER);
        } else if (is(line, verb, DATA_VERB)) {
            push(DATA);
            client = Client.HOLD;
        } else if (is(line, verb, BDAT)) {
            int sizeEnd = arg;
            while (sizeEnd < length && line[sizeEnd] != ' ') {
                sizeEnd++;
            }
            long size = Ascii.parseDecimal(line, arg, sizeEnd - arg, 15);
            bdatLast = sizeEnd < length && Ascii.startsWithIgnoreCase(line, sizeEnd + 1, length - sizeEnd - 1, LAST);
            bdatRemaining = Math.max(0, size);
            if (bdatRemaining > 0) {
                client = Client.BDAT;
            } else {
                push(bdatLast ? END_OF_DATA : OTHER);
            }
        } else if (is(line, verb, STARTTLS_VERB)) {
            push(STARTTLS);
            client = Client.HOLD;
        } else if (is(line, verb, RSET_VERB)) {
            push(RSET);
        } else {
            push(OTHER);
        }
    }

    private static final byte[] LAST = Ascii.bytes("last");
    private static final byte[] HELO = Ascii.bytes("helo");
    private static final byte[] EHLO = Ascii.bytes("ehlo");
    private static final byte[] MAIL = Ascii.bytes("mail");
    private static final byte[] RCPT = Ascii.bytes("rcpt");
    private static final byte[] DATA_VERB = Ascii.bytes("data");
    private static final byte[] BDAT = Ascii.bytes("bdat");
    private static final byte[] STARTTLS_VERB = Ascii.bytes("starttls");
    private static final byte[] RSET_VERB = Ascii.bytes("rset");
    private static final byte[] QUIT = Ascii.bytes("quit");
    private static final byte[] FROM_KEY = Ascii.bytes("from:");
    private static final byte[] TO_KEY = Ascii.bytes("to:");
    /** Message headers Zeek logs, lower case, with the field each fills ({@code RECEIVED} is special). */
    private static final byte[][] HEADER_NAMES = {Ascii.bytes("date"), Ascii.bytes("from"), Ascii.bytes("reply-to"),
        Ascii.bytes("message-id"), Ascii.bytes("in-reply-to"), Ascii.bytes("subject"), Ascii.bytes("x-originating-ip"),
        Ascii.bytes("x-mailer"), Ascii.bytes("user-agent"), Ascii.bytes("x-user-agent"), Ascii.bytes("to"),
        Ascii.bytes("cc"), Ascii.bytes("received")};
    private static final int[] HEADER_FIELDS = {DATE, FROM, REPLY_TO, MSG_ID, IN_REPLY_TO, SUBJECT, X_ORIGINATING_IP,
        USER_AGENT, USER_AGENT, USER_AGENT, TO, CC, FIRST_RECEIVED};

    private static boolean is(byte[] line, int length, byte[] verb) {
        return Ascii.equalsIgnoreCase(line, 0, length, verb);
    }

    private int addressEnd;

    /**
     * The address after {@code keyword} (e.g. {@code from:}) without its angle brackets, as Zeek
     * keeps it; -1 when the argument does not start with the keyword. The end is left in {@link #addressEnd}.
     */
    private int address(byte[] line, int arg, int length, byte[] k) {
        if (!Ascii.startsWithIgnoreCase(line, arg, length - arg, k)) {
            return -1;
        }
        int p = arg + k.length;
        while (p < length && (line[p] == ' ' || line[p] == '\t')) {
            p++;
        }
        int end = p;
        while (end < length && line[end] != ' ') {
            end++;
        }
        if (end - p >= 2 && line[p] == '<') {
            int close = p + 1;
            while (close < end && line[close] != '>') {
                close++;
            }
            addressEnd = close;
            return p + 1;
        }
        addressEnd = end;
        return p;
    }

    private void push(int command) {
        if (pendingCount == MAX_PENDING) {
            ctx.anomaly("smtp_too_many_pending", "max pending commands: " + MAX_PENDING + " reached; dropping the oldest");
            pendingHead = (pendingHead + 1) % MAX_PENDING;
            pendingCount--;
        }
        pending[(pendingHead + pendingCount) % MAX_PENDING] = command;
        pendingCount++;
    }

    private void hold(MemorySegment bytes, long at, int length, long now) {
        if (!held.append(bytes, at, length)) {
            ctx.anomaly("smtp_held_overflow", "max held bytes: " + MAX_HELD_BYTES
                    + " exceeded while DATA or STARTTLS awaits its reply");
            client = Client.DONE;
            return;
        }
        heldTs = now;
    }

    /** Continues the client side in {@code next} with the bytes held while waiting. */
    private void release(Client next) {
        client = next;
        bodyState = 1;
        headerLength = -1;
        if (held.length() > 0) {
            int n = held.length();
            MemorySegment b = held.snapshot();
            held.clear();
            clientData(b, 0, n, heldTs);
        }
    }

    /** Scans message body bytes for the terminating line {@code .} and returns where scanning stopped. */
    private long body(MemorySegment bytes, long at, long end) {
        int s = bodyState;
        while (at < end) {
            byte b = bytes.get(ValueLayout.JAVA_BYTE, at++);
            s = switch (s) {
                case 1 -> b == '.' ? 2 : b == '\n' ? 1 : 0;
                case 2 -> b == '\r' ? 3 : b == '\n' ? 4 : 0;
                case 3 -> b == '\n' ? 4 : 0;
                default -> b == '\n' ? 1 : 0;
            };
            if (s == 4) {
                endOfData();
                return at;
            }
        }
        bodyState = s;
        return at;
    }

    private void endOfData() {
        flushHeader();
        client = Client.COMMAND;
        push(END_OF_DATA);
    }

    private void headerLine(byte[] line, int length) {
        if (length == 1 && line[0] == '.') {
            endOfData();
            return;
        }
        if (length == 0) {
            flushHeader();
            client = Client.BODY;
            bodyState = 1;
            return;
        }
        if ((line[0] == ' ' || line[0] == '\t') && headerLength >= 0) {
            int from = 0;
            while (from < length && (line[from] == ' ' || line[from] == '\t')) {
                from++;
            }
            appendHeader((byte) ' ', line, from, length - from);
            return;
        }
        flushHeader();
        headerLength = 0;
        appendHeader((byte) 0, line, 0, length);
    }

    private void appendHeader(byte separator, byte[] line, int from, int length) {
        int n = Math.min(length + (separator != 0 ? 1 : 0), MAX_HEADER_LENGTH - headerLength);
        if (n <= 0) {
            return;
        }
        if (header.length < headerLength + n) {
            header = Arrays.copyOf(header, Math.min(MAX_HEADER_LENGTH, Math.max(header.length * 2, headerLength + n)));
        }
        if (separator != 0) {
            header[headerLength++] = separator;
            n--;
        }
        System.arraycopy(line, from, header, headerLength, n);
        headerLength += n;
    }

    /** Keeps the header collected so far if Zeek logs it. */
    private void flushHeader() {
        int n = headerLength;
        headerLength = -1;
        if (n <= 0) {
            return;
        }
        int colon = 0;
        while (colon < n && header[colon] != ':') {
            colon++;
        }
        if (colon == n) {
            return;
        }
        int from = colon + 1;
        while (from < n && (header[from] == ' ' || header[from] == '\t')) {
            from++;
        }
        int to = n;
        while (to > from && (header[to - 1] == ' ' || header[to - 1] == '\t')) {
            to--;
        }
        int field = -1;
        for (int i = 0; i < HEADER_NAMES.length && field < 0; i++) {
            if (Ascii.equalsIgnoreCase(header, 0, colon, HEADER_NAMES[i])) {
                field = HEADER_FIELDS[i];
            }
        }
        if (field == TO || field == CC) {
            addList(field, from, to);
        } else if (field == FIRST_RECEIVED) {
            received(from, to);
        } else if (field == X_ORIGINATING_IP) {
            int a = from < to && header[from] == '[' ? from + 1 : from;
            int b = to > a && header[to - 1] == ']' ? to - 1 : to;
            fields.set(field, header, a, b - a);
        } else if (field >= 0) {
            fields.set(field, header, from, to - from);
        }
    }

    private void addList(int field, int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || header[i] == ',') {
                int a = start;
                int b = i;
                while (a < b && (header[a] == ' ' || header[a] == '\t')) {
                    a++;
                }
                while (b > a && (header[b - 1] == ' ' || header[b - 1] == '\t')) {
                    b--;
                }
                if (b > a) {
                    addUnique(field, header, a, b - a);
                }
                start = i + 1;
            }
        }
    }

    private void addUnique(int field, byte[] src, int from, int length) {
        if (fields.count(field) < MAX_ADDRESSES && !fields.contains(field, src, from, length)) {
            fields.add(field, src, from, length);
        }
    }

    /** Zeek keeps the last two Received headers and adds the first bracketed IPv4 address of each to the path. */
    private void received(int from, int to) {
        if (fields.has(FIRST_RECEIVED)) {
            fields.copy(FIRST_RECEIVED, SECOND_RECEIVED);
        }
        fields.set(FIRST_RECEIVED, header, from, to - from);
        int open = from;
        while (open < to && header[open] != '[') {
            open++;
        }
        int close = open;
        while (close < to && header[close] != ']') {
            close++;
        }
        if (close < to && ipv4(open + 1, close) && fields.count(PATH) < MAX_ADDRESSES) {
            if (fields.count(PATH) == 0) {
                startPath();
            }
            if (!fields.lastIs(PATH, header, open + 1, close - open - 1)) {
                fields.add(PATH, header, open + 1, close - open - 1);
            }
        }
    }

    private void startPath() {
        byte[] resp = ctx.id().respH().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] orig = ctx.id().origH().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        fields.add(PATH, resp, 0, resp.length);
        fields.add(PATH, orig, 0, orig.length);
    }

    private boolean ipv4(int from, int to) {
        int dots = 0;
        int value = -1;
        for (int i = from; i < to; i++) {
            byte b = header[i];
            if (b == '.') {
                if (value < 0) {
                    return false;
                }
                dots++;
                value = -1;
            } else if (b >= '0' && b <= '9') {
                value = (value < 0 ? 0 : value * 10) + (b - '0');
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return dots == 3 && value >= 0;
    }

    private void serverData(MemorySegment bytes, long at, long end, long now) {
        while (at < end && !serverDone && successor == null) {
            long next = serverLines.take(bytes, at, end);
            if (next == LineBuffer.NEED_MORE) {
                return;
            }
            if (next == LineBuffer.TOO_LONG) {
                ctx.anomaly("smtp_line_too_long", "max line length: " + MAX_LINE_LENGTH + " exceeded by the server");
                continue;
            }
            at = next;
            reply(serverLines.bytes(), serverLines.length(), bytes, at, end, now);
        }
    }

    private void reply(byte[] line, int length, MemorySegment bytes, long at, long end, long now) {
        boolean code = length >= 3 && digit(line[0]) && digit(line[1]) && digit(line[2])
                && (length == 3 || line[3] == ' ' || line[3] == '-');
        if (!code) {
            ctx.anomaly("smtp_bad_reply", "reply line does not start with a three-digit code");
            return;
        }
        if (length > 3 && line[3] == '-') {
            return;
        }
        int status = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (active) {
            fields.set(LAST_REPLY, line, 0, length);
        }
        if (pendingCount == 0) {
            return;
        }
        int command = pending[pendingHead];
        pendingHead = (pendingHead + 1) % MAX_PENDING;
        pendingCount--;
        switch (command) {
            case DATA -> {
                if (client == Client.HOLD) {
                    release(status == 354 ? Client.HEADERS : Client.COMMAND);
                }
            }
            case END_OF_DATA, RSET -> {
                if (command == END_OF_DATA || fields.has(MAILFROM)) {
                    emit();
                }
            }
            case STARTTLS -> {
                if (status == 220) {
                    tls = true;
                    leave(bytes, at, end, now);
                } else if (client == Client.HOLD) {
                    release(Client.COMMAND);
                }
            }
            default -> {
            }
        }
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** After an accepted STARTTLS: logs the transaction and hands the rest to protocol detection. */
    private void leave(MemorySegment bytes, long at, long end, long now) {
        if (active) {
            emit();
        }
        successor = ctx.switchTo(null);
        if (held.length() > 0) {
            successor.data(Direction.ORIG, held.segment(), 0, held.length(), heldTs);
            held.release();
        }
        if (at < end) {
            successor.data(Direction.RESP, bytes, at, (int) (end - at), now);
        }
    }

    private void emit() {
        if (fields.count(PATH) == 0 && fields.has(MAILFROM)) {
            startPath();
        }
        ctx.emit(new SmtpRecord(ts / 1e6, ctx.uid(), ctx.id(), ++depth, helo.text(0), fields.text(MAILFROM),
                fields.texts(RCPTTO), fields.text(DATE), fields.text(FROM), fields.texts(TO), fields.texts(CC),
                fields.text(REPLY_TO), fields.text(MSG_ID), fields.text(IN_REPLY_TO), fields.text(SUBJECT),
                fields.text(X_ORIGINATING_IP), fields.text(FIRST_RECEIVED), fields.text(SECOND_RECEIVED),
                fields.text(LAST_REPLY), fields.texts(PATH), fields.text(USER_AGENT), tls));
        fields.clear();
        active = false;
    }
}
