package dev.vigil.net.dns;

import dev.vigil.net.app.LogText;
import java.lang.foreign.MemorySegment;

/**
 * A cursor over one DNS message (RFC 1035 section 4.1) in a segment: the header, then questions and
 * resource records one at a time, with names decompressed into reusable buffers. Nothing is
 * allocated while reading; {@link #renderAnswer()} builds the text Zeek logs for a record and is
 * called only for answers of a response about to become a record.
 *
 * <p>Malformed input ends reading: the method returns false and {@link #anomaly} names the problem
 * ({@code dns_truncated}, {@code dns_compression_loop}, {@code dns_name_too_long},
 * {@code dns_bad_label_type}, {@code dns_bad_rdata}).
 *
 * <p>Not thread-safe; {@link #forThisThread()} gives each thread its own.
 *
 * <p>Limits: {@link #MAX_NAME_LENGTH} characters per name, {@link #MAX_POINTER_HOPS} compression
 * pointers per name (and every pointer must point strictly backward, which rules out loops).
 */
final class DnsMessage {

    static final int HEADER_LENGTH = 12;
    /** Longest name text accepted (RFC 1035 section 2.3.4 allows 255 octets on the wire). */
    static final int MAX_NAME_LENGTH = 255;
    /** Compression pointers followed while reading one name. */
    static final int MAX_POINTER_HOPS = 32;

    private static final ThreadLocal<DnsMessage> PER_THREAD = ThreadLocal.withInitial(DnsMessage::new);

    /**
     * The message, copied once from the payload: names and records are read a byte at a time, which
     * costs an array access here and a chain of checks per byte through a segment under C1.
     */
    private byte[] bytes = new byte[512];
    /** {@link #bytes} as a segment, for readers of segments and for copying into (between segments, no reflective array checks). */
    private MemorySegment seg = MemorySegment.ofArray(bytes);
    private int len;
    private int pos;

    int id;
    int flags;
    int qdcount;
    int ancount;
    int nscount;
    int arcount;

    /** The last question name or record owner read, lower-cased as Zeek logs it. */
    final byte[] name = new byte[MAX_NAME_LENGTH];
    int nameLen;
    int qtype;
    int qclass;
    int rrType;
    long ttl;
    private int rdataAt;
    private int rdLength;

    private final byte[] rdName = new byte[MAX_NAME_LENGTH];
    private int rdNameLen;
    private int lastNameLen;

    String anomaly;
    String anomalyDetail;

    /**
     * This thread's cursor. A message is read within one call of a probe or an analyzer, so one
     * cursor per thread serves every flow instead of one per flow.
     */
    static DnsMessage forThisThread() {
        return PER_THREAD.get();
    }

    /** Starts reading a message of {@code length} bytes; false when it is shorter than a header. */
    boolean header(MemorySegment segment, long offset, int length) {
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            seg = MemorySegment.ofArray(bytes);
        }
        MemorySegment.copy(segment, offset, seg, 0, Math.max(0, length));
        len = length;
        anomaly = null;
        anomalyDetail = null;
        if (length < HEADER_LENGTH) {
            return fail("dns_truncated", "message of " + length + " bytes is shorter than the 12-byte header");
        }
        id = u16(0);
        flags = u16(2);
        qdcount = u16(4);
        ancount = u16(6);
        nscount = u16(8);
        arcount = u16(10);
        pos = HEADER_LENGTH;
        return true;
    }

    boolean qr() {
        return (flags & 0x8000) != 0;
    }

    int opcode() {
        return (flags >> 11) & 0xf;
    }

    boolean aa() {
        return (flags & 0x0400) != 0;
    }

    boolean tc() {
        return (flags & 0x0200) != 0;
    }

    boolean rd() {
        return (flags & 0x0100) != 0;
    }

    boolean ra() {
        return (flags & 0x0080) != 0;
    }

    /** Zeek's {@code Z}: the three bits between RA and RCODE (including AD and CD). */
    int z() {
        return (flags >> 4) & 0x7;
    }

    int rcode() {
        return flags & 0xf;
    }

    /**
     * Whether the questions of the message read by {@link #header} look like DNS: an opcode in use,
     * 1 to {@code maxQuestions} questions that parse with a known class, and room for the records the
     * header announces in a message of {@code fullLength} bytes (the bytes read may be a prefix of it).
     * Used by protocol detection.
     */
    boolean plausible(int maxQuestions, int fullLength) {
        int op = opcode();
        if (op == 3 || op > 6 || qdcount == 0 || qdcount > maxQuestions) {
            return false;
        }
        for (int i = 0; i < qdcount; i++) {
            if (!nextQuestion()) {
                return false;
            }
            int c = qclass & 0x7fff;
            if (c != 1 && c != 3 && c != 4 && c != 254 && c != 255) {
                return false;
            }
        }
        return (long) (ancount + nscount + arcount) * 11 <= fullLength - pos;
    }

    /** Reads the next question into {@link #name}, {@link #qtype}, {@link #qclass}. */
    boolean nextQuestion() {
        int end = readName(pos, name, true);
        if (end < 0) {
            return false;
        }
        nameLen = lastNameLen;
        if (end + 4 > len) {
            return fail("dns_truncated", "question at " + pos + " ends past the message (" + len + " bytes)");
        }
        qtype = u16(end);
        qclass = u16(end + 2);
        pos = end + 4;
        return true;
    }

    /** Reads the next resource record's owner and fixed fields; its data is rendered on demand. */
    boolean nextRecord() {
        int end = readName(pos, name, true);
        if (end < 0) {
            return false;
        }
        nameLen = lastNameLen;
        if (end + 10 > len) {
            return fail("dns_truncated", "record at " + pos + " ends past the message (" + len + " bytes)");
        }
        rrType = u16(end);
        ttl = u32(end + 4);
        rdLength = u16(end + 8);
        rdataAt = end + 10;
        if (rdataAt + rdLength > len) {
            return fail("dns_truncated", "record data of " + rdLength + " bytes at " + rdataAt
                    + " ends past the message (" + len + " bytes)");
        }
        pos = rdataAt + rdLength;
        return true;
    }

    /**
     * The current record's data as Zeek's {@code answers} shows it; {@code ""} when Zeek counts the
     * answer without text (WKS), null when Zeek does not log the type (OPT, TSIG, HINFO …) or the data
     * is malformed ({@link #anomaly} then says why).
     */
    String renderAnswer() {
        int at = rdataAt;
        int n = rdLength;
        return switch (rrType) {
            case 1 -> n == 4 ? AddressText.ipv4(seg, at) : bad("A record of " + n + " bytes");
            case 28 -> n == 16 ? AddressText.ipv6(seg, at) : bad("AAAA record of " + n + " bytes");
            case 2, 5, 12 -> rdName(at, at + n);
            case 6 -> rdName(at, at + n - 20);
            case 15 -> n >= 3 ? rdName(at + 2, at + n) : bad("MX record of " + n + " bytes");
            case 33 -> n >= 7 ? rdName(at + 6, at + n) : bad("SRV record of " + n + " bytes");
            case 11 -> "";
            case 16 -> strings("TXT", at, n);
            case 99 -> strings("SPF", at, n);
            case 35 -> naptr(at, n);
            case 43 -> n >= 4 ? "DS " + u8(at + 2) + " " + u8(at + 3) : bad("DS record of " + n + " bytes");
            case 44 -> n >= 2 ? "SSHFP: " + hex(at + 2, n - 2) : bad("SSHFP record of " + n + " bytes");
            case 29 -> n >= 4 ? "LOC:  " + u8(at + 1) + " " + u8(at + 2) + " " + u8(at + 3)
                    : bad("LOC record of " + n + " bytes");
            case 46 -> rrsig(at, n);
            case 47 -> nsec(at, n);
            case 48 -> n >= 4 ? "DNSKEY " + u8(at + 3) : bad("DNSKEY record of " + n + " bytes");
            case 50 -> "NSEC3";
            case 51 -> "NSEC3PARAM";
            case 65534 -> "BIND9 signing signal";
            case 257 -> caa(at, n);
            case 64 -> svcb("SVCB", at, n);
            case 65 -> svcb("HTTPS", at, n);
            case 13, 32, 41, 250 -> null;
            default -> "<unknown type=" + rrType + ">";
        };
    }

    /** The owner name of the current record or question as text. */
    String nameText() {
        return LogText.of(name, 0, nameLen);
    }

    private String rdName(int at, int limit) {
        int end = readName(at, rdName, true);
        if (end < 0) {
            return null;
        }
        rdNameLen = lastNameLen;
        if (end > limit) {
            return bad("name in " + DnsNames.type(rrType) + " data ends at " + end + ", record data at " + limit);
        }
        return LogText.of(rdName, 0, rdNameLen);
    }

    private String strings(String kind, int at, int n) {
        StringBuilder out = new StringBuilder(n + 8);
        int end = at + n;
        while (at < end) {
            int sl = u8(at);
            if (at + 1 + sl > end) {
                return bad(kind + " string of " + sl + " bytes overruns its record");
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(kind).append(' ').append(sl).append(' ').append(text(at + 1, sl));
            at += 1 + sl;
        }
        return out.toString();
    }

    private String naptr(int at, int n) {
        int end = at + n;
        if (n < 7) {
            return bad("NAPTR record of " + n + " bytes");
        }
        int order = u16(at);
        int preference = u16(at + 2);
        int p = at + 4;
        String[] parts = new String[3];
        for (int i = 0; i < 3; i++) {
            if (p >= end || p + 1 + u8(p) > end) {
                return bad("NAPTR string overruns its record");
            }
            parts[i] = text(p + 1, u8(p));
            p += 1 + u8(p);
        }
        String replacement = rdName(p, end);
        if (replacement == null) {
            return null;
        }
        String tail = parts[2];
        if (!replacement.isEmpty()) {
            tail = tail.isEmpty() ? replacement : tail + " " + replacement;
        }
        return "NAPTR " + order + " " + preference + " " + parts[0] + " " + parts[1] + " " + tail;
    }

    private String rrsig(int at, int n) {
        if (n < 19) {
            return bad("RRSIG record of " + n + " bytes");
        }
        String signer = rdName(at + 18, at + n);
        if (signer == null) {
            return null;
        }
        return "RRSIG " + u16(at) + " " + (signer.isEmpty() ? "<Root>" : signer);
    }

    private String nsec(int at, int n) {
        String next = rdName(at, at + n);
        return next == null ? null : "NSEC " + nameText() + " " + next;
    }

    private String caa(int at, int n) {
        if (n < 2 || 2 + u8(at + 1) > n) {
            return bad("CAA record of " + n + " bytes");
        }
        int tagLen = u8(at + 1);
        return "CAA " + u8(at) + " " + text(at + 2, tagLen) + " " + text(at + 2 + tagLen, n - 2 - tagLen);
    }

    private String svcb(String kind, int at, int n) {
        if (n < 3) {
            return bad(kind + " record of " + n + " bytes");
        }
        int priority = u16(at);
        int end = at + n;
        int p = readName(at + 2, rdName, true);
        if (p < 0) {
            return null;
        }
        if (p > end) {
            return bad(kind + " target name overruns its record");
        }
        StringBuilder out = new StringBuilder(64).append(kind).append(' ').append(priority).append(' ');
        out.append(lastNameLen == 0 ? "." : LogText.of(rdName, 0, lastNameLen));
        while (p < end) {
            if (p + 4 > end || p + 4 + u16(p + 2) > end) {
                return bad(kind + " parameter overruns its record");
            }
            int key = u16(p);
            int vl = u16(p + 2);
            int v = p + 4;
            out.append(' ');
            switch (key) {
                case 0 -> {
                    out.append("mandatory=");
                    for (int i = 0; i + 1 < vl; i += 2) {
                        out.append(i > 0 ? "," : "").append(svcKey(u16(v + i)));
                    }
                }
                case 1 -> {
                    out.append("alpn=");
                    for (int i = 0; i < vl;) {
                        int l = u8(v + i);
                        if (i + 1 + l > vl) {
                            return bad(kind + " alpn value overruns its parameter");
                        }
                        out.append(i > 0 ? "," : "").append(text(v + i + 1, l));
                        i += 1 + l;
                    }
                }
                case 2 -> out.append("no-default-alpn");
                case 3 -> out.append("port=").append(vl == 2 ? u16(v) : -1);
                case 4 -> {
                    out.append("ipv4hint=");
                    for (int i = 0; i + 4 <= vl; i += 4) {
                        out.append(i > 0 ? "," : "").append(AddressText.ipv4(seg, v + i));
                    }
                }
                case 5 -> out.append("ech");
                case 6 -> {
                    out.append("ipv6hint=");
                    for (int i = 0; i + 16 <= vl; i += 16) {
                        out.append(i > 0 ? "," : "").append(AddressText.ipv6(seg, v + i));
                    }
                }
                default -> out.append(svcKey(key));
            }
            p = v + vl;
        }
        return out.toString();
    }

    private static String svcKey(int key) {
        return switch (key) {
            case 0 -> "mandatory";
            case 1 -> "alpn";
            case 2 -> "no-default-alpn";
            case 3 -> "port";
            case 4 -> "ipv4hint";
            case 5 -> "ech";
            case 6 -> "ipv6hint";
            default -> "key" + key;
        };
    }

    /**
     * Decompresses the name at {@code at} into {@code out} (dotted, without the trailing dot) and
     * returns the position after it in the message, or -1 with {@link #anomaly} set.
     */
    private int readName(int at, byte[] out, boolean lower) {
        int n = 0;
        int hops = 0;
        int resume = -1;
        int p = at;
        while (true) {
            if (p >= len) {
                return failInt("dns_truncated", "name at " + at + " runs past the message (" + len + " bytes)");
            }
            int b = u8(p);
            if (b == 0) {
                p++;
                break;
            }
            int kind = b & 0xc0;
            if (kind == 0xc0) {
                if (p + 1 >= len) {
                    return failInt("dns_truncated", "compression pointer at " + p + " cut off");
                }
                int target = ((b & 0x3f) << 8) | u8(p + 1);
                if (resume < 0) {
                    resume = p + 2;
                }
                if (target >= p) {
                    return failInt("dns_compression_loop", "pointer at " + p + " to " + target
                            + " does not point backward");
                }
                if (++hops > MAX_POINTER_HOPS) {
                    return failInt("dns_compression_loop", "max pointer hops: " + MAX_POINTER_HOPS
                            + " exceeded reading the name at " + at);
                }
                p = target;
                continue;
            }
            if (kind != 0) {
                return failInt("dns_bad_label_type", "label type 0x" + Integer.toHexString(kind) + " at " + p);
            }
            if (p + 1 + b > len) {
                return failInt("dns_truncated", "label of " + b + " bytes at " + p + " runs past the message");
            }
            int add = (n > 0 ? 1 : 0) + b;
            if (n + add > MAX_NAME_LENGTH) {
                return failInt("dns_name_too_long", "max name length: " + MAX_NAME_LENGTH
                        + " exceeded by the name at " + at);
            }
            if (n > 0) {
                out[n++] = '.';
            }
            for (int i = 1; i <= b; i++) {
                int c = u8(p + i);
                out[n++] = (byte) (lower ? dev.vigil.net.app.Ascii.lower(c) : c);
            }
            p += 1 + b;
        }
        lastNameLen = n;
        return resume >= 0 ? resume : p;
    }

    private String text(int at, int n) {
        return LogText.of(bytes, at, n);
    }

    private String hex(int at, int n) {
        StringBuilder out = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            int b = u8(at + i);
            out.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }

    private String bad(String detail) {
        anomaly = "dns_bad_rdata";
        anomalyDetail = detail;
        return null;
    }

    private boolean fail(String name, String detail) {
        anomaly = name;
        anomalyDetail = detail;
        return false;
    }

    private int failInt(String name, String detail) {
        fail(name, detail);
        return -1;
    }

    private int u8(int at) {
        return bytes[at] & 0xff;
    }

    private int u16(int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }

    private long u32(int at) {
        return ((bytes[at] & 0xffL) << 24) | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
    }
}
