package dev.vigil.net.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds wire messages for tests: big- and little-endian integers, strings and nested lengths. */
public final class Wire {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Wire create() {
        return new Wire();
    }

    public Wire u8(int v) {
        out.write(v);
        return this;
    }

    public Wire u16(int v) {
        return u8(v >> 8).u8(v);
    }

    public Wire u24(int v) {
        return u8(v >> 16).u16(v);
    }

    public Wire u32(long v) {
        return u16((int) (v >> 16)).u16((int) v);
    }

    public Wire u16le(int v) {
        return u8(v).u8(v >> 8);
    }

    public Wire u24le(int v) {
        return u16le(v).u8(v >> 16);
    }

    public Wire i32le(int v) {
        return u16le(v).u16le(v >> 16);
    }

    public Wire i64le(long v) {
        return i32le((int) v).i32le((int) (v >> 32));
    }

    public Wire bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public Wire ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A NUL-terminated string. */
    public Wire cstring(String s) {
        return ascii(s).u8(0);
    }

    public Wire zeros(int n) {
        return bytes(new byte[n]);
    }

    /** {@code body} preceded by its length in a big-endian field of {@code width} bytes. */
    public Wire prefixed(int width, Wire body) {
        byte[] b = body.toByteArray();
        switch (width) {
            case 1 -> u8(b.length);
            case 2 -> u16(b.length);
            case 3 -> u24(b.length);
            case 4 -> u32(b.length);
            default -> throw new IllegalArgumentException("width " + width);
        }
        return bytes(b);
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
