package dev.vigil.net.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.RecordingContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorTest {

    /** Matches when a direction starts with its magic; says NEED_MORE on a proper prefix of it. */
    static class Magic implements AppProtocol {
        final String name;
        final boolean tcp;
        final String origMagic;
        final String respMagic;
        final List<String> seen = new ArrayList<>();
        int probes;

        Magic(String name, boolean tcp, String origMagic, String respMagic) {
            this.name = name;
            this.tcp = tcp;
            this.origMagic = origMagic;
            this.respMagic = respMagic;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean tcp() {
            return tcp;
        }

        @Override
        public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
            probes++;
            String magic = direction == Direction.ORIG ? origMagic : respMagic;
            if (magic == null) {
                return Verdict.NEED_MORE;
            }
            int n = Math.min(length, magic.length());
            for (int i = 0; i < n; i++) {
                if (bytes.get(ValueLayout.JAVA_BYTE, offset + i) != magic.charAt(i)) {
                    return Verdict.NO_MATCH;
                }
            }
            return length >= magic.length() ? Verdict.MATCH : Verdict.NEED_MORE;
        }

        @Override
        public AppAnalyzer create(AppContext context) {
            return new AppAnalyzer() {
                @Override
                public void data(Direction direction, MemorySegment bytes, long offset, int length, long ts) {
                    byte[] b = new byte[length];
                    MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, offset, b, 0, length);
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    int cut = s.indexOf("|SWITCH|");
                    if (cut >= 0) {
                        seen.add(direction + ":" + s.substring(0, cut + 8));
                        byte[] rest = s.substring(cut + 8).getBytes(StandardCharsets.ISO_8859_1);
                        AppAnalyzer next = context.switchTo(null);
                        if (rest.length > 0) {
                            Feed.call(next, direction, rest, 0, rest.length, ts);
                        }
                        return;
                    }
                    if (s.contains("|FLIP|")) {
                        context.flipRoles();
                    }
                    seen.add(direction + ":" + s);
                }

                @Override
                public void gap(Direction direction, long length) {
                    seen.add(direction + ":gap " + length);
                }

                @Override
                public void end(long tsMicros) {
                    seen.add("end");
                }
            };
        }
    }

    private static ProtocolDetector detector(Protocols.Entry... entries) {
        return new ProtocolDetector(List.of(entries), 64, 6, 2);
    }

    @Test
    void firstSegmentDecidesAndIsForwardedWithoutBuffering() {
        Magic http = new Magic("magic", true, "GET ", "HTTP");
        ProtocolDetector detector = detector(new Protocols.Entry(http, 80));
        RecordingContext ctx = RecordingContext.tcp(5432);
        AppAnalyzer a = detector.create(ctx);

        Feed.whole(a, List.of(Feed.Chunk.orig("GET / x", 1), Feed.Chunk.resp("HTTP 200", 2)));
        a.end(3);

        assertThat(http.seen).containsExactly("ORIG:GET / x", "RESP:HTTP 200", "end");
        assertThat(ctx.services).containsExactly("magic");
        assertThat(detector.identified()).isEqualTo(1);
    }

    @Test
    void replaysBufferedBytesOfBothDirectionsInArrivalOrder() {
        Magic server = new Magic("serverfirst", true, null, "HELLO");
        ProtocolDetector detector = detector(new Protocols.Entry(server));
        RecordingContext ctx = RecordingContext.tcp(1234);
        AppAnalyzer a = detector.create(ctx);

        Feed.whole(a, List.of(Feed.Chunk.resp("HEL", 1), Feed.Chunk.orig("hi", 2), Feed.Chunk.resp("LO!", 3),
                Feed.Chunk.orig("more", 4)));

        assertThat(server.seen).containsExactly("RESP:HEL", "ORIG:hi", "RESP:LO!", "ORIG:more");
        assertThat(ctx.services).containsExactly("serverfirst");
    }

    @Test
    void portBreaksTiesOnlyBetweenMatches() {
        Magic a = new Magic("a", true, "XY", null);
        Magic b = new Magic("b", true, "XY", null);
        RecordingContext onB = RecordingContext.tcp(7000);
        detector(new Protocols.Entry(a, 6000), new Protocols.Entry(b, 7000)).create(onB)
                .data(Direction.ORIG, MemorySegment.ofArray("XYZ".getBytes()), 0, 3, 1);
        assertThat(onB.services).containsExactly("b");

        RecordingContext elsewhere = RecordingContext.tcp(8000);
        detector(new Protocols.Entry(a, 6000), new Protocols.Entry(b, 7000)).create(elsewhere)
                .data(Direction.ORIG, MemorySegment.ofArray("XYZ".getBytes()), 0, 3, 1);
        assertThat(elsewhere.services).containsExactly("a");
    }

    @Test
    void wellKnownPortAloneNeverLabels() {
        Magic pg = new Magic("postgresql", true, "PG", null);
        ProtocolDetector detector = detector(new Protocols.Entry(pg, 5432));
        RecordingContext ctx = RecordingContext.tcp(5432);
        AppAnalyzer a = detector.create(ctx);
        Feed.whole(a, List.of(Feed.Chunk.orig("GET / HTTP/1.1\r\n", 1), Feed.Chunk.orig("more", 2)));
        a.end(3);

        assertThat(ctx.services).isEmpty();
        assertThat(ctx.encrypted).isNull();
        assertThat(pg.probes).isEqualTo(1);
        assertThat(detector.undetermined()).isEqualTo(1);
    }

    @Test
    void givesUpOneByteAfterTheBufferLimit() {
        Magic slow = new Magic("slow", true, "x".repeat(65), null);
        RecordingContext atLimit = RecordingContext.tcp(1);
        AppAnalyzer a = detector(new Protocols.Entry(slow)).create(atLimit);
        Feed.whole(a, List.of(Feed.Chunk.orig("x".repeat(40), 1), Feed.Chunk.orig("x".repeat(24), 2)));
        assertThat(slow.probes).isEqualTo(2);

        Feed.whole(a, List.of(Feed.Chunk.orig("x", 3)));
        assertThat(slow.probes).isEqualTo(2);
        assertThat(atLimit.services).isEmpty();
    }

    @Test
    void givesUpAfterTheChunkLimit() {
        Magic slow = new Magic("slow", true, "abcdefghij", null);
        RecordingContext ctx = RecordingContext.tcp(1);
        AppAnalyzer a = detector(new Protocols.Entry(slow)).create(ctx);
        Feed.pieces(a, List.of(Feed.Chunk.orig("abcdef", 1)), 1);
        assertThat(slow.probes).isEqualTo(6);
        Feed.whole(a, List.of(Feed.Chunk.orig("ghij", 2)));
        assertThat(slow.probes).isEqualTo(6);
        assertThat(ctx.services).isEmpty();
    }

    @Test
    void gapBeforeDecisionEndsDetection() {
        Magic m = new Magic("m", true, "ABCD", null);
        RecordingContext ctx = RecordingContext.tcp(1);
        AppAnalyzer a = detector(new Protocols.Entry(m)).create(ctx);
        Feed.whole(a, List.of(Feed.Chunk.orig("AB", 1)));
        a.gap(Direction.ORIG, 10);
        Feed.whole(a, List.of(Feed.Chunk.orig("CD", 2)));
        assertThat(ctx.services).isEmpty();
    }

    @Test
    void switchToNullRestartsDetectionOnTheBytesAfterTheSwitchPoint() {
        Magic proxy = new Magic("proxy", true, "CONNECT", null);
        Magic inner = new Magic("inner", true, "TLS", "SRV");
        ProtocolDetector detector = detector(new Protocols.Entry(proxy), new Protocols.Entry(inner));
        RecordingContext ctx = RecordingContext.tcp(3128);
        AppAnalyzer a = detector.create(ctx);

        Feed.whole(a, List.of(Feed.Chunk.orig("CONNECT x|SWITCH|TLS hello", 1), Feed.Chunk.resp("SRV hi", 2)));
        a.end(3);

        assertThat(proxy.seen).containsExactly("ORIG:CONNECT x|SWITCH|");
        assertThat(inner.seen).containsExactly("ORIG:TLS hello", "RESP:SRV hi", "end");
        assertThat(ctx.services).containsExactly("proxy", "inner");
        assertThat(ctx.switches).isEmpty();
    }

    @Test
    void emptyLinesLeftBehindByTheLastProtocolAreNotOfferedAfterARestart() {
        Magic proxy = new Magic("proxy", true, "CONNECT", null);
        Magic inner = new Magic("inner", true, "TLS", "SRV");
        RecordingContext ctx = RecordingContext.tcp(3128);
        AppAnalyzer a = detector(new Protocols.Entry(proxy), new Protocols.Entry(inner)).create(ctx);

        Feed.whole(a, List.of(Feed.Chunk.orig("CONNECT x|SWITCH|\r\n", 1), Feed.Chunk.resp("\n", 2),
                Feed.Chunk.orig("TLS", 3), Feed.Chunk.resp("SRV\r\n", 4)));

        assertThat(inner.seen).containsExactly("ORIG:TLS", "RESP:SRV\r\n");
        assertThat(ctx.services).containsExactly("proxy", "inner");
    }

    @Test
    void restartsBeyondTheLimitAreAnAnomaly() {
        Magic proxy = new Magic("proxy", true, "C", null);
        ProtocolDetector detector = detector(new Protocols.Entry(proxy));
        RecordingContext ctx = RecordingContext.tcp(3128);
        AppAnalyzer a = detector.create(ctx);

        Feed.whole(a, List.of(Feed.Chunk.orig("C1|SWITCH|C2|SWITCH|C3|SWITCH|C4", 1)));

        assertThat(proxy.seen).containsExactly("ORIG:C1|SWITCH|", "ORIG:C2|SWITCH|", "ORIG:C3|SWITCH|");
        assertThat(ctx.anomalyNames()).containsExactly("detect_too_many_restarts");
        assertThat(ctx.anomalies.getFirst()).contains("max detection restarts: 2 reached");
    }

    @Test
    void flipDuringReplaySwapsTheDirectionsOfLaterChunks() {
        Magic m = new Magic("m", true, "|FLIP|x", null);
        RecordingContext ctx = RecordingContext.tcp(53);
        AppAnalyzer a = detector(new Protocols.Entry(m)).create(ctx);

        Feed.whole(a, List.of(Feed.Chunk.orig("|FLIP|", 1), Feed.Chunk.resp("r1", 2), Feed.Chunk.orig("x", 3)));

        assertThat(ctx.flips).isEqualTo(1);
        assertThat(m.seen).containsExactly("ORIG:|FLIP|", "ORIG:r1", "RESP:x");
    }

    @Test
    void udpProbesEachDatagramOnItsOwn() {
        Magic m = new Magic("m", false, "DG", null);
        RecordingContext ctx = RecordingContext.udp(9999);
        AppAnalyzer a = detector(new Protocols.Entry(m)).create(ctx);
        Feed.whole(a, List.of(Feed.Chunk.orig("D", 1), Feed.Chunk.orig("DG!", 2)));
        assertThat(m.seen).containsExactly("ORIG:D", "ORIG:DG!");
    }

    @Test
    void probeThatThrowsIsOutAndReported() {
        AppProtocol broken = new Magic("broken", true, "X", null) {
            @Override
            public Verdict probe(Direction d, MemorySegment b, long o, int l, int p) {
                throw new IllegalStateException("boom");
            }
        };
        Magic good = new Magic("good", true, "X", null);
        RecordingContext ctx = RecordingContext.tcp(1);
        AppAnalyzer a = detector(new Protocols.Entry(broken), new Protocols.Entry(good)).create(ctx);
        Feed.whole(a, List.of(Feed.Chunk.orig("X", 1)));
        assertThat(ctx.services).containsExactly("good");
        assertThat(ctx.anomalies).containsExactly("detect_probe_failed: broken probe threw java.lang.IllegalStateException: boom");
    }

    @Test
    void transportsOtherThanTcpAndUdpAreIgnored() {
        RecordingContext icmp = new RecordingContext(new dev.vigil.model.net.ConnId("1.1.1.1", 8, "2.2.2.2", 0, "icmp"));
        AppAnalyzer a = new ProtocolDetector().create(icmp);
        Feed.whole(a, List.of(Feed.Chunk.orig("anything", 1)));
        assertThat(icmp.services).isEmpty();
    }

    @Test
    void rejectsBadLimits() {
        assertThatThrownBy(() -> new ProtocolDetector(List.of(), 0, 1, 1))
                .hasMessage("maxBufferBytes must be positive, got 0");
    }

    /**
     * Regression: nghttpd (cleartext HTTP/2, prior knowledge) sends its SETTINGS frame before the client's
     * preface arrives; that frame has the shape of a Kafka request without a client id and was taken for
     * Kafka, so the whole connection was parsed as Kafka.
     */
    @Test
    void http2ServerSettingsFirstIsNotKafka() {
        RecordingContext ctx = new RecordingContext(new dev.vigil.model.net.ConnId("10.252.1.1", 58796, "10.252.1.2", 8081, "tcp"));
        AppAnalyzer a = new ProtocolDetector().create(ctx);
        byte[] serverSettings = {0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100};
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] clientSettings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
        byte[] client = new byte[preface.length + clientSettings.length];
        System.arraycopy(preface, 0, client, 0, preface.length);
        System.arraycopy(clientSettings, 0, client, preface.length, clientSettings.length);
        Feed.whole(a, List.of(new Feed.Chunk(Direction.RESP, serverSettings, 1), new Feed.Chunk(Direction.ORIG, client, 2)));
        a.end(3);
        assertThat(ctx.services).containsExactly("http2");
    }
}
