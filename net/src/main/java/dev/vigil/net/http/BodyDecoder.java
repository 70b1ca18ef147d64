package dev.vigil.net.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Counts the decoded length of a {@code gzip} or {@code deflate} body, which is what Zeek logs as
 * {@code request_body_len} and {@code response_body_len}. The decoded bytes are thrown away as they
 * are produced. One per connection direction; its {@link Inflater} is reused from body to body and
 * released by {@link #close()}.
 *
 * <p>Limits: {@link #MAX_DECODED_BYTES} decoded bytes per body (a decompression bomb stops there,
 * {@link #limited()}); undecodable input stops decoding ({@link #failed()}); either way the caller
 * counts the remaining wire bytes as they are.
 */
final class BodyDecoder {

    static final int NONE = 0;
    static final int GZIP = 1;
    static final int DEFLATE = 2;

    /** Decoded bytes counted per body before decoding stops. */
    static final long MAX_DECODED_BYTES = 64L << 20;

    private static final int HEADER_FIXED = 0;
    private static final int HEADER_EXTRA_LENGTH = 1;
    private static final int HEADER_EXTRA = 2;
    private static final int HEADER_NAME = 3;
    private static final int HEADER_COMMENT = 4;
    private static final int HEADER_CRC = 5;
    private static final int INFLATE = 6;
    private static final int STOPPED = 7;

    private final byte[] in = new byte[8192];
    private final byte[] out = new byte[16384];
    private Inflater inflater;
    private boolean nowrap;
    private int coding;
    private int state;
    private int headerBytes;
    private int flags;
    private int extraLength;
    private long decoded;
    private boolean failed;
    private boolean limited;

    /** Starts a body with {@code coding} ({@link #GZIP} or {@link #DEFLATE}). */
    void start(int coding) {
        this.coding = coding;
        state = coding == GZIP ? HEADER_FIXED : INFLATE;
        headerBytes = 0;
        flags = 0;
        extraLength = 0;
        decoded = 0;
        failed = false;
        limited = false;
        if (coding == DEFLATE) {
            inflater(false);
        }
    }

    /** Whether this body is being decoded (not stopped by an error or the limit). */
    boolean active() {
        return coding != NONE && state != STOPPED;
    }

    boolean failed() {
        return failed;
    }

    boolean limited() {
        return limited;
    }

    /** Decodes {@code length} wire bytes and returns how many decoded bytes they produced. */
    long feed(MemorySegment bytes, long at, int length) {
        long before = decoded;
        long end = at + length;
        while (at < end && state != STOPPED) {
            if (state != INFLATE) {
                at = header(bytes, at, end);
                continue;
            }
            if (!inflater.needsInput()) {
                drain();
                continue;
            }
            int n = (int) Math.min(in.length, end - at);
            if (coding == DEFLATE && decoded == 0 && inflater.getBytesRead() == 0 && !nowrap && !zlibHeader(bytes, at, end)) {
                inflater(true);
            }
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, in, 0, n);
            inflater.setInput(in, 0, n);
            at += n;
            drain();
        }
        return decoded - before;
    }

    private void drain() {
        try {
            while (state == INFLATE) {
                int n = inflater.inflate(out);
                decoded += n;
                if (decoded > MAX_DECODED_BYTES) {
                    decoded = MAX_DECODED_BYTES;
                    limited = true;
                    state = STOPPED;
                } else if (inflater.finished()) {
                    state = STOPPED;
                } else if (n == 0) {
                    if (inflater.needsDictionary()) {
                        failed = true;
                        state = STOPPED;
                    }
                    return;
                }
            }
        } catch (DataFormatException e) {
            failed = true;
            state = STOPPED;
        }
    }

    /** Skips the gzip member header (RFC 1952 section 2.3), byte by byte since it may be split anywhere. */
    private long header(MemorySegment bytes, long at, long end) {
        while (at < end && state != INFLATE && state != STOPPED) {
            int b = bytes.get(ValueLayout.JAVA_BYTE, at++) & 0xff;
            switch (state) {
                case HEADER_FIXED -> {
                    if ((headerBytes == 0 && b != 0x1f) || (headerBytes == 1 && b != 0x8b) || (headerBytes == 2 && b != 8)) {
                        failed = true;
                        state = STOPPED;
                    } else if (headerBytes == 3) {
                        flags = b;
                    }
                    if (++headerBytes == 10) {
                        headerBytes = 0;
                        next(HEADER_EXTRA_LENGTH);
                    }
                }
                case HEADER_EXTRA_LENGTH -> {
                    extraLength |= b << (8 * headerBytes);
                    if (++headerBytes == 2) {
                        headerBytes = 0;
                        if (extraLength == 0) {
                            next(HEADER_NAME);
                        } else {
                            state = HEADER_EXTRA;
                        }
                    }
                }
                case HEADER_EXTRA -> {
                    if (--extraLength == 0) {
                        next(HEADER_NAME);
                    }
                }
                case HEADER_NAME -> {
                    if (b == 0) {
                        next(HEADER_COMMENT);
                    }
                }
                case HEADER_COMMENT -> {
                    if (b == 0) {
                        next(HEADER_CRC);
                    }
                }
                case HEADER_CRC -> {
                    if (++headerBytes == 2) {
                        next(INFLATE);
                    }
                }
                default -> {
                }
            }
        }
        return at;
    }

    /** Moves to {@code target} or the first later header part the flags call for. */
    private void next(int target) {
        int s = target;
        while (true) {
            boolean present = switch (s) {
                case HEADER_EXTRA_LENGTH, HEADER_EXTRA -> (flags & 0x04) != 0;
                case HEADER_NAME -> (flags & 0x08) != 0;
                case HEADER_COMMENT -> (flags & 0x10) != 0;
                case HEADER_CRC -> (flags & 0x02) != 0;
                default -> true;
            };
            if (present) {
                break;
            }
            s++;
        }
        state = s;
        headerBytes = 0;
        if (s == INFLATE) {
            inflater(true);
        }
    }

    private static boolean zlibHeader(MemorySegment bytes, long at, long end) {
        if (end - at < 2) {
            return true;
        }
        int cmf = bytes.get(ValueLayout.JAVA_BYTE, at) & 0xff;
        int flg = bytes.get(ValueLayout.JAVA_BYTE, at + 1) & 0xff;
        return (cmf & 0x0f) == 8 && (cmf * 256 + flg) % 31 == 0;
    }

    private void inflater(boolean raw) {
        if (inflater == null || nowrap != raw) {
            if (inflater != null) {
                inflater.end();
            }
            inflater = new Inflater(raw);
            nowrap = raw;
        } else {
            inflater.reset();
        }
    }

    /** Releases the inflater's native memory. */
    void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        coding = NONE;
    }
}
