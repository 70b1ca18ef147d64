package dev.vigil.host.proc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tolerant parsers for {@code /proc/<pid>} files. Every parser accepts any bytes — truncated,
 * garbled, empty — and answers null or an "unknown" value (-1) instead of throwing, because a process
 * can change or vanish while its files are read. Limits: {@link #MAX_ARGS} arguments of at most
 * {@link #MAX_ARG_BYTES} bytes each are kept from a command line.
 */
public final class ProcParsers {

    /** Most command-line arguments kept. */
    public static final int MAX_ARGS = 256;
    /** Longest argument kept; longer ones are cut. */
    public static final int MAX_ARG_BYTES = 4096;

    private ProcParsers() {
    }

    /**
     * The fields of {@code /proc/<pid>/stat} that events report.
     *
     * @param comm       the name between the parentheses
     * @param ppid       parent pid
     * @param session    session id
     * @param tty        controlling terminal device number (0 none)
     * @param startTicks start time in clock ticks after boot
     */
    public record Stat(String comm, int ppid, int session, int tty, long startTicks) {
    }

    /**
     * The fields of {@code /proc/<pid>/status} that events report; -1 when a line was missing.
     *
     * @param uid    effective user id
     * @param gid    effective group id
     * @param capEff effective capabilities
     * @param ppid   parent pid
     */
    public record Status(int uid, int gid, long capEff, int ppid) {
    }

    /** Parses {@code /proc/<pid>/stat}; null when it is not well-formed up to the start time. */
    public static Stat stat(byte[] b, int len) {
        int n = Math.min(len, b.length);
        int open = -1;
        for (int i = 0; i < n; i++) {
            if (b[i] == '(') {
                open = i;
                break;
            }
        }
        int close = -1;
        for (int i = n - 1; i > open; i--) {
            if (b[i] == ')') {
                close = i;
                break;
            }
        }
        if (open < 0 || close < 0) {
            return null;
        }
        String comm = new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8);
        // After ") ": field 3 is state, 4 ppid, 5 pgrp, 6 session, 7 tty_nr, …, 22 starttime.
        long[] fields = new long[23];
        int field = 3;
        int i = close + 1;
        while (i < n && field <= 22) {
            while (i < n && b[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < n && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
            if (i == start) {
                break;
            }
            if (field != 3) {
                long v = number(b, start, i);
                if (v == Long.MIN_VALUE) {
                    return null;
                }
                fields[field] = v;
            }
            field++;
        }
        if (field <= 22) {
            return null;
        }
        return new Stat(comm, (int) fields[4], (int) fields[6], (int) fields[7], fields[22]);
    }

    /** Parses {@code /proc/<pid>/status}; missing or garbled lines give -1 for their field. */
    public static Status status(byte[] b, int len) {
        int n = Math.min(len, b.length);
        int uid = -1;
        int gid = -1;
        int ppid = -1;
        long cap = -1;
        int line = 0;
        while (line < n) {
            int end = line;
            while (end < n && b[end] != '\n') {
                end++;
            }
            if (startsWith(b, line, end, "Uid:")) {
                uid = (int) nthNumber(b, line + 4, end, 1);
            } else if (startsWith(b, line, end, "Gid:")) {
                gid = (int) nthNumber(b, line + 4, end, 1);
            } else if (startsWith(b, line, end, "PPid:")) {
                ppid = (int) nthNumber(b, line + 5, end, 0);
            } else if (startsWith(b, line, end, "CapEff:")) {
                cap = hex(b, line + 7, end);
            }
            line = end + 1;
        }
        return new Status(uid, gid, cap, ppid);
    }

    /** Splits {@code /proc/<pid>/cmdline} at NUL bytes; empty list for an empty file (kernel threads, zombies). */
    public static List<String> cmdline(byte[] b, int len) {
        int n = Math.min(len, b.length);
        List<String> args = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i < n && args.size() < MAX_ARGS; i++) {
            if (b[i] == 0) {
                args.add(new String(b, start, Math.min(i - start, MAX_ARG_BYTES), StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < n && args.size() < MAX_ARGS) {
            args.add(new String(b, start, Math.min(n - start, MAX_ARG_BYTES), StandardCharsets.UTF_8));
        }
        return args;
    }

    /** The number between the last {@code [} and {@code ]} ({@code socket:[123]}, {@code mnt:[4026…]}), 0 if none. */
    public static long bracketedNumber(byte[] b, int len) {
        int n = Math.min(len, b.length);
        int open = -1;
        for (int i = 0; i < n; i++) {
            if (b[i] == '[') {
                open = i;
            }
        }
        if (open < 0 || n < open + 3 || b[n - 1] != ']') {
            return 0;
        }
        long v = number(b, open + 1, n - 1);
        return v == Long.MIN_VALUE ? 0 : v;
    }

    /** True when {@code b[0..len)} starts with {@code prefix}. */
    public static boolean startsWith(byte[] b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A decimal number, optionally negative; Long.MIN_VALUE when not a number or too long. */
    static long number(byte[] b, int from, int to) {
        if (from >= to || to - from > 19) {
            return Long.MIN_VALUE;
        }
        boolean neg = b[from] == '-';
        int i = neg ? from + 1 : from;
        if (i >= to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    private static long nthNumber(byte[] b, int from, int to, int nth) {
        int i = from;
        for (int k = 0; ; k++) {
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            int start = i;
            while (i < to && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            if (start == i) {
                return -1;
            }
            if (k == nth) {
                long v = number(b, start, i);
                return v == Long.MIN_VALUE || v > Integer.MAX_VALUE ? -1 : v;
            }
        }
    }

    private static long hex(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (i == to || to - i > 16) {
            return -1;
        }
        long v = 0;
        for (; i < to; i++) {
            int c = b[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
