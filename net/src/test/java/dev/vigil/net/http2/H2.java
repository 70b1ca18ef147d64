package dev.vigil.net.http2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes HTTP/2 frames (RFC 9113 section 4.1) for tests. */
final class H2 {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static H2 start() {
        return new H2();
    }

    H2 preface() {
        out.writeBytes(Http2Analyzer.PREFACE);
        return this;
    }

    H2 frame(int type, int flags, int stream, byte[] payload) {
        out.write(payload.length >> 16);
        out.write(payload.length >> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(stream >> 24);
        out.write(stream >> 16);
        out.write(stream >> 8);
        out.write(stream);
        out.writeBytes(payload);
        return this;
    }

    H2 settings(int... idValues) {
        byte[] p = new byte[idValues.length * 3];
        for (int i = 0, at = 0; i < idValues.length; i += 2, at += 6) {
            p[at] = (byte) (idValues[i] >> 8);
            p[at + 1] = (byte) idValues[i];
            p[at + 2] = (byte) (idValues[i + 1] >> 24);
            p[at + 3] = (byte) (idValues[i + 1] >> 16);
            p[at + 4] = (byte) (idValues[i + 1] >> 8);
            p[at + 5] = (byte) idValues[i + 1];
        }
        return frame(4, 0, 0, p);
    }

    H2 headers(int stream, int flags, byte[] block) {
        return frame(1, flags | Http2Analyzer.END_HEADERS, stream, block);
    }

    H2 data(int stream, int flags, String body) {
        return frame(0, flags, stream, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    byte[] build() {
        return out.toByteArray();
    }
}
