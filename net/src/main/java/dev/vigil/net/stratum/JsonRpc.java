package dev.vigil.net.stratum;

import dev.vigil.net.app.Bytes;
import java.lang.foreign.MemorySegment;

/**
 * Reads the members of one JSON-RPC message (RFC 8259 text, one object per line) that Stratum needs:
 * {@code id}, {@code method}, the first two string elements of an array {@code params} or the
 * {@code login}/{@code pass}/{@code agent} members of an object {@code params}, whether {@code result}
 * is present and not {@code false}/{@code null}, and the message of {@code error}. Everything else is
 * stepped over without building strings.
 *
 * <p>Limits: nesting {@value #MAX_DEPTH} deep, strings kept up to {@value #MAX_TEXT} characters.
 * Malformed text makes {@link #parse} return false.
 */
final class JsonRpc {

    static final int MAX_DEPTH = 16;
    static final int MAX_TEXT = 512;

    String id;
    String method;
    String param0;
    String param1;
    String login;
    String pass;
    String agent;
    boolean hasResult;
    boolean resultTruthy;
    boolean hasError;
    String error;

    private MemorySegment in;
    private long at;
    private long end;

    /** Parses the object in {@code [from, to)}; false when it is not one well-formed JSON object. */
    boolean parse(MemorySegment segment, long from, long to) {
        in = segment;
        at = from;
        end = to;
        id = method = param0 = param1 = login = pass = agent = error = null;
        hasResult = resultTruthy = hasError = false;
        space();
        if (!consume('{')) {
            return false;
        }
        space();
        if (consume('}')) {
            return trailing();
        }
        while (true) {
            space();
            long keyAt = at;
            if (!skipString()) {
                return false;
            }
            long keyEnd = at - 1;
            space();
            if (!consume(':')) {
                return false;
            }
            space();
            if (!member(keyAt + 1, (int) (keyEnd - keyAt - 1))) {
                return false;
            }
            space();
            if (consume(',')) {
                continue;
            }
            return consume('}') && trailing();
        }
    }

    private boolean trailing() {
        space();
        return at == end;
    }

    private boolean member(long keyAt, int keyLength) {
        if (Bytes.equalsAscii(in, keyAt, keyLength, "id")) {
            long start = at;
            if (!skipValue(0)) {
                return false;
            }
            id = Bytes.latin1(in, start, (int) (at - start), MAX_TEXT);
            return true;
        }
        if (Bytes.equalsAscii(in, keyAt, keyLength, "method")) {
            method = peek() == '"' ? string() : null;
            return method != null || skipValue(0);
        }
        if (Bytes.equalsAscii(in, keyAt, keyLength, "params")) {
            return params();
        }
        if (Bytes.equalsAscii(in, keyAt, keyLength, "result")) {
            hasResult = true;
            int c = peek();
            resultTruthy = c != 'n' && c != 'f';
            return skipValue(0);
        }
        if (Bytes.equalsAscii(in, keyAt, keyLength, "error")) {
            return error();
        }
        return skipValue(0);
    }

    private boolean params() {
        int c = peek();
        if (c == '[') {
            at++;
            int index = 0;
            space();
            if (consume(']')) {
                return true;
            }
            while (true) {
                space();
                if (index < 2 && peek() == '"') {
                    String s = string();
                    if (s == null) {
                        return false;
                    }
                    if (index == 0) {
                        param0 = s;
                    } else {
                        param1 = s;
                    }
                } else if (!skipValue(1)) {
                    return false;
                }
                index++;
                space();
                if (consume(',')) {
                    continue;
                }
                return consume(']');
            }
        }
        if (c == '{') {
            at++;
            space();
            if (consume('}')) {
                return true;
            }
            while (true) {
                space();
                long keyAt = at;
                if (!skipString()) {
                    return false;
                }
                int keyLength = (int) (at - keyAt - 2);
                space();
                if (!consume(':')) {
                    return false;
                }
                space();
                String value = null;
                if (peek() == '"') {
                    value = string();
                    if (value == null) {
                        return false;
                    }
                } else if (!skipValue(1)) {
                    return false;
                }
                if (Bytes.equalsAscii(in, keyAt + 1, keyLength, "login")) {
                    login = value;
                } else if (Bytes.equalsAscii(in, keyAt + 1, keyLength, "pass")) {
                    pass = value;
                } else if (Bytes.equalsAscii(in, keyAt + 1, keyLength, "agent")) {
                    agent = value;
                }
                space();
                if (consume(',')) {
                    continue;
                }
                return consume('}');
            }
        }
        return skipValue(0);
    }

    /** {@code null}, {@code "message"}, {@code [code, "message", …]} or {@code {"code": …, "message": "…"}}. */
    private boolean error() {
        int c = peek();
        if (c == 'n') {
            return skipValue(0);
        }
        hasError = true;
        if (c == '"') {
            error = string();
            return error != null;
        }
        if (c != '[' && c != '{') {
            return skipValue(0);
        }
        boolean object = c == '{';
        int close = object ? '}' : ']';
        at++;
        space();
        if (consume(close)) {
            return true;
        }
        while (true) {
            space();
            boolean message = !object;
            if (object) {
                long keyAt = at;
                if (!skipString()) {
                    return false;
                }
                message = Bytes.equalsAscii(in, keyAt + 1, (int) (at - keyAt - 2), "message");
                space();
                if (!consume(':')) {
                    return false;
                }
                space();
            }
            if (message && error == null && peek() == '"') {
                error = string();
                if (error == null) {
                    return false;
                }
            } else if (!skipValue(1)) {
                return false;
            }
            space();
            if (consume(',')) {
                continue;
            }
            return consume(close);
        }
    }

    private int peek() {
        return at < end ? Bytes.u8(in, at) : -1;
    }

    private boolean consume(int c) {
        if (peek() == c) {
            at++;
            return true;
        }
        return false;
    }

    private void space() {
        while (at < end) {
            int c = Bytes.u8(in, at);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            at++;
        }
    }

    /** Steps over a string at the cursor (which must be at its quote). */
    private boolean skipString() {
        if (!consume('"')) {
            return false;
        }
        while (at < end) {
            int c = Bytes.u8(in, at++);
            if (c == '\\') {
                at++;
            } else if (c == '"') {
                return at <= end;
            } else if (c < 0x20) {
                return false;
            }
        }
        return false;
    }

    /** Decodes the string at the cursor (escapes included), keeping at most {@link #MAX_TEXT} characters; null when malformed. */
    private String string() {
        if (!consume('"')) {
            return null;
        }
        StringBuilder b = new StringBuilder(32);
        long utf8Start = -1;
        while (at < end) {
            int c = Bytes.u8(in, at);
            if (c == '"') {
                at++;
                return b.length() > MAX_TEXT ? b.substring(0, MAX_TEXT) : b.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c == '\\') {
                if (at + 1 >= end) {
                    return null;
                }
                int e = Bytes.u8(in, at + 1);
                at += 2;
                switch (e) {
                    case '"', '\\', '/' -> append(b, (char) e);
                    case 'b' -> append(b, '\b');
                    case 'f' -> append(b, '\f');
                    case 'n' -> append(b, '\n');
                    case 'r' -> append(b, '\r');
                    case 't' -> append(b, '\t');
                    case 'u' -> {
                        if (at + 4 > end) {
                            return null;
                        }
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(Bytes.u8(in, at + i), 16);
                            if (d < 0) {
                                return null;
                            }
                            v = v * 16 + d;
                        }
                        at += 4;
                        append(b, (char) v);
                    }
                    default -> {
                        return null;
                    }
                }
                continue;
            }
            long runStart = at;
            while (at < end) {
                int d = Bytes.u8(in, at);
                if (d == '"' || d == '\\' || d < 0x20) {
                    break;
                }
                at++;
            }
            if (b.length() < MAX_TEXT) {
                b.append(Bytes.utf8(in, runStart, (int) (at - runStart), MAX_TEXT - b.length()));
            }
        }
        return null;
    }

    private static void append(StringBuilder b, char c) {
        if (b.length() < MAX_TEXT) {
            b.append(c);
        }
    }

    /** Steps over any JSON value at the cursor. */
    private boolean skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        int c = peek();
        switch (c) {
            case '"' -> {
                return skipString();
            }
            case '{', '[' -> {
                int close = c == '{' ? '}' : ']';
                at++;
                space();
                if (consume(close)) {
                    return true;
                }
                while (true) {
                    space();
                    if (c == '{') {
                        if (!skipString()) {
                            return false;
                        }
                        space();
                        if (!consume(':')) {
                            return false;
                        }
                        space();
                    }
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                    space();
                    if (consume(',')) {
                        continue;
                    }
                    return consume(close);
                }
            }
            default -> {
                long start = at;
                while (at < end) {
                    int d = Bytes.u8(in, at);
                    boolean literal = (d >= '0' && d <= '9') || d == '-' || d == '+' || d == '.' || d == 'e' || d == 'E'
                            || (d >= 'a' && d <= 'z');
                    if (!literal) {
                        break;
                    }
                    at++;
                }
                return at > start && literal(start, at);
            }
        }
    }

    private boolean literal(long from, long to) {
        int first = Bytes.u8(in, from);
        if (first == '-' || (first >= '0' && first <= '9')) {
            return true;
        }
        int n = (int) (to - from);
        return Bytes.equalsAscii(in, from, n, "true") || Bytes.equalsAscii(in, from, n, "false")
                || Bytes.equalsAscii(in, from, n, "null");
    }
}
