package dev.vigil.net.app;

import dev.vigil.model.net.ConnId;
import dev.vigil.testkit.Mutations;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The TCP payload of one connection as the segments each side sent, in order, and drivers that feed
 * it to an analyzer whole, byte by byte, or split at any offset. Transcripts of capture files come
 * from {@code tshark -z follow,tcp,raw} (until the flow engine reads captures itself).
 *
 * @param id the endpoints, oriented as tshark's node 0 (the side that sent the first packet) to node 1
 */
public record Transcript(ConnId id, List<Segment> segments) {

    /** One side's bytes of one TCP segment. */
    public record Segment(Direction direction, byte[] bytes) {
    }

    /** 2023-11-14T22:13:20Z, the capture time of the first fed segment. */
    public static final long START_MICROS = 1_700_000_000_000_000L;

    private static final Map<Path, List<Transcript>> CACHE = new ConcurrentHashMap<>();

    /** Every TCP connection of a capture, by tshark stream index. */
    public static List<Transcript> ofCapture(Path pcap) {
        return CACHE.computeIfAbsent(pcap.toAbsolutePath().normalize(), Transcript::follow);
    }

    /** A transcript built in a test: alternate {@code ORIG}/{@code RESP} segments given as byte arrays. */
    public static Transcript of(Segment... segments) {
        return new Transcript(new ConnId("10.0.0.1", 40000, "10.0.0.2", 9999, "tcp"), List.of(segments));
    }

    public static Segment orig(byte[] bytes) {
        return new Segment(Direction.ORIG, bytes);
    }

    public static Segment resp(byte[] bytes) {
        return new Segment(Direction.RESP, bytes);
    }

    public static Segment orig(String ascii) {
        return orig(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Segment resp(String ascii) {
        return resp(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<Transcript> follow(Path pcap) {
        Requirements.requireCommands("tshark");
        String streams = run(List.of("tshark", "-r", pcap.toString(), "-Y", "tcp.len > 0", "-T", "fields", "-e", "tcp.stream"));
        int max = streams.lines().filter(l -> !l.isBlank()).mapToInt(l -> Integer.parseInt(l.trim())).max().orElse(-1);
        List<String> command = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-q"));
        for (int i = 0; i <= max; i++) {
            command.add("-z");
            command.add("follow,tcp,raw," + i);
        }
        List<Transcript> out = new ArrayList<>();
        if (max < 0) {
            return out;
        }
        ConnId id = null;
        String node0 = null;
        List<Segment> segments = null;
        for (String line : run(command).split("\n")) {
            if (line.startsWith("Follow: ")) {
                if (segments != null) {
                    out.add(new Transcript(id, List.copyOf(segments)));
                }
                segments = new ArrayList<>();
                id = null;
            } else if (line.startsWith("Node 0: ")) {
                node0 = line.substring(8).trim();
            } else if (line.startsWith("Node 1: ")) {
                id = connId(node0, line.substring(8).trim());
            } else if (segments != null && !line.isBlank() && !line.startsWith("=") && !line.startsWith("Filter:")) {
                boolean resp = line.startsWith("\t");
                segments.add(new Segment(resp ? Direction.RESP : Direction.ORIG, HexFormat.of().parseHex(line.trim())));
            }
        }
        if (segments != null) {
            out.add(new Transcript(id, List.copyOf(segments)));
        }
        return out;
    }

    private static ConnId connId(String a, String b) {
        int ca = a.lastIndexOf(':');
        int cb = b.lastIndexOf(':');
        return new ConnId(host(a.substring(0, ca)), Integer.parseInt(a.substring(ca + 1)),
                host(b.substring(0, cb)), Integer.parseInt(b.substring(cb + 1)), "tcp");
    }

    private static String host(String h) {
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command.getFirst() + " failed with exit " + p.exitValue() + ": " + command);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": install it (scripts/system-packages.txt)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Total payload bytes in both directions. */
    public int size() {
        return segments.stream().mapToInt(s -> s.bytes.length).sum();
    }

    /** The bytes one side sent, concatenated. */
    public byte[] bytes(Direction direction) {
        var out = new java.io.ByteArrayOutputStream();
        segments.stream().filter(s -> s.direction == direction).forEach(s -> out.writeBytes(s.bytes));
        return out.toByteArray();
    }

    /** Feeds each segment as it was captured, then ends the connection. */
    public void feed(CapturingContext context, AppAnalyzer analyzer) {
        feedSplit(context, analyzer, -1);
    }

    /** Feeds every segment one byte per call. */
    public void feedBytewise(CapturingContext context, AppAnalyzer analyzer) {
        long ts = START_MICROS;
        for (Segment s : segments) {
            for (int i = 0; i < s.bytes.length; i++) {
                call(context, analyzer, s.direction, s.bytes, i, 1, ts++);
            }
        }
        target(context, analyzer).end(ts);
    }

    /**
     * Feeds the segments as captured, except that the segment holding transcript byte {@code at}
     * (counting both directions in order) is split there into two calls; -1 splits nothing.
     */
    public void feedSplit(CapturingContext context, AppAnalyzer analyzer, int at) {
        long ts = START_MICROS;
        int base = 0;
        for (Segment s : segments) {
            int n = s.bytes.length;
            if (at > base && at < base + n) {
                call(context, analyzer, s.direction, s.bytes, 0, at - base, ts++);
                call(context, analyzer, s.direction, s.bytes, at - base, n - (at - base), ts++);
            } else {
                call(context, analyzer, s.direction, s.bytes, 0, n, ts++);
            }
            base += n;
        }
        target(context, analyzer).end(ts);
    }

    /**
     * Runs a fresh analyzer over this transcript whole, byte by byte and split at every
     * {@code stride}-th offset; each outcome must equal the whole-feed one, which is returned.
     */
    public <T> T assertSameEverywhere(Function<CapturingContext, AppAnalyzer> create,
            Function<CapturingContext, T> outcome, int stride) {
        CapturingContext reference = new CapturingContext(id);
        feed(reference, create.apply(reference));
        T expected = outcome.apply(reference);
        CapturingContext bytewise = new CapturingContext(id);
        feedBytewise(bytewise, create.apply(bytewise));
        org.assertj.core.api.Assertions.assertThat(outcome.apply(bytewise)).as("byte by byte").isEqualTo(expected);
        for (int at = 1; at < size(); at += stride) {
            CapturingContext split = new CapturingContext(id);
            feedSplit(split, create.apply(split), at);
            org.assertj.core.api.Assertions.assertThat(outcome.apply(split)).as("split at %d", at).isEqualTo(expected);
        }
        return expected;
    }

    /**
     * The robustness property: a copy of this transcript with about one segment in {@code oneIn}
     * mutated ({@link Mutations#mutate}) must not make the analyzer throw, and its outcome must not
     * depend on how the bytes were split. A failure names the seed.
     */
    public void assertMutationsSafe(long seed, int oneIn, Function<CapturingContext, AppAnalyzer> create, int stride) {
        SplittableRandom random = new SplittableRandom(seed);
        Segment[] mutated = segments.stream()
                .map(s -> new Segment(s.direction, random.nextInt(oneIn) == 0 ? Mutations.mutate(random, s.bytes) : s.bytes))
                .toArray(Segment[]::new);
        try {
            new Transcript(id, List.of(mutated)).assertSameEverywhere(create, CapturingContext::outcome, stride);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    /**
     * Detection's view of this connection: MATCH when either direction's first bytes (up to 4 KiB)
     * match, NEED_MORE when one still waits, else NO_MATCH.
     */
    public AppProtocol.Verdict probe(AppProtocol protocol, int responderPort) {
        AppProtocol.Verdict result = AppProtocol.Verdict.NO_MATCH;
        for (Direction d : Direction.values()) {
            byte[] b = bytes(d);
            AppProtocol.Verdict v = protocol.probe(d, MemorySegment.ofArray(b), 0, Math.min(b.length, 4096), responderPort);
            if (v == AppProtocol.Verdict.MATCH) {
                return v;
            }
            if (v == AppProtocol.Verdict.NEED_MORE) {
                result = v;
            }
        }
        return result;
    }

    /** The analyzer in charge after any {@link AppContext#switchTo}. */
    private static AppAnalyzer target(CapturingContext context, AppAnalyzer analyzer) {
        return context.switchedTo != null ? context.switchedTo : analyzer;
    }

    /**
     * Calls {@code data} on the analyzer in charge, with the bytes placed at an odd offset inside a
     * larger segment and the direction as the flow engine would give it after role flips.
     */
    private static void call(CapturingContext context, AppAnalyzer analyzer, Direction direction, byte[] bytes,
            int from, int length, long ts) {
        byte[] padded = new byte[length + 13];
        System.arraycopy(bytes, from, padded, 7, length);
        Direction d = context.flips % 2 == 1 ? direction.opposite() : direction;
        target(context, analyzer).data(d, MemorySegment.ofArray(padded), 7, length, ts);
    }
}
