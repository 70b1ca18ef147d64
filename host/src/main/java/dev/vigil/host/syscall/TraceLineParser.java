package dev.vigil.host.syscall;

/**
 * Parses the text lines of an ftrace instance's {@code trace_pipe} with {@code options/record-tgid}
 * set, for syscall events:
 * <pre>
 *           comm-1234    (   1234) [001] .....   557.609258: sys_dup2(oldfd: 4, newfd: 1)
 *           comm-1234    (   1234) [001] .....   557.667777: sys_connect -> 0xffffffffffffff8d
 * </pre>
 * Explicit steps (task, tgid, cpu, flags, time, event), each checking its input; a line that does
 * not fit — truncated, garbled, an event not traced by Vigil, longer than {@link #MAX_LINE} — is
 * rejected (false) and the caller counts it. Nothing is allocated and nothing is thrown.
 */
public final class TraceLineParser {

    /** Longest line accepted. */
    public static final int MAX_LINE = 4096;

    private enum State { READ_TASK, READ_TGID, READ_CPU, READ_FLAGS, READ_TIME, READ_EVENT, READ_ARGS, READ_RET, DONE }

    /** Parses {@code line[from, to)} (without the newline) into {@code out}. */
    public boolean parse(byte[] line, int from, int to, TraceRecord out) {
        if (to - from > MAX_LINE || to <= from || to > line.length || from < 0) {
            return false;
        }
        // The comm may contain anything; the tgid column " (  1234) [" anchors the line.
        int tgidOpen = indexOf(line, from, to, (byte) '(', (byte) ' ');
        State state = State.READ_TASK;
        int p = from;
        while (state != State.DONE) {
            switch (state) {
                case READ_TASK -> {
                    if (tgidOpen < 0) {
                        return false;
                    }
                    int dash = tgidOpen - 1;
                    while (dash > from && line[dash] == ' ') {
                        dash--;
                    }
                    int digitsEnd = dash + 1;
                    while (dash > from && isDigit(line[dash])) {
                        dash--;
                    }
                    if (line[dash] != '-' || dash + 1 >= digitsEnd) {
                        return false;
                    }
                    out.tid = (int) decimal(line, dash + 1, digitsEnd);
                    int c = from;
                    while (c < dash && line[c] == ' ') {
                        c++;
                    }
                    out.commFrom = c;
                    out.commTo = dash;
                    p = tgidOpen + 1;
                    state = State.READ_TGID;
                }
                case READ_TGID -> {
                    p = skipSpaces(line, p, to);
                    int s = p;
                    while (p < to && (isDigit(line[p]) || line[p] == '-')) {
                        p++;
                    }
                    if (p >= to || line[p] != ')' || s == p) {
                        return false;
                    }
                    out.tgid = line[s] == '-' ? -1 : (int) decimal(line, s, p);
                    p++;
                    state = State.READ_CPU;
                }
                case READ_CPU -> {
                    p = skipSpaces(line, p, to);
                    if (p >= to || line[p] != '[') {
                        return false;
                    }
                    int s = ++p;
                    while (p < to && isDigit(line[p])) {
                        p++;
                    }
                    if (p >= to || line[p] != ']' || s == p) {
                        return false;
                    }
                    out.cpu = (int) decimal(line, s, p);
                    p++;
                    state = State.READ_FLAGS;
                }
                case READ_FLAGS -> {
                    p = skipSpaces(line, p, to);
                    while (p < to && line[p] != ' ') {
                        p++;
                    }
                    state = State.READ_TIME;
                }
                case READ_TIME -> {
                    p = skipSpaces(line, p, to);
                    int s = p;
                    while (p < to && isDigit(line[p])) {
                        p++;
                    }
                    if (p >= to || line[p] != '.' || s == p || p - s > 12) {
                        return false;
                    }
                    long secs = decimal(line, s, p);
                    int f = ++p;
                    while (p < to && isDigit(line[p])) {
                        p++;
                    }
                    int digits = p - f;
                    if (digits == 0 || digits > 9 || p + 1 >= to || line[p] != ':' || line[p + 1] != ' ') {
                        return false;
                    }
                    long frac = decimal(line, f, p);
                    for (int i = digits; i < 9; i++) {
                        frac *= 10;
                    }
                    out.nanos = secs * 1_000_000_000L + frac;
                    p += 2;
                    state = State.READ_EVENT;
                }
                case READ_EVENT -> {
                    int s = p;
                    while (p < to && line[p] != '(' && line[p] != ' ') {
                        p++;
                    }
                    out.syscall = match(Syscalls.NAME_BYTES, line, s, p);
                    if (out.syscall < 0 || p >= to) {
                        return false;
                    }
                    out.argCount = 0;
                    out.ret = 0;
                    if (line[p] == '(') {
                        out.exit = false;
                        p++;
                        state = State.READ_ARGS;
                    } else {
                        out.exit = true;
                        state = State.READ_RET;
                    }
                }
                case READ_ARGS -> {
                    while (true) {
                        p = skipSpaces(line, p, to);
                        if (p < to && line[p] == ')') {
                            break;
                        }
                        int s = p;
                        while (p < to && line[p] != ':') {
                            p++;
                        }
                        if (p + 1 >= to || out.argCount >= TraceRecord.MAX_ARGS) {
                            return false;
                        }
                        int name = match(Syscalls.ARG_BYTES, line, s, p);
                        p = skipSpaces(line, p + 1, to);
                        int v = p;
                        while (p < to && line[p] != ',' && line[p] != ')') {
                            p++;
                        }
                        if (p >= to) {
                            return false;
                        }
                        long value = number(line, v, p);
                        if (value == Long.MIN_VALUE) {
                            return false;
                        }
                        out.argName[out.argCount] = name;
                        out.argValue[out.argCount] = value;
                        out.argCount++;
                        if (line[p] == ',') {
                            p++;
                        }
                    }
                    state = State.DONE;
                }
                case READ_RET -> {
                    if (p + 4 > to || line[p] != ' ' || line[p + 1] != '-' || line[p + 2] != '>' || line[p + 3] != ' ') {
                        return false;
                    }
                    long v = number(line, p + 4, to);
                    if (v == Long.MIN_VALUE) {
                        return false;
                    }
                    out.ret = v;
                    state = State.DONE;
                }
                default -> throw new IllegalStateException();
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int to, byte first, byte before) {
        for (int i = from + 1; i < to; i++) {
            if (b[i] == first && b[i - 1] == before) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(byte[] b, int p, int to) {
        while (p < to && b[p] == ' ') {
            p++;
        }
        return p;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static long decimal(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to && i - from < 18; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** A decimal or 0x-hexadecimal value (64-bit, two's complement); Long.MIN_VALUE if malformed. */
    private static long number(byte[] b, int from, int to) {
        if (from >= to) {
            return Long.MIN_VALUE;
        }
        if (to - from > 2 && b[from] == '0' && b[from + 1] == 'x') {
            if (to - from - 2 > 16) {
                return Long.MIN_VALUE;
            }
            long v = 0;
            for (int i = from + 2; i < to; i++) {
                int c = b[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0) {
                    return Long.MIN_VALUE;
                }
                v = (v << 4) | d;
            }
            return v;
        }
        boolean neg = b[from] == '-';
        int s = neg ? from + 1 : from;
        if (s >= to || to - s > 18) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (int i = s; i < to; i++) {
            if (!isDigit(b[i])) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (b[i] - '0');
        }
        return neg ? -v : v;
    }

    private static int match(byte[][] names, byte[] b, int from, int to) {
        int len = to - from;
        outer:
        for (int i = 0; i < names.length; i++) {
            byte[] n = names[i];
            if (n.length != len) {
                continue;
            }
            for (int k = 0; k < len; k++) {
                if (n[k] != b[from + k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
