package dev.vigil.net.http2;

import java.nio.charset.StandardCharsets;

/**
 * HPACK header decompression (RFC 7541) for one direction of one connection: the static table, a
 * dynamic table kept as a byte ring (entries are copied in, never allocated one by one), size
 * updates, integers and Huffman-coded strings. Each decoded field goes to a {@link Sink} as byte
 * slices valid only during the call.
 *
 * <p>Picking up a connection midway ({@code lenient}) leaves the entries added before the pickup
 * unknown: a reference to one skips that field and is counted in {@link #unknownReferences()}, while
 * entries added afterwards resolve correctly, since they are always the newest.
 *
 * <p>Errors leave the decoder unusable for the rest of the connection (the compression state is
 * lost); {@link #error()} names them: {@code hpack_truncated}, {@code hpack_bad_integer},
 * {@code hpack_bad_index}, {@code hpack_bad_huffman}, {@code hpack_field_too_long},
 * {@code hpack_table_size}.
 *
 * <p>Limits: {@link #MAX_TABLE_SIZE} bytes of dynamic table whatever the peer's settings,
 * {@link #MAX_FIELD_LENGTH} bytes per decoded name plus value.
 */
final class HpackDecoder {

    /** Dynamic table size before any setting or update (RFC 7540 section 6.5.2). */
    static final int DEFAULT_TABLE_SIZE = 4096;
    /** Largest dynamic table honoured, whatever SETTINGS_HEADER_TABLE_SIZE says. */
    static final int MAX_TABLE_SIZE = 65536;
    /** Longest decoded name plus value of one field. */
    static final int MAX_FIELD_LENGTH = 131072;

    /** Receives decoded fields; the arrays are the decoder's and valid only during the call. */
    interface Sink {
        void field(byte[] bytes, int nameAt, int nameLength, int valueAt, int valueLength);
    }

    private static final byte[][] STATIC = new byte[62 * 2][];

    static {
        String[] t = {
            ":authority", "", ":method", "GET", ":method", "POST", ":path", "/", ":path", "/index.html", ":scheme",
            "http", ":scheme", "https", ":status", "200", ":status", "204", ":status", "206", ":status", "304",
            ":status", "400", ":status", "404", ":status", "500", "accept-charset", "", "accept-encoding",
            "gzip, deflate", "accept-language", "", "accept-ranges", "", "accept", "", "access-control-allow-origin",
            "", "age", "", "allow", "", "authorization", "", "cache-control", "", "content-disposition", "",
            "content-encoding", "", "content-language", "", "content-length", "", "content-location", "",
            "content-range", "", "content-type", "", "cookie", "", "date", "", "etag", "", "expect", "", "expires", "",
            "from", "", "host", "", "if-match", "", "if-modified-since", "", "if-none-match", "", "if-range", "",
            "if-unmodified-since", "", "last-modified", "", "link", "", "location", "", "max-forwards", "",
            "proxy-authenticate", "", "proxy-authorization", "", "range", "", "referer", "", "refresh", "",
            "retry-after", "", "server", "", "set-cookie", "", "strict-transport-security", "", "transfer-encoding",
            "", "user-agent", "", "vary", "", "via", "", "www-authenticate", ""};
        for (int i = 0; i < t.length; i++) {
            STATIC[i + 2] = t[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static final int STATIC_ENTRIES = 61;
    private static final byte[] NO_VALUE = new byte[0];

    private final boolean lenient;
    /** Upper bound for size updates: the receiver's SETTINGS_HEADER_TABLE_SIZE, capped. */
    private int maxSize = DEFAULT_TABLE_SIZE;
    /** The table size currently in force. */
    private int size = DEFAULT_TABLE_SIZE;
    private int used;

    private byte[] ring = new byte[0];
    private int ringHead;
    private int[] entryAt = new int[0];
    private int[] entryName = new int[0];
    private int[] entryValue = new int[0];
    /** Index in the entry arrays of the newest entry; entries are newest..oldest going backwards. */
    private int newest = -1;
    private int count;

    private byte[] out = new byte[256];
    private String error;
    private long unknownReferences;

    HpackDecoder(boolean lenient) {
        this.lenient = lenient;
    }

    /** Applies the receiver's SETTINGS_HEADER_TABLE_SIZE (capped at {@link #MAX_TABLE_SIZE}). */
    void maxTableSize(long value) {
        maxSize = (int) Math.min(value, MAX_TABLE_SIZE);
        if (size > maxSize) {
            resize(maxSize);
        }
    }

    String error() {
        return error;
    }

    long unknownReferences() {
        return unknownReferences;
    }

    /** Entries currently in the dynamic table. */
    int entries() {
        return count;
    }

    /** Decodes one complete header block; false (with {@link #error()}) when it is malformed. */
    boolean decode(byte[] block, int from, int length, Sink sink) {
        if (error != null) {
            return false;
        }
        int p = from;
        int end = from + length;
        while (p < end) {
            int b = block[p] & 0xff;
            if ((b & 0x80) != 0) {
                long index = integer(block, p, end, 7);
                if (index < 0) {
                    return false;
                }
                p = next;
                if (index == 0) {
                    return fail("hpack_bad_index", "indexed field with index 0");
                }
                int n = copyEntry((int) Math.min(index, Integer.MAX_VALUE), true);
                if (n == -1) {
                    return false;
                }
                if (n >= 0) {
                    sink.field(out, 0, nameLength, nameLength, n - nameLength);
                }
            } else if ((b & 0xe0) == 0x20) {
                long newSize = integer(block, p, end, 5);
                if (newSize < 0) {
                    return false;
                }
                p = next;
                if (newSize > maxSize) {
                    return fail("hpack_table_size", "size update to " + newSize + " above the maximum " + maxSize);
                }
                resize((int) newSize);
            } else {
                boolean indexing = (b & 0xc0) == 0x40;
                long index = integer(block, p, end, indexing ? 6 : 4);
                if (index < 0) {
                    return false;
                }
                p = next;
                boolean known = true;
                int nameLen;
                if (index == 0) {
                    nameLen = string(block, p, end, 0);
                    if (nameLen < 0) {
                        return false;
                    }
                    p = next;
                } else {
                    int n = copyEntry((int) Math.min(index, Integer.MAX_VALUE), false);
                    if (n == -1) {
                        return false;
                    }
                    known = n >= 0;
                    nameLen = known ? n : 0;
                }
                int valueLen = string(block, p, end, nameLen);
                if (valueLen < 0) {
                    return false;
                }
                p = next;
                if (known) {
                    sink.field(out, 0, nameLen, nameLen, valueLen);
                }
                if (indexing) {
                    insert(out, nameLen, valueLen, known);
                }
            }
        }
        return true;
    }

    private int next;
    private int nameLength;

    /** Decodes an integer with an {@code prefix}-bit prefix at {@code p} (RFC 7541 section 5.1); -1 on error. */
    private long integer(byte[] b, int p, int end, int prefix) {
        int mask = (1 << prefix) - 1;
        long value = b[p] & mask;
        p++;
        if (value == mask) {
            int shift = 0;
            while (true) {
                if (p >= end) {
                    fail("hpack_truncated", "integer runs past the header block");
                    return -1;
                }
                int c = b[p++] & 0xff;
                value += (long) (c & 0x7f) << shift;
                shift += 7;
                if ((c & 0x80) == 0) {
                    break;
                }
                if (shift > 28) {
                    fail("hpack_bad_integer", "integer longer than 5 bytes");
                    return -1;
                }
            }
        }
        next = p;
        return value;
    }

    /** Decodes a string literal at {@code p} into {@link #out} at {@code at}; its length, or -1 on error. */
    private int string(byte[] b, int p, int end, int at) {
        if (p >= end) {
            fail("hpack_truncated", "string missing at the end of the header block");
            return -1;
        }
        boolean huffman = (b[p] & 0x80) != 0;
        long length = integer(b, p, end, 7);
        if (length < 0) {
            return -1;
        }
        p = next;
        if (length > end - p) {
            fail("hpack_truncated", "string of " + length + " bytes runs past the header block");
            return -1;
        }
        int len = (int) length;
        int room = huffman ? len * 8 / 5 + 1 : len;
        if (!ensure(at + room)) {
            return -1;
        }
        int n;
        if (huffman) {
            n = HpackHuffman.decode(b, p, len, out, at);
            if (n < 0) {
                fail("hpack_bad_huffman", "invalid Huffman code or padding");
                return -1;
            }
        } else {
            System.arraycopy(b, p, out, at, len);
            n = len;
        }
        next = p + len;
        return n;
    }

    private boolean ensure(int capacity) {
        if (capacity > MAX_FIELD_LENGTH) {
            fail("hpack_field_too_long", "max field length: " + MAX_FIELD_LENGTH + " exceeded");
            return false;
        }
        if (capacity > out.length) {
            out = java.util.Arrays.copyOf(out, Math.min(MAX_FIELD_LENGTH, Math.max(capacity, out.length * 2)));
        }
        return true;
    }

    /**
     * Copies the name (and value when {@code withValue}) of table entry {@code index} to the start of
     * {@link #out}. Returns the bytes copied (name length stored in {@link #nameLength}), -2 for an
     * unknown entry in lenient mode, -1 on error.
     */
    private int copyEntry(int index, boolean withValue) {
        if (index <= STATIC_ENTRIES) {
            byte[] name = STATIC[index * 2];
            byte[] value = withValue ? STATIC[index * 2 + 1] : NO_VALUE;
            if (!ensure(name.length + value.length)) {
                return -1;
            }
            System.arraycopy(name, 0, out, 0, name.length);
            System.arraycopy(value, 0, out, name.length, value.length);
            nameLength = name.length;
            return name.length + value.length;
        }
        int d = index - STATIC_ENTRIES - 1;
        if (d >= count) {
            if (lenient) {
                unknownReferences++;
                return -2;
            }
            fail("hpack_bad_index", "index " + index + " beyond the " + count + " dynamic entries");
            return -1;
        }
        int e = (newest - d + entryAt.length) % entryAt.length;
        int nameLen = entryName[e];
        int n = nameLen + (withValue ? entryValue[e] : 0);
        if (!ensure(n)) {
            return -1;
        }
        fromRing(entryAt[e], out, 0, n);
        nameLength = nameLen;
        return n;
    }

    /**
     * Adds an entry (RFC 7541 section 4.4): evicts until it fits; an entry larger than the table empties
     * it. An entry whose name is unknown (lenient mode) empties the table too: its size is unknown, so
     * nothing older can be trusted any more.
     */
    private void insert(byte[] src, int nameLen, int valueLen, boolean known) {
        if (!known) {
            while (count > 0) {
                evictOldest();
            }
            return;
        }
        long entrySize = 32L + nameLen + valueLen;
        while (count > 0 && used + entrySize > size) {
            evictOldest();
        }
        if (entrySize > size) {
            return;
        }
        int n = nameLen + valueLen;
        if (ring.length < size) {
            growRing();
        }
        if (count == entryAt.length) {
            growEntries();
        }
        int slot = (newest + 1) % entryAt.length;
        entryAt[slot] = ringHead;
        entryName[slot] = nameLen;
        entryValue[slot] = valueLen;
        int first = Math.min(n, ring.length - ringHead);
        System.arraycopy(src, 0, ring, ringHead, first);
        System.arraycopy(src, first, ring, 0, n - first);
        ringHead = (ringHead + n) % ring.length;
        newest = slot;
        count++;
        used += (int) entrySize;
    }

    /** Copies {@code n} bytes of the ring from {@code at}, wrapping at its end. */
    private void fromRing(int at, byte[] to, int toAt, int n) {
        int first = Math.min(n, ring.length - at);
        System.arraycopy(ring, at, to, toAt, first);
        System.arraycopy(ring, 0, to, toAt + first, n - first);
    }

    private void evictOldest() {
        int oldest = (newest - count + 1 + entryAt.length) % entryAt.length;
        used -= 32 + entryName[oldest] + entryValue[oldest];
        count--;
    }

    private void resize(int newSize) {
        size = newSize;
        while (count > 0 && used > size) {
            evictOldest();
        }
    }

    /** Re-lays the ring at the current table size, keeping live entries in order. */
    private void growRing() {
        byte[] grown = new byte[size];
        int[] at = new int[Math.max(8, size / 32 + 1)];
        int[] names = new int[at.length];
        int[] values = new int[at.length];
        int w = 0;
        for (int k = count - 1; k >= 0; k--) {
            int e = (newest - k + entryAt.length) % entryAt.length;
            int n = entryName[e] + entryValue[e];
            int slot = count - 1 - k;
            at[slot] = w;
            names[slot] = entryName[e];
            values[slot] = entryValue[e];
            fromRing(entryAt[e], grown, w, n);
            w += n;
        }
        ring = grown;
        ringHead = w % grown.length;
        entryAt = at;
        entryName = names;
        entryValue = values;
        newest = count - 1;
        if (newest < 0) {
            newest = at.length - 1;
        }
    }

    private void growEntries() {
        int old = entryAt.length;
        int n = Math.max(8, old * 2);
        int[] at = new int[n];
        int[] names = new int[n];
        int[] values = new int[n];
        for (int k = 0; k < count; k++) {
            int e = (newest - count + 1 + k + old) % old;
            at[k] = entryAt[e];
            names[k] = entryName[e];
            values[k] = entryValue[e];
        }
        entryAt = at;
        entryName = names;
        entryValue = values;
        newest = count - 1;
    }

    private boolean fail(String name, String detail) {
        error = name + ": " + detail;
        return false;
    }
}
