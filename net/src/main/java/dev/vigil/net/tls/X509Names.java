package dev.vigil.net.tls;

import dev.vigil.net.app.Bytes;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Reads the subject and issuer distinguished names of an X.509 certificate (RFC 5280 section
 * 4.1) with a minimal, bounded DER reader, and renders them as Zeek does: OpenSSL's RFC 2253 form
 * without escaping of non-ASCII bytes ({@code CN=*.gstatic.com,O=Google Inc,...,C=US}), last RDN first,
 * multi-valued RDNs joined by {@code +}, unknown attribute types as dotted OIDs with {@code #}hex values.
 *
 * <p>Limits: lengths up to 4 length octets and inside the certificate, {@value #MAX_ATTRIBUTES}
 * attributes per name, {@value #MAX_VALUE} bytes per attribute value, {@value #MAX_OID} bytes per
 * attribute type OID. Anything else malformed yields null names, never an exception.
 */
final class X509Names {

    static final int MAX_ATTRIBUTES = 64;
    static final int MAX_VALUE = 1024;
    static final int MAX_OID = 64;

    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int OID = 0x06;
    private static final int CONTEXT_0 = 0xa0;

    String subject;
    String issuer;

    private X509Names() {
    }

    /** Parses {@code length} bytes of certificate DER; returns null when its structure is broken. */
    static X509Names parse(MemorySegment s, long at, int length) {
        Der cert = new Der(s, at, at + length);
        if (!cert.enter(SEQUENCE)) {
            return null;
        }
        Der tbs = cert;
        if (!tbs.enter(SEQUENCE)) {
            return null;
        }
        if (tbs.peekTag() == CONTEXT_0 && !tbs.skipElement()) {
            return null;
        }
        if (!tbs.skipElement() || !tbs.skipElement()) {
            return null;
        }
        X509Names names = new X509Names();
        long issuerStart = tbs.at;
        if (!tbs.skipElement()) {
            return null;
        }
        names.issuer = renderName(s, issuerStart, tbs.at);
        if (!tbs.skipElement()) {
            return null;
        }
        long subjectStart = tbs.at;
        if (!tbs.skipElement()) {
            return null;
        }
        names.subject = renderName(s, subjectStart, tbs.at);
        return names.issuer == null || names.subject == null ? null : names;
    }

    /** Renders the Name element spanning {@code [start, end)}, or null when malformed. */
    static String renderName(MemorySegment s, long start, long end) {
        Der name = new Der(s, start, end);
        if (!name.enter(SEQUENCE)) {
            return null;
        }
        long[] typeAt = new long[MAX_ATTRIBUTES];
        int[] typeLen = new int[MAX_ATTRIBUTES];
        int[] valueTag = new int[MAX_ATTRIBUTES];
        long[] valueAt = new long[MAX_ATTRIBUTES];
        int[] valueLen = new int[MAX_ATTRIBUTES];
        long[] elementAt = new long[MAX_ATTRIBUTES];
        int[] elementLen = new int[MAX_ATTRIBUTES];
        int[] rdn = new int[MAX_ATTRIBUTES];
        int count = 0;
        int rdnIndex = 0;
        while (name.at < name.end) {
            Der set = name.child(SET);
            if (set == null) {
                return null;
            }
            while (set.at < set.end) {
                Der atv = set.child(SEQUENCE);
                if (atv == null || count == MAX_ATTRIBUTES) {
                    return null;
                }
                if (atv.peekTag() != OID || !atv.header()) {
                    return null;
                }
                typeAt[count] = atv.contentAt;
                typeLen[count] = atv.contentLength;
                atv.at = atv.contentAt + atv.contentLength;
                if (atv.at >= atv.end) {
                    return null;
                }
                valueTag[count] = atv.peekTag();
                long elementStart = atv.at;
                if (!atv.header()) {
                    return null;
                }
                valueAt[count] = atv.contentAt;
                valueLen[count] = atv.contentLength;
                elementAt[count] = elementStart;
                elementLen[count] = (int) (atv.contentAt + atv.contentLength - elementStart);
                rdn[count] = rdnIndex;
                count++;
            }
            rdnIndex++;
        }
        StringBuilder out = new StringBuilder(128);
        for (int i = count - 1; i >= 0; i--) {
            if (i < count - 1) {
                out.append(rdn[i] == rdn[i + 1] ? '+' : ',');
            }
            String shortName = typeLen[i] <= MAX_OID ? shortName(s, typeAt[i], typeLen[i]) : null;
            out.append(shortName != null ? shortName : dottedOid(s, typeAt[i], Math.min(typeLen[i], MAX_OID)))
                    .append('=');
            if (shortName == null || !isString(valueTag[i])) {
                hexDump(out, s, elementAt[i], elementLen[i]);
            } else {
                escape(out, decode(s, valueAt[i], Math.min(valueLen[i], MAX_VALUE), valueTag[i]));
            }
        }
        return out.toString();
    }

    private static boolean isString(int tag) {
        return switch (tag) {
            case 0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e, 0x12, 0x15, 0x19, 0x1b -> true;
            default -> false;
        };
    }

    private static String decode(MemorySegment s, long at, int length, int tag) {
        return switch (tag) {
            case 0x0c -> Bytes.utf8(s, at, length, length);
            case 0x1e -> ucs(s, at, length, 2);
            case 0x1c -> ucs(s, at, length, 4);
            default -> Bytes.latin1(s, at, length, length);
        };
    }

    private static String ucs(MemorySegment s, long at, int length, int width) {
        StringBuilder b = new StringBuilder(length / width);
        for (int i = 0; i + width <= length; i += width) {
            int cp = width == 2 ? Bytes.u16(s, at + i) : Bytes.i32(s, at + i);
            if (Character.isValidCodePoint(cp)) {
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /** RFC 2253 section 2.4 escaping, plus OpenSSL's {@code \XX} for control characters. */
    private static void escape(StringBuilder out, String v) {
        int n = v.length();
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            boolean special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';';
            if (special || (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ')) {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append('\\').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append(c);
            }
        }
    }

    /** The whole DER element as {@code #} and upper-case hex, as OpenSSL dumps unknown fields. */
    private static void hexDump(StringBuilder out, MemorySegment s, long at, int length) {
        out.append('#');
        for (int i = 0; i < Math.min(length, MAX_VALUE); i++) {
            int b = Bytes.u8(s, at + i);
            out.append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
    }

    private static String dottedOid(MemorySegment s, long at, int length) {
        StringBuilder b = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = 0; i < length; i++) {
            int octet = Bytes.u8(s, at + i);
            value = (value << 7) | (octet & 0x7f);
            if ((octet & 0x80) == 0) {
                if (first) {
                    int arc = (int) Math.min(value / 40, 2);
                    b.append(arc).append('.').append(value - 40L * arc);
                    first = false;
                } else {
                    b.append('.').append(value);
                }
                value = 0;
            }
        }
        return b.toString();
    }

    /** OpenSSL's short names for the attribute types certificates use. */
    private static String shortName(MemorySegment s, long at, int length) {
        String oid = dottedOid(s, at, length);
        return switch (oid) {
            case "2.5.4.3" -> "CN";
            case "2.5.4.4" -> "SN";
            case "2.5.4.5" -> "serialNumber";
            case "2.5.4.6" -> "C";
            case "2.5.4.7" -> "L";
            case "2.5.4.8" -> "ST";
            case "2.5.4.9" -> "street";
            case "2.5.4.10" -> "O";
            case "2.5.4.11" -> "OU";
            case "2.5.4.12" -> "title";
            case "2.5.4.13" -> "description";
            case "2.5.4.15" -> "businessCategory";
            case "2.5.4.17" -> "postalCode";
            case "2.5.4.41" -> "name";
            case "2.5.4.42" -> "GN";
            case "2.5.4.43" -> "initials";
            case "2.5.4.44" -> "generationQualifier";
            case "2.5.4.46" -> "dnQualifier";
            case "2.5.4.65" -> "pseudonym";
            case "2.5.4.97" -> "organizationIdentifier";
            case "1.2.840.113549.1.9.1" -> "emailAddress";
            case "0.9.2342.19200300.100.1.1" -> "UID";
            case "0.9.2342.19200300.100.1.25" -> "DC";
            case "1.3.6.1.4.1.311.60.2.1.1" -> "jurisdictionL";
            case "1.3.6.1.4.1.311.60.2.1.2" -> "jurisdictionST";
            case "1.3.6.1.4.1.311.60.2.1.3" -> "jurisdictionC";
            default -> null;
        };
    }

    /** A cursor over DER elements in {@code [at, end)}. */
    private static final class Der {
        private final MemorySegment s;
        long at;
        long end;
        long contentAt;
        int contentLength;

        Der(MemorySegment s, long at, long end) {
            this.s = s;
            this.at = at;
            this.end = end;
        }

        int peekTag() {
            return at < end ? Bytes.u8(s, at) : -1;
        }

        /** Reads the header at the cursor into {@code contentAt}/{@code contentLength}; false when malformed. */
        boolean header() {
            if (at + 2 > end) {
                return false;
            }
            int tag = Bytes.u8(s, at);
            if ((tag & 0x1f) == 0x1f) {
                return false;
            }
            int first = Bytes.u8(s, at + 1);
            long p = at + 2;
            long len;
            if (first < 0x80) {
                len = first;
            } else {
                int octets = first & 0x7f;
                if (octets == 0 || octets > 4 || p + octets > end) {
                    return false;
                }
                len = 0;
                for (int i = 0; i < octets; i++) {
                    len = (len << 8) | Bytes.u8(s, p++);
                }
            }
            if (len > end - p) {
                return false;
            }
            contentAt = p;
            contentLength = (int) len;
            return true;
        }

        /** Steps into the constructed element with {@code tag} at the cursor. */
        boolean enter(int tag) {
            if (peekTag() != tag || !header()) {
                return false;
            }
            at = contentAt;
            end = contentAt + contentLength;
            return true;
        }

        boolean skipElement() {
            if (!header()) {
                return false;
            }
            at = contentAt + contentLength;
            return true;
        }

        /** The element with {@code tag} at the cursor as its own cursor; advances past it. Null when malformed. */
        Der child(int tag) {
            if (peekTag() != tag || !header()) {
                return null;
            }
            Der c = new Der(s, contentAt, contentAt + contentLength);
            at = contentAt + contentLength;
            return c;
        }
    }
}
