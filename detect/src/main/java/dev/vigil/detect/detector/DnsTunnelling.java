package dev.vigil.detect.detector;

import dev.vigil.detect.baseline.Fnv;

/**
 * Finds DNS tunnels — data carried in query names to an attacker's name server, as iodine, dnscat2
 * or DNSExfiltrator do — from the queries each pod sends, per registered domain ({@code evil.example}
 * in {@code 4a6f….evil.example}):
 * <ul>
 *   <li>{@link Finding#HIGH_ENTROPY}: several different queries whose subdomain part is long and looks random
 *       (Shannon entropy of its characters, dots left out) — encoded data rather than names people
 *       chose;</li>
 *   <li>{@link Finding#UNIQUE_SUBDOMAINS}: many different subdomains of one domain in a short time —
 *       every chunk of a transfer is a new name;</li>
 *   <li>{@link Finding#TXT_BURST}: a burst of TXT or NULL queries — the record types that carry data
 *       back.</li>
 * </ul>
 * Thresholds are in {@link DnsTunnelConfig}. Counting runs in fixed windows per (pod, domain) that
 * start at the pair's first query; each finding is reported once per window.
 *
 * <p>The registered domain is the last two labels, or three under a two-letter country code whose
 * second level is a generic one ({@code co.uk}, {@code com.au}, {@code ne.jp}) — an approximation of
 * the public-suffix list that is right for the names that matter here. At most
 * {@link #MAX_NAME_CHARS} characters of a name are read.
 *
 * <p>Checking a query of a tracked pair allocates nothing: pairs are keyed by a 64-bit hash of pod
 * and domain, kept in an open-addressing table with an intrusive LRU list, and reused when evicted.
 * Not thread-safe.
 */
public final class DnsTunnelling {

    /** Characters of a query name that are read (the longest valid DNS name). */
    public static final int MAX_NAME_CHARS = 253;

    private static final int QTYPE_NULL = 10;
    private static final int QTYPE_TXT = 16;
    private static final String[] GENERIC_SECOND_LEVELS = {"co", "com", "net", "org", "gov", "edu", "ac", "or", "ne",
            "go", "mil", "ltd", "plc"};
    private static final double LOG2 = Math.log(2);

    /** What a query completed. */
    public enum Finding {
        NONE,
        HIGH_ENTROPY,
        UNIQUE_SUBDOMAINS,
        TXT_BURST
    }

    private static final class Track {
        long key;
        String domain;
        long windowStart;
        int suspicious;
        int txt;
        long[] uniques;
        int uniqueCount;
        boolean reportedEntropy;
        boolean reportedUnique;
        boolean reportedTxt;
        Track prev;
        Track next;
    }

    private final DnsTunnelConfig config;
    private final long windowNanos;
    private final long[] keys;
    private final Track[] values;
    private final int mask;
    private int size;
    private Track lruHead;
    private Track lruTail;
    private long evictions;

    private final int[] counts = new int[128];
    private int domainStart;
    private int nameEnd;
    private Track last;
    private double lastEntropy;

    public DnsTunnelling(DnsTunnelConfig config) {
        this.config = config;
        this.windowNanos = config.window().toNanos();
        int capacity = Integer.highestOneBit(Math.max(4, config.maxTracked()) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new Track[capacity];
        mask = capacity - 1;
    }

    /**
     * One query a pod sent.
     *
     * @param podNamespace the pod's namespace, with {@code pod} its identity
     * @param qtype        the query type (16 TXT, 10 NULL …), or -1 when unknown
     */
    public Finding query(String podNamespace, String pod, CharSequence name, int qtype, long nowNanos) {
        if (name == null || !split(name)) {
            return Finding.NONE;
        }
        long key = Fnv.add(Fnv.add(Fnv.add(Fnv.START, podNamespace), '/'), pod);
        key = Fnv.addLower(Fnv.add(key, '\u001f'), name, domainStart, nameEnd);
        Track t = find(key);
        if (t == null) {
            t = insert(key, name);
        } else {
            touch(t);
        }
        last = t;
        if (nowNanos - t.windowStart >= windowNanos || nowNanos < t.windowStart) {
            reset(t, nowNanos);
        }
        Finding f = Finding.NONE;
        if (qtype == QTYPE_TXT || qtype == QTYPE_NULL) {
            if (++t.txt >= config.txtQueries() && !t.reportedTxt) {
                t.reportedTxt = true;
                f = Finding.TXT_BURST;
            }
        }
        int subEnd = domainStart - 1;
        if (subEnd <= 0) {
            return f;
        }
        long sub = Fnv.addLower(Fnv.START, name, 0, subEnd);
        boolean fresh = true;
        for (int i = 0; i < t.uniqueCount; i++) {
            if (t.uniques[i] == sub) {
                fresh = false;
                break;
            }
        }
        if (fresh && t.uniqueCount < config.uniqueSubdomains()) {
            t.uniques[t.uniqueCount++] = sub;
            if (t.uniqueCount == config.uniqueSubdomains() && !t.reportedUnique && f == Finding.NONE) {
                t.reportedUnique = true;
                f = Finding.UNIQUE_SUBDOMAINS;
            }
        }
        lastEntropy = entropy(name, 0, subEnd);
        if (fresh && subEnd - dots(name, 0, subEnd) >= config.minSubdomainChars()
                && lastEntropy >= config.minEntropyBits()) {
            if (++t.suspicious >= config.suspiciousQueries() && !t.reportedEntropy && f == Finding.NONE) {
                t.reportedEntropy = true;
                f = Finding.HIGH_ENTROPY;
            }
        }
        return f;
    }

    /** The registered domain of the last query, lower case. */
    public String lastDomain() {
        return last == null ? null : last.domain;
    }

    /** The entropy (bits per character) of the last query's subdomain part. */
    public double lastEntropy() {
        return lastEntropy;
    }

    /** Counts of the last query's (pod, domain) window: suspicious queries, unique subdomains, TXT/NULL queries. */
    public int[] lastCounts() {
        return last == null ? new int[3] : new int[] {last.suspicious, last.uniqueCount, last.txt};
    }

    /** (pod, domain) pairs tracked now. */
    public int tracked() {
        return size;
    }

    /** Pairs dropped to make room. */
    public long evictions() {
        return evictions;
    }

    /** Shannon entropy in bits per character of {@code s[from, to)} without dots (ASCII; others share a bucket). */
    static double entropy(CharSequence s, int from, int to, int[] counts) {
        java.util.Arrays.fill(counts, 0);
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                continue;
            }
            c = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            counts[c < 128 ? c : 0]++;
            n++;
        }
        if (n == 0) {
            return 0;
        }
        double h = 0;
        for (int k : counts) {
            if (k > 0) {
                double p = (double) k / n;
                h -= p * Math.log(p);
            }
        }
        return h / LOG2;
    }

    private double entropy(CharSequence s, int from, int to) {
        return entropy(s, from, to, counts);
    }

    private static int dots(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += s.charAt(i) == '.' ? 1 : 0;
        }
        return n;
    }

    /** Finds the registered domain of {@code name}; false for names not tracked (ignored, too short). */
    private boolean split(CharSequence name) {
        int end = Math.min(name.length(), MAX_NAME_CHARS);
        if (end > 0 && name.charAt(end - 1) == '.') {
            end--;
        }
        nameEnd = end;
        int lastDot = lastDot(name, end);
        if (lastDot <= 0) {
            return false;
        }
        int secondDot = lastDot(name, lastDot);
        domainStart = secondDot + 1;
        if (secondDot > 0 && end - lastDot - 1 == 2 && isGenericSecondLevel(name, secondDot + 1, lastDot)) {
            domainStart = lastDot(name, secondDot) + 1;
        }
        for (String suffix : config.ignoredSuffixes()) {
            if (endsWithLabels(name, end, suffix)) {
                return false;
            }
        }
        return true;
    }

    private static int lastDot(CharSequence s, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (s.charAt(i) == '.') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isGenericSecondLevel(CharSequence s, int from, int to) {
        for (String g : GENERIC_SECOND_LEVELS) {
            if (regionMatchesLower(s, from, to, g)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithLabels(CharSequence s, int end, String suffix) {
        int start = end - suffix.length();
        if (start < 0 || start > 0 && s.charAt(start - 1) != '.') {
            return false;
        }
        return regionMatchesLower(s, start, end, suffix);
    }

    private static boolean regionMatchesLower(CharSequence s, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = s.charAt(from + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void reset(Track t, long now) {
        t.windowStart = now;
        t.suspicious = 0;
        t.txt = 0;
        t.uniqueCount = 0;
        t.reportedEntropy = false;
        t.reportedUnique = false;
        t.reportedTxt = false;
    }

    private Track find(long key) {
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return null;
    }

    private Track insert(long key, CharSequence name) {
        Track t;
        if (size >= config.maxTracked()) {
            t = lruHead;
            unlink(t);
            remove(t.key);
            evictions++;
        } else {
            t = new Track();
            t.uniques = new long[config.uniqueSubdomains()];
        }
        t.key = key;
        t.domain = name.subSequence(domainStart, nameEnd).toString().toLowerCase(java.util.Locale.ROOT);
        t.windowStart = Long.MIN_VALUE / 2;
        int i = slot(key);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = t;
        size++;
        append(t);
        return t;
    }

    /** Removes a key with backward-shift deletion, so probe chains stay intact without tombstones. */
    private void remove(long key) {
        int i = slot(key);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                return;
            }
            int home = slot(keys[j]);
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h ^ h >>> 32) & mask;
    }

    private void touch(Track t) {
        if (t != lruTail) {
            unlink(t);
            append(t);
        }
    }

    private void append(Track t) {
        t.prev = lruTail;
        t.next = null;
        if (lruTail != null) {
            lruTail.next = t;
        } else {
            lruHead = t;
        }
        lruTail = t;
    }

    private void unlink(Track t) {
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            lruHead = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        } else {
            lruTail = t.prev;
        }
        t.prev = null;
        t.next = null;
    }
}
