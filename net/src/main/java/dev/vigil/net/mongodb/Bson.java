package dev.vigil.net.mongodb;

import dev.vigil.net.app.Bytes;
import java.lang.foreign.MemorySegment;

/**
 * A bounded, top-level-only reader of BSON documents (bsonspec.org 1.1): it walks the elements of one
 * document, giving each name, type and position, and steps over nested documents by their length
 * without descending, so nesting depth costs nothing. Every length is checked against the document
 * and the bytes available; a violation ends the walk ({@link #malformed()}).
 *
 * <p>Limit: element names of at most {@value #MAX_NAME} bytes.
 */
final class Bson {

    static final int MAX_NAME = 256;

    static final int DOUBLE = 0x01;
    static final int STRING = 0x02;
    static final int DOCUMENT = 0x03;
    static final int BOOLEAN = 0x08;
    static final int INT32 = 0x10;
    static final int INT64 = 0x12;

    private final MemorySegment in;
    private final long documentEnd;
    private final long end;
    private long at;
    private boolean malformed;
    private boolean done;

    int type;
    long nameAt;
    int nameLength;
    long valueAt;
    long valueLength;

    /**
     * A reader of the document at {@code at}, of which only {@code available} bytes may be read (a
     * document cut short yields the elements that fit, then ends without being malformed).
     */
    Bson(MemorySegment in, long at, long available) {
        this.in = in;
        int length = available >= 4 ? Bytes.i32le(in, at) : 0;
        if (available >= 4 && length < 5) {
            malformed = true;
        }
        if (available < 5 || length < 5) {
            documentEnd = at;
            end = at;
            done = true;
            return;
        }
        documentEnd = at + length - 1;
        end = Math.min(documentEnd, at + available);
        this.at = at + 4;
    }

    boolean malformed() {
        return malformed;
    }

    /** Moves to the next element; false at the end of the document, of the available bytes, or on malformed input. */
    boolean next() {
        if (done || at >= end) {
            done = true;
            return false;
        }
        type = Bytes.u8(in, at);
        if (type == 0) {
            done = true;
            return false;
        }
        long nul = Bytes.indexOf(in, at + 1, Math.min(end, at + 1 + MAX_NAME + 1), 0);
        if (nul < 0) {
            return stop(end - at > MAX_NAME + 1 || end == documentEnd);
        }
        nameAt = at + 1;
        nameLength = (int) (nul - nameAt);
        valueAt = nul + 1;
        long size = valueSize();
        if (size < 0) {
            return stop(true);
        }
        valueLength = size;
        if (valueAt + size > documentEnd) {
            return stop(true);
        }
        if (valueAt + size > end) {
            done = true;
            return type == STRING && valueAt + 4 <= end;
        }
        at = valueAt + size;
        return true;
    }

    private boolean stop(boolean bad) {
        malformed |= bad;
        done = true;
        return false;
    }

    private long valueSize() {
        long available = end - valueAt;
        return switch (type) {
            case DOUBLE, 0x09, 0x11, INT64 -> 8;
            case 0x13 -> 16;
            case 0x07 -> 12;
            case BOOLEAN -> 1;
            case INT32 -> 4;
            case 0x06, 0x0A, 0xFF, 0x7F -> 0;
            case STRING, 0x0D, 0x0E -> available < 4 ? 4 : 4L + nonNegative(Bytes.i32le(in, valueAt), 1);
            case DOCUMENT, 0x04, 0x0F -> available < 4 ? 4 : nonNegative(Bytes.i32le(in, valueAt), 5);
            case 0x05 -> available < 4 ? 5 : 5L + nonNegative(Bytes.i32le(in, valueAt), 0);
            case 0x0C -> available < 4 ? 16 : 16L + nonNegative(Bytes.i32le(in, valueAt), 1);
            case 0x0B -> regexSize();
            default -> -1;
        };
    }

    private static long nonNegative(int v, int minimum) {
        return v < minimum ? Long.MIN_VALUE / 2 : v;
    }

    private long regexSize() {
        long first = Bytes.indexOf(in, valueAt, end, 0);
        long second = first < 0 ? -1 : Bytes.indexOf(in, first + 1, end, 0);
        return second < 0 ? end - valueAt + 1 : second + 1 - valueAt;
    }

    boolean nameIs(String name) {
        return Bytes.equalsAscii(in, nameAt, nameLength, name);
    }

    String name() {
        return Bytes.utf8(in, nameAt, nameLength, MAX_NAME);
    }

    /** The current string element's value (without its NUL), cut to what is available and {@code max} bytes. */
    String string(int max) {
        if (type != STRING) {
            return null;
        }
        int declared = Bytes.i32le(in, valueAt) - 1;
        long available = Math.min(declared, end - valueAt - 4);
        return available < 0 ? null : Bytes.utf8(in, valueAt + 4, (int) available, max);
    }

    /** The current element as a number (double, int32, int64, boolean), or NaN. */
    double number() {
        return switch (type) {
            case DOUBLE -> Bytes.f64le(in, valueAt);
            case INT32 -> Bytes.i32le(in, valueAt);
            case INT64 -> Bytes.i64le(in, valueAt);
            case BOOLEAN -> Bytes.u8(in, valueAt);
            default -> Double.NaN;
        };
    }
}
