package dev.vigil.net.tls;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static dev.vigil.net.tls.TlsMessages.concat;
import static dev.vigil.net.tls.TlsMessages.handshake;
import static dev.vigil.net.tls.TlsMessages.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.SslRecord;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.Wire;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TlsAnalyzerTest {

    private static final int[] CIPHERS = {0x1a1a, 0x1301, 0xc02f, 0x002f};
    private static final byte[] FINISHED = new byte[40];
    private static final byte[] CCS = record(TlsAnalyzer.CHANGE_CIPHER_SPEC, new byte[] {1});

    static byte[] clientHello() {
        return TlsMessages.clientHello("api.example.com", List.of("h2", "http/1.1"), CIPHERS,
                new int[] {0x4a4a, 29, 23}, new int[] {0x0403, 0x0804});
    }

    /** A complete TLS 1.2 handshake with a certificate and an encrypted Finished each way. */
    static Transcript tls12(int cipher) {
        return Transcript.of(
                orig(record(22, clientHello())),
                resp(record(22, concat(TlsMessages.serverHello(0x0303, cipher, "h2"), handshake(14, new byte[0])))),
                orig(concat(record(22, handshake(16, new byte[66])), CCS, record(22, FINISHED))),
                resp(concat(CCS, record(22, FINISHED))),
                orig(record(23, new byte[100])),
                resp(record(23, new byte[300])));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new TlsProtocol().create(context));
        return context;
    }

    @Test
    void tls12HandshakeBecomesOneEstablishedRecord() {
        Transcript t = tls12(0xc02f);
        t.assertSameEverywhere(c -> new TlsProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo("TLSv12");
            assertThat(r.cipher()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            assertThat(r.serverName()).isEqualTo("api.example.com");
            assertThat(r.alpn()).containsExactly("h2", "http/1.1");
            assertThat(r.nextProtocol()).isEqualTo("h2");
            assertThat(r.established()).isTrue();
            assertThat(r.resumed()).isFalse();
            assertThat(r.ja3()).isEqualTo(TlsFingerprints.ja3(parse(clientHello())));
            assertThat(r.ja4()).startsWith("t12d0305h2_");
            assertThat(r.ts()).isEqualTo(Transcript.START_MICROS / 1e6);
        });
        assertThat(context.encrypted).isTrue();
        assertThat(context.services).containsExactly("ssl");
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void nullCipherIsNotEncrypted() {
        CapturingContext context = run(tls12(0x0002));
        assertThat(context.records(SslRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.cipher()).isEqualTo("TLS_RSA_WITH_NULL_SHA"));
        assertThat(context.encrypted).isFalse();
    }

    @Test
    void tls13IsEstablishedByApplicationDataBothWays() {
        Transcript t = Transcript.of(
                orig(record(22, clientHello())),
                resp(concat(record(22, TlsMessages.serverHello(0x0304, 0x1301, null)), CCS, record(23, new byte[50]))),
                orig(concat(CCS, record(23, new byte[53]))));
        CapturingContext context = run(t);
        assertThat(context.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo("TLSv13");
            assertThat(r.curve()).isEqualTo("x25519");
            assertThat(r.established()).isTrue();
        });
        assertThat(context.encrypted).isTrue();
    }

    /** Zeek's {@code CjiICs}: HelloRetryRequest, compatibility ChangeCipherSpecs, a second ClientHello in clear. */
    @Test
    void helloRetryWithCompatibilityChangeCipherSpecs() {
        Transcript t = Transcript.of(
                orig(record(22, clientHello())),
                resp(concat(record(22, TlsMessages.helloRetryRequest(0x1302, 23)), CCS)),
                orig(concat(CCS, record(22, TlsMessages.clientHello("second.example", List.of("h2"), CIPHERS,
                        new int[] {23}, new int[] {0x0403})))),
                resp(concat(record(22, TlsMessages.serverHello(0x0304, 0x1302, null)), record(23, new byte[60]))),
                orig(record(23, new byte[53])));
        t.assertSameEverywhere(c -> new TlsProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo("TLSv13");
            assertThat(r.cipher()).isEqualTo("TLS_AES_256_GCM_SHA384");
            assertThat(r.serverName()).as("the first ClientHello's").isEqualTo("api.example.com");
            assertThat(r.established()).isTrue();
        });
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void alertBeforeEstablishmentIsTheLastAlert() {
        Transcript t = Transcript.of(
                orig(record(22, clientHello())),
                resp(record(21, new byte[] {2, 70})));
        CapturingContext context = run(t);
        assertThat(context.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.lastAlert()).isEqualTo("protocol_version");
            assertThat(r.established()).isFalse();
            assertThat(r.version()).isNull();
        });
        assertThat(context.encrypted).isNull();
    }

    @Test
    void certificateNamesOfTheLeaf() {
        byte[] der = java.util.HexFormat.of().parseHex(SELF_SIGNED_EXAMPLE);
        Transcript t = Transcript.of(
                orig(record(22, clientHello())),
                resp(record(22, concat(TlsMessages.serverHello(0x0303, 0xc02f, null), TlsMessages.certificate(der)))));
        assertThat(run(t).records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.subject()).isEqualTo("CN=vigil.example,O=Vigil\\, Inc.,C=DE");
            assertThat(r.issuer()).isEqualTo("CN=vigil.example,O=Vigil\\, Inc.,C=DE");
        });
    }

    /** {@code openssl req -x509 -subj '/C=DE/O=Vigil, Inc./CN=vigil.example'} (EC P-256), DER. */
    static final String SELF_SIGNED_EXAMPLE = "308201ca30820171a00302010202143d7128f2e62a1d01ed16655cdfbcf3eed2b88507300a06082a8648ce3d04030230"
            + "3b310b300906035504061302444531143012060355040a0c0b566967696c2c20496e632e3116301406035504030c0d76"
            + "6967696c2e6578616d706c65301e170d3236313132363136303930335a170d3336313132333136303930335a303b310b"
            + "300906035504061302444531143012060355040a0c0b566967696c2c20496e632e3116301406035504030c0d76696769"
            + "6c2e6578616d706c653059301306072a8648ce3d020106082a8648ce3d0301070342000404bdc4808b28fcb3674fafe7"
            + "370bc47711e5227d04abb24dd93386522235fb1f219edcb4f0e7cc68ae35b84e38a58d570c09c138c7747d85be99b3cf"
            + "6b51ca5ea3533051301d0603551d0e04160414cd847f31769c2f16763e5487fae55afcdc068885301f0603551d230418"
            + "30168014cd847f31769c2f16763e5487fae55afcdc068885300f0603551d130101ff040530030101ff300a06082a8648"
            + "ce3d040302034700304402204630ad1b3675fb55071a4531dd606c15c70d14efe84ab19819d25aa673bd9f9002200768"
            + "3726240266fa73d7e68ea65007e1fe84928f7f8a63c32058c26d457a723b";

    @Test
    void recordAtTheLengthLimitPassesAndOneByteMoreIsAnAnomaly() {
        CapturingContext ok = run(Transcript.of(
                orig(concat(record(22, clientHello()), record(23, new byte[TlsAnalyzer.MAX_RECORD_LENGTH])))));
        assertThat(ok.anomalies).isEmpty();
        CapturingContext tooLong = run(Transcript.of(
                orig(concat(record(22, clientHello()), record(23, new byte[TlsAnalyzer.MAX_RECORD_LENGTH + 1])))));
        assertThat(tooLong.anomalies).containsExactly(
                "tls_record_too_long: record length 18433 over the limit 18432 (type 23); parsing stops");
        assertThat(tooLong.records(SslRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.serverName()).isEqualTo("api.example.com"));
    }

    @Test
    void handshakeMessageAtTheLimitIsBufferedAndOneByteMoreIsSkipped() {
        for (int size : new int[] {TlsAnalyzer.MAX_HANDSHAKE_LENGTH, TlsAnalyzer.MAX_HANDSHAKE_LENGTH + 1}) {
            byte[] stream = concat(handshake(99, new byte[size]), clientHello());
            Wire records = Wire.create();
            for (int at = 0; at < stream.length; at += 16384) {
                records.bytes(record(22, java.util.Arrays.copyOfRange(stream, at, Math.min(stream.length, at + 16384))));
            }
            CapturingContext context = run(Transcript.of(orig(records.toByteArray())));
            if (size == TlsAnalyzer.MAX_HANDSHAKE_LENGTH) {
                assertThat(context.anomalies).isEmpty();
            } else {
                assertThat(context.anomalies).containsExactly("tls_handshake_too_long: handshake message type 99 "
                        + "length 65537 over the limit 65536; skipped");
            }
            assertThat(context.records(SslRecord.class)).singleElement()
                    .satisfies(r -> assertThat(r.serverName()).isEqualTo("api.example.com"));
        }
    }

    @Test
    void cipherListOverTheLimitIsTruncated() {
        int[] many = IntStream.range(0, ClientHello.MAX_LIST + 1).map(i -> 0x0100 + i).toArray();
        byte[] hello = TlsMessages.clientHello(null, List.of(), many, new int[] {29}, new int[] {0x0403});
        CapturingContext context = run(Transcript.of(orig(record(22, hello))));
        assertThat(context.anomalyNames()).containsExactly("tls_list_truncated");
        assertThat(context.records(SslRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.ja4()).startsWith("t12i9903"));
        assertThat(parse(hello).ciphers).hasSize(ClientHello.MAX_LIST);
    }

    @Test
    void alpnAndServerNameLimits() {
        java.util.List<String> sixteen = IntStream.range(0, ClientHello.MAX_ALPN).mapToObj(i -> "p" + i).toList();
        java.util.List<String> seventeen = IntStream.range(0, ClientHello.MAX_ALPN + 1).mapToObj(i -> "p" + i).toList();
        String name = "a".repeat(ClientHello.MAX_NAME);
        CapturingContext ok = run(Transcript.of(orig(record(22, TlsMessages.clientHello(name, sixteen, CIPHERS,
                new int[] {29}, new int[] {0x0403})))));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.alpn()).hasSize(ClientHello.MAX_ALPN);
            assertThat(r.serverName()).isEqualTo(name);
        });
        CapturingContext over = run(Transcript.of(orig(record(22, TlsMessages.clientHello(name + "b", seventeen, CIPHERS,
                new int[] {29}, new int[] {0x0403})))));
        assertThat(over.anomalyNames()).containsExactly("tls_list_truncated");
        assertThat(over.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.alpn()).hasSize(ClientHello.MAX_ALPN);
            assertThat(r.serverName()).isEqualTo(name);
        });
    }

    @Test
    void sslv2CompatibleHelloGivesTheServersVersion() {
        byte[] v2 = Wire.create().u8(0x80).u8(9 + 3 + 16).u8(1).u16(0x0301).u16(3).u16(0).u16(16)
                .u8(0).u8(0).u8(0x2f).zeros(16).toByteArray();
        assertThat(new TlsProtocol().probe(dev.vigil.net.app.Direction.ORIG,
                java.lang.foreign.MemorySegment.ofArray(v2), 0, v2.length, 443))
                .isEqualTo(dev.vigil.net.app.AppProtocol.Verdict.MATCH);
        CapturingContext context = run(Transcript.of(orig(v2),
                resp(record(22, TlsMessages.serverHello(0x0301, 0x002f, null)))));
        assertThat(context.records(SslRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo("TLSv10");
            assertThat(r.cipher()).isEqualTo("TLS_RSA_WITH_AES_128_CBC_SHA");
            assertThat(r.ja3()).isNull();
        });
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void gapStopsParsingWithAnAnomaly() {
        CapturingContext context = new CapturingContext();
        var analyzer = new TlsProtocol().create(context);
        byte[] hello = record(22, clientHello());
        analyzer.data(dev.vigil.net.app.Direction.ORIG, java.lang.foreign.MemorySegment.ofArray(hello), 0, 20, 1);
        analyzer.gap(dev.vigil.net.app.Direction.ORIG, 100);
        analyzer.end(2);
        assertThat(context.anomalies).containsExactly(
                "tls_gap: 100 bytes missing from the client; its parsing stops");
        assertThat(context.records).isEmpty();
    }

    /** Mutated handshakes: nothing escapes, and the outcome does not depend on how the bytes were split. */
    @RepeatedTest(300)
    void mutatedHandshakesAreSafeAndSplitIndependent(RepetitionInfo info) {
        tls12(0xc02f).assertMutationsSafe(0x7157L * info.getCurrentRepetition(), 3, c -> new TlsProtocol().create(c), 7);
    }

    @RepeatedTest(200)
    void randomBytesNeverThrow(RepetitionInfo info) {
        long seed = 0xbadL * info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] junk = dev.vigil.testkit.Mutations.randomBytes(random, 1 + random.nextInt(4000));
        junk[0] = (byte) (20 + random.nextInt(5));
        if (junk.length > 2) {
            junk[1] = 3;
        }
        try {
            CapturingContext context = run(Transcript.of(orig(junk), resp(junk)));
            assertThat(context.records.size()).isLessThanOrEqualTo(1);
            new TlsProtocol().probe(dev.vigil.net.app.Direction.ORIG, java.lang.foreign.MemorySegment.ofArray(junk), 0,
                    junk.length, 443);
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed, e);
        }
    }

    private static ClientHello parse(byte[] handshakeMessage) {
        ClientHello c = new ClientHello();
        c.parse(java.lang.foreign.MemorySegment.ofArray(handshakeMessage), 4, handshakeMessage.length - 4);
        return c;
    }
}
