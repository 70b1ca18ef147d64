package dev.vigil.net.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.SslRecord;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.nio.file.Path;
import java.util.List;
import dev.vigil.net.app.PipelineFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The TLS facts of {@code ../shared/corpora/pcaps/INDEX.md} and of the suites' own expectations
 * (suricata-verify {@code test.yaml}, Zeek {@code ssl.log}/{@code x509.log}, nDPI {@code result/*.out}),
 * reproduced from each capture's TCP payloads, fed whole, byte by byte and split at many offsets.
 */
class TlsConformanceTest {

    static final List<String> CAPTURES = List.of("suricata-verify/tls_tls13-draft28/tls13_draft28.pcap",
            "suricata-verify/ja4-tls/input.pcap", "suricata-verify/community-id-ipv4/input.pcap",
            "suricata-verify/tls_tls-client-hello-frag-01/dump_mtu300.pcap",
            "zeek/testing/btest/Traces/tls/tls-conn-with-extensions.pcap",
            "zeek/testing/btest/Traces/tls/chrome-1250-tls-x25519-kyber.pcap", "ndpi/pcap/tls_2_reasms.pcapng",
            "ndpi/pcap/tls_ech.pcapng", "ndpi/pcap/tls_1.3_unidirectional_client.pcapng");

    /** The capture through the pipeline: every TLS connection is {@code ssl}, encrypted, and raised no anomaly. */
    private static List<SslRecord> ssl(String capture) {
        PipelineFacts facts = PipelineFacts.of(capture);
        assertThat(facts.conns()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.service()).isEqualTo("ssl");
            assertThat(c.encrypted()).isTrue();
        });
        assertThat(facts.weirds()).isEmpty();
        return facts.records(SslRecord.class);
    }

    /** Each capture's TCP payloads fed whole, byte by byte and split at many offsets give the same outcome. */
    @ParameterizedTest
    @FieldSource("CAPTURES")
    void splitIndependence(String capture) {
        Path pcap = Requirements.corpora().resolve("pcaps").resolve(capture);
        for (Transcript t : Transcript.ofCapture(pcap)) {
            if (t.size() > 0) {
                t.assertSameEverywhere(c -> new TlsProtocol().create(c), CapturingContext::outcome,
                        Math.max(1, t.size() / 1500));
            }
        }
    }

    /** Wireshark computes JA3 and JA3S itself: every handshake of every TLS capture must agree with it. */
    @ParameterizedTest
    @FieldSource("CAPTURES")
    void ja3AndJa3sAgreeWithTshark(String capture) throws Exception {
        Requirements.requireCommands("tshark");
        Path pcap = Requirements.corpora().resolve("pcaps").resolve(capture);
        java.util.Map<Integer, String> ja3 = tsharkByClientPort(pcap, 1, "tls.handshake.ja3");
        java.util.Map<Integer, String> ja3s = tsharkByClientPort(pcap, 2, "tls.handshake.ja3s");
        List<SslRecord> records = ssl(capture);
        assertThat(ja3).isNotEmpty();
        for (SslRecord r : records) {
            assertThat(r.ja3()).as("JA3 of client port %d", r.id().origP()).isEqualTo(ja3.get(r.id().origP()));
            assertThat(r.ja3s()).as("JA3S of client port %d", r.id().origP()).isEqualTo(ja3s.get(r.id().origP()));
        }
        assertThat(records).hasSize(ja3.size());
    }

    /** {@code field} of each handshake message of {@code type}, keyed by the client's port. */
    private static java.util.Map<Integer, String> tsharkByClientPort(Path pcap, int type, String field) throws Exception {
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-Y", "tls.handshake.type == " + type, "-T",
                "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", field)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.Map<Integer, String> out = new java.util.HashMap<>();
        for (String line : new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3 && !f[2].isEmpty()) {
                out.putIfAbsent(Integer.parseInt(type == 1 ? f[0] : f[1]), f[2]);
            }
        }
        p.waitFor();
        return out;
    }

    @Test
    void tls13Draft28JA3OfBothSessions() {
        List<SslRecord> records = ssl("suricata-verify/tls_tls13-draft28/tls13_draft28.pcap");
        assertThat(records).extracting(SslRecord::serverName).containsOnly("localhost");
        assertThat(records).extracting(SslRecord::version).containsOnly("TLSv13-draft28");
        assertThat(records).extracting(SslRecord::ja3).containsExactlyInAnyOrder(
                "d00857e0c8e7a7f35e446508c6233460", "43202faa1c8c1760d6f7f4bd9adde4ab");
    }

    @Test
    void ja3StringsAreCanonical() {
        ClientHello hello = new ClientHello();
        hello.version = 771;
        hello.ciphers = new int[] {0x0a0a, 4866, 4867};
        hello.extensions = new int[] {0x1a1a, 5, 10, 0};
        hello.groups = new int[] {0x2a2a, 23};
        hello.pointFormats = new int[] {0};
        assertThat(TlsFingerprints.ja3String(hello)).isEqualTo("771,4866-4867,5-10-0,23,0");
    }

    @Test
    void ja4OfSuricataJa4Test() {
        List<SslRecord> records = ssl("suricata-verify/ja4-tls/input.pcap");
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.ja4()).isEqualTo("t12i1810s1_27d4652c4487_06a4338d0495");
            assertThat(r.serverName()).isNull();
            assertThat(r.alpn()).containsExactly("spdy/3.1", "http/1.1");
        });
    }

    @Test
    void tls13SniOfCommunityIdCapture() {
        assertThat(ssl("suricata-verify/community-id-ipv4/input.pcap")).singleElement().satisfies(r -> {
            assertThat(r.serverName()).isEqualTo("ipv4.google.com");
            assertThat(r.version()).isEqualTo("TLSv13");
            assertThat(r.id().origP()).isEqualTo(35958);
        });
    }

    @Test
    void clientHelloSplitOverThreeSegments() {
        assertThat(ssl("suricata-verify/tls_tls-client-hello-frag-01/dump_mtu300.pcap")).singleElement()
                .satisfies(r -> {
                    assertThat(r.serverName()).isEqualTo("www.google.com");
                    assertThat(r.subject()).isEqualTo("CN=www.google.com");
                    assertThat(r.issuer()).isEqualTo("CN=GTS CA 1C3,O=Google Trust Services LLC,C=US");
                    assertThat(r.nextProtocol()).isEqualTo("h2");
                });
    }

    @Test
    void zeekSslLogAndX509LogOfConnWithExtensions() {
        assertThat(ssl("zeek/testing/btest/Traces/tls/tls-conn-with-extensions.pcap")).singleElement()
                .satisfies(r -> {
                    assertThat(r.version()).isEqualTo("TLSv10");
                    assertThat(r.cipher()).isEqualTo("TLS_ECDHE_RSA_WITH_RC4_128_SHA");
                    assertThat(r.curve()).isEqualTo("secp256r1");
                    assertThat(r.serverName()).isEqualTo("ssl.gstatic.com");
                    assertThat(r.resumed()).isFalse();
                    assertThat(r.established()).isTrue();
                    assertThat(r.nextProtocol()).isNull();
                    assertThat(r.subject()).isEqualTo("CN=*.gstatic.com,O=Google Inc,L=Mountain View,ST=California,C=US");
                    assertThat(r.issuer()).isEqualTo("CN=Google Internet Authority,O=Google Inc,C=US");
                });
    }

    @Test
    void kyberClientHelloOf1756Bytes() {
        assertThat(ssl("zeek/testing/btest/Traces/tls/chrome-1250-tls-x25519-kyber.pcap")).singleElement()
                .satisfies(r -> {
                    assertThat(r.version()).isEqualTo("TLSv13");
                    assertThat(r.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
                    assertThat(r.curve()).isEqualTo("X25519Kyber768Draft00");
                    assertThat(r.serverName()).isEqualTo("lh3.google.com");
                    assertThat(r.resumed()).isFalse();
                    assertThat(r.established()).isTrue();
                });
    }

    /** The capture starts with the server's packets; the connection is oriented by the client's hello. */
    @Test
    void ndpiReassembledClientHelloSeenServerFirst() {
        assertThat(ssl("ndpi/pcap/tls_2_reasms.pcapng")).singleElement().satisfies(r -> {
            assertThat(r.version()).as("Facebook's Fizz 0xfb1a, as Zeek names it").isEqualTo("unknown-64282");
            assertThat(r.id().origH()).isEqualTo("25.137.80.32");
            assertThat(r.serverName()).isEqualTo("i.instagram.com");
            assertThat(r.alpn()).containsExactly("h2", "h2-fb", "http/1.1");
            assertThat(r.ja3()).isEqualTo("44dab16d680ef93487bc16ad23b3ffb1");
            assertThat(r.ja3s()).isEqualTo("fcb2d4d0991292272fcb1e464eedfd43");
            assertThat(r.ja4()).isEqualTo("t00d0309h2_55b375c5d22e_566d5108064c");
            assertThat(r.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        });
    }

    @Test
    void ndpiEncryptedClientHello() {
        assertThat(ssl("ndpi/pcap/tls_ech.pcapng")).singleElement().satisfies(r -> {
            assertThat(r.serverName()).isEqualTo("performance.radar.cloudflare.com");
            assertThat(r.alpn()).containsExactly("h2", "http/1.1");
            assertThat(r.ja3()).isEqualTo("6820f114cf3b0809ffdcb30cb277848a");
            assertThat(r.ja3s()).isEqualTo("eb1d94daa7e0344597e756a1fb6e7054");
            assertThat(r.ja4()).isEqualTo("t13d1516h2_8daaf6152771_02713d6af862");
            assertThat(r.version()).isEqualTo("TLSv13");
            assertThat(r.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        });
    }

    /**
     * nDPI (at the corpus commit) prints {@code t13d1713ht_…}: it takes the first two characters of
     * {@code http/1.1}, where FoxIO's JA4.md says first and last ({@code h1}). The hashes agree. The
     * client sent ChangeCipherSpec and application data, so the connection counts as encrypted.
     */
    @Test
    void ndpiUnidirectionalClientFollowsTheJa4Spec() {
        assertThat(ssl("ndpi/pcap/tls_1.3_unidirectional_client.pcapng")).singleElement().satisfies(r -> {
            assertThat(r.serverName()).isEqualTo("www.google.com");
            assertThat(r.alpn()).containsExactly("http/1.1");
            assertThat(r.ja3()).isEqualTo("c67e9dc27d283f1f89b4ebb4b4670c21");
            assertThat(r.ja4()).isEqualTo("t13d1713h1_5b57614c22b0_352634941f3a");
            assertThat(r.established()).isFalse();
            assertThat(r.version()).isNull();
        });
    }

    /**
     * Suricata's CONNECT tests: after the proxy's {@code 200}, TLS. The HTTP part is the HTTP analyzer's;
     * fed the bytes from the first TLS record on, the TLS analyzer finds the certificate INDEX.md names.
     * The {@code http-connect-tls} capture's "TLS" is an empty handshake record followed by zeros: it is
     * TLS for detection (Suricata's {@code app_proto tls}), and malformed for the analyzer.
     */
    @Test
    void tlsAfterHttpConnect() {
        CapturingContext qualys = afterConnect("suricata-verify/bug-2430/backwards.pcap");
        assertThat(qualys.anomalies).isEmpty();
        assertThat(qualys.records(SslRecord.class).getFirst().subject()).startsWith("CN=qagpublic.qg1.apps.qualys.com,");
        byte[] tls = {0x16, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
        assertThat(new TlsProtocol().probe(dev.vigil.net.app.Direction.ORIG, java.lang.foreign.MemorySegment.ofArray(tls),
                0, tls.length, 8002)).isEqualTo(dev.vigil.net.app.AppProtocol.Verdict.MATCH);
        CapturingContext synthetic = afterConnect("suricata-verify/http-connect_http-connect-tls/input.pcap");
        assertThat(synthetic.anomalies).containsExactly(
                "tls_bad_record: record type 0 version 0x0 in the client direction; parsing stops");
    }

    private static CapturingContext afterConnect(String capture) {
        Transcript t = Transcript.ofCapture(Requirements.corpora().resolve("pcaps").resolve(capture)).getFirst();
        java.util.List<Transcript.Segment> tls = new java.util.ArrayList<>();
        boolean started = false;
        for (Transcript.Segment s : t.segments()) {
            started |= s.direction() == dev.vigil.net.app.Direction.ORIG && s.bytes().length > 0 && s.bytes()[0] == 22;
            if (started) {
                tls.add(s);
            }
        }
        CapturingContext context = new CapturingContext(t.id());
        Transcript.of(tls.toArray(Transcript.Segment[]::new)).feed(context, new TlsProtocol().create(context));
        return context;
    }
}
