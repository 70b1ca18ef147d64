package dev.vigil.net.ssh;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.SshRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Hashes;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.Wire;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class SshAnalyzerTest {

    static final String[] CLIENT_LISTS = {
            "sntrup761x25519-sha512@openssh.com,curve25519-sha256,ext-info-c", "ssh-ed25519",
            "chacha20-poly1305@openssh.com,aes128-ctr", "chacha20-poly1305@openssh.com,aes256-ctr",
            "umac-64-etm@openssh.com,hmac-sha2-256", "hmac-sha2-512", "none,zlib@openssh.com", "none", "", ""};
    static final byte[] HOST_KEY = Wire.create().prefixed(4, Wire.create().ascii("ssh-ed25519"))
            .prefixed(4, Wire.create().zeros(32)).toByteArray();

    static Transcript session() {
        return Transcript.of(
                orig("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n"),
                resp("SSH-2.0-OpenSSH_8.9\r\n"),
                orig(SshMessages.kexinit(CLIENT_LISTS)),
                resp(SshMessages.kexinit(SshMessages.SERVER_LISTS)),
                orig(SshMessages.packet(Wire.create().u8(30).prefixed(4, Wire.create().zeros(32)))),
                resp(concat(SshMessages.kexReply(HOST_KEY), SshMessages.newKeys())),
                orig(concat(SshMessages.newKeys(), new byte[64])),
                resp(new byte[100]));
    }

    static byte[] concat(byte[] a, byte[] b) {
        return Wire.create().bytes(a).bytes(b).toByteArray();
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new SshProtocol().create(context));
        return context;
    }

    @Test
    void handshakeUpToNewKeys() {
        Transcript t = session();
        t.assertSameEverywhere(c -> new SshProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(SshRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo(2);
            assertThat(r.client()).isEqualTo("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13");
            assertThat(r.server()).isEqualTo("SSH-2.0-OpenSSH_8.9");
            assertThat(r.kexAlg()).isEqualTo("curve25519-sha256");
            assertThat(r.hostKeyAlg()).isEqualTo("ssh-ed25519");
            assertThat(r.cipherAlg()).isEqualTo("To server: aes128-ctr, to client: aes256-ctr");
            assertThat(r.macAlg()).isEqualTo("To server: hmac-sha2-256, to client: hmac-sha2-512");
            assertThat(r.compressionAlg()).isEqualTo("none");
            assertThat(r.hostKey()).isEqualTo(HexFormat.ofDelimiter(":").formatHex(Hashes.digest("MD5", HOST_KEY)));
            assertThat(r.hassh()).isEqualTo(Hashes.md5("sntrup761x25519-sha512@openssh.com,curve25519-sha256,ext-info-c;"
                    + "chacha20-poly1305@openssh.com,aes128-ctr;umac-64-etm@openssh.com,hmac-sha2-256;none,zlib@openssh.com"));
            assertThat(r.hasshServer()).isEqualTo(Hashes.md5(
                    "curve25519-sha256,diffie-hellman-group14-sha256;aes256-ctr,aes128-ctr;hmac-sha2-256,hmac-sha2-512;none"));
        });
        assertThat(context.encrypted).isTrue();
        assertThat(context.services).containsExactly("ssh");
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void ssh1StopsAfterBannersAndNoAlgorithmIsShared() {
        CapturingContext context = run(Transcript.of(orig("SSH-1.5-OldClient\n"), resp("SSH-1.99-Server\r\n"),
                orig(new byte[] {0, 0, 1, 4, 9, 9, 9})));
        assertThat(context.records(SshRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo(1);
            assertThat(r.kexAlg()).isNull();
        });
        assertThat(SshAnalyzer.negotiate("a,b", "c")).isEqualTo("Algorithm negotiation failed");
    }

    @Test
    void serverLinesBeforeTheBannerUpToTheLimit() {
        String lines = "hello\r\n".repeat(SshAnalyzer.MAX_PRE_BANNER_LINES);
        CapturingContext ok = run(Transcript.of(orig("SSH-2.0-c\r\n"), resp(lines + "SSH-2.0-s\r\n")));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(SshRecord.class)).singleElement().satisfies(r -> assertThat(r.server()).isEqualTo("SSH-2.0-s"));
        CapturingContext tooMany = run(Transcript.of(orig("SSH-2.0-c\r\n"), resp(lines + "x\r\nSSH-2.0-s\r\n")));
        assertThat(tooMany.anomalies).containsExactly("ssh_no_banner: the server sent 33 lines not starting with SSH-; parsing stops");
    }

    @Test
    void bannerLineLimit() {
        String atLimit = "SSH-2.0-" + "x".repeat(SshAnalyzer.MAX_LINE - 10) + "\r\n";
        assertThat(atLimit).hasSize(SshAnalyzer.MAX_LINE);
        assertThat(run(Transcript.of(orig(atLimit))).anomalies).isEmpty();
        String over = "SSH-2.0-" + "x".repeat(SshAnalyzer.MAX_LINE - 9) + "\r\n";
        assertThat(run(Transcript.of(orig(over))).anomalies).containsExactly(
                "ssh_banner_too_long: no end of line in the first 1024 bytes of the client banner; parsing stops");
    }

    @Test
    void packetLengthLimit() {
        byte[] atLimit = Wire.create().u32(SshAnalyzer.MAX_PACKET_LENGTH).u8(4).u8(94)
                .zeros(SshAnalyzer.MAX_PACKET_LENGTH - 2).toByteArray();
        assertThat(run(Transcript.of(orig("SSH-2.0-c\r\n"), orig(atLimit), orig(SshMessages.newKeys()))).anomalies).isEmpty();
        byte[] over = Wire.create().u32(SshAnalyzer.MAX_PACKET_LENGTH + 1).u8(4).u8(94).toByteArray();
        assertThat(run(Transcript.of(orig("SSH-2.0-c\r\n"), orig(over))).anomalies).containsExactly(
                "ssh_bad_packet: packet length 35001 (limit 35000) padding 4 in the client direction; parsing stops");
    }

    @Test
    void nameListLimit() {
        String[] lists = CLIENT_LISTS.clone();
        lists[0] = "k".repeat(SshAnalyzer.MAX_NAME_LIST);
        lists[2] = "c".repeat(SshAnalyzer.MAX_NAME_LIST + 1);
        CapturingContext context = run(Transcript.of(orig(concat("SSH-2.0-c\r\n".getBytes(), SshMessages.kexinit(lists)))));
        assertThat(context.records(SshRecord.class)).singleElement().satisfies(r -> assertThat(r.hassh()).isEqualTo(
                Hashes.md5(lists[0] + ";" + "c".repeat(SshAnalyzer.MAX_NAME_LIST) + ";" + lists[4] + ";" + lists[6])));
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void probeNeedsTheVersionDigits() {
        SshProtocol p = new SshProtocol();
        byte[] b = "SSH-2.0-x".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < 7; n++) {
            assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(b), 0, n, 22)).isEqualTo(Verdict.NEED_MORE);
        }
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(b), 0, 7, 22)).isEqualTo(Verdict.MATCH);
        byte[] other = "SSH is a protocol".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(other), 0, other.length, 22)).isEqualTo(Verdict.NO_MATCH);
        byte[] http = "GET /".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(http), 0, http.length, 22)).isEqualTo(Verdict.NO_MATCH);
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        session().assertMutationsSafe(0x55aL * info.getCurrentRepetition(), 3, c -> new SshProtocol().create(c),
                5);
    }
}
