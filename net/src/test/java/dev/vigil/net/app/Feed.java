package dev.vigil.net.app;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds analyzers the way the flow engine does, from test data. Every call goes through a native
 * segment of a confined arena that is closed right after the call, so an analyzer that keeps a
 * segment past its call fails the test. The splitting helpers prove parsers incremental: the same
 * conversation cut at every offset, or fed byte by byte, must give the same records.
 */
public final class Feed {

    private Feed() {
    }

    /** One call's worth of bytes from one direction at a capture time. */
    public record Chunk(Direction direction, byte[] bytes, long tsMicros) {

        public static Chunk orig(String ascii, long tsMicros) {
            return new Chunk(Direction.ORIG, ascii.getBytes(StandardCharsets.ISO_8859_1), tsMicros);
        }

        public static Chunk resp(String ascii, long tsMicros) {
            return new Chunk(Direction.RESP, ascii.getBytes(StandardCharsets.ISO_8859_1), tsMicros);
        }
    }

    /** Calls {@code analyzer.data} with {@code length} bytes of {@code bytes} from {@code offset}. */
    public static void call(AppAnalyzer analyzer, Direction direction, byte[] bytes, int offset, int length,
            long tsMicros) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(1, length + 7));
            MemorySegment.copy(bytes, offset, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 3, length);
            analyzer.data(direction, seg, 3, length, tsMicros);
        }
    }

    /** Each chunk in one call. */
    public static void whole(AppAnalyzer analyzer, List<Chunk> chunks) {
        for (Chunk c : chunks) {
            call(analyzer, c.direction(), c.bytes(), 0, c.bytes().length, c.tsMicros());
        }
    }

    /** Each chunk in pieces of at most {@code piece} bytes ({@code 1}: byte by byte). */
    public static void pieces(AppAnalyzer analyzer, List<Chunk> chunks, int piece) {
        for (Chunk c : chunks) {
            for (int at = 0; at < c.bytes().length; at += piece) {
                call(analyzer, c.direction(), c.bytes(), at, Math.min(piece, c.bytes().length - at), c.tsMicros());
            }
        }
    }

    /** Every chunk whole except chunk {@code index}, which is cut in two at {@code at}. */
    public static void splitAt(AppAnalyzer analyzer, List<Chunk> chunks, int index, int at) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (i == index && at > 0 && at < c.bytes().length) {
                call(analyzer, c.direction(), c.bytes(), 0, at, c.tsMicros());
                call(analyzer, c.direction(), c.bytes(), at, c.bytes().length - at, c.tsMicros());
            } else {
                call(analyzer, c.direction(), c.bytes(), 0, c.bytes().length, c.tsMicros());
            }
        }
    }

    /** A fresh analyzer of {@code protocol} on {@code ctx}, fed by {@code feed}, then ended; returns {@code ctx}. */
    public static RecordingContext run(AppProtocol protocol, RecordingContext ctx,
            java.util.function.Consumer<AppAnalyzer> feed) {
        AppAnalyzer a = protocol.create(ctx);
        feed.accept(a);
        a.end(99_000_000);
        return ctx;
    }

    /** A native segment holding a copy of {@code bytes}, as capture buffers are (for benchmarks). */
    public static MemorySegment nativeCopy(byte[] bytes) {
        MemorySegment s = Arena.ofAuto().allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s.asSlice(0, bytes.length);
    }

    /** {@link #nativeCopy(byte[])} of ISO-8859-1 text. */
    public static MemorySegment nativeCopy(String text) {
        return nativeCopy(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every (chunk index, cut offset) pair for {@link #splitAt}. */
    public static List<int[]> everyCut(List<Chunk> chunks) {
        List<int[]> cuts = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            for (int at = 1; at < chunks.get(i).bytes().length; at++) {
                cuts.add(new int[] {i, at});
            }
        }
        return cuts;
    }
}
