package dev.vigil.lab.attack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code weak-tls}: TLS 1.0 and TLS 1.1 handshakes with a legacy server. The scenario starts
 * {@code openssl s_server} on {@code legacy.example.net:443} (203.0.113.44) allowing only TLS 1.0
 * and 1.1 at OpenSSL security level 0, with a throw-away self-signed certificate; the client is
 * {@code openssl s_client -tls1} / {@code -tls1_1} with {@code -cipher DEFAULT:@SECLEVEL=0}. The
 * effect: the server's {@code -www} page reports the protocol it negotiated.
 */
final class WeakTls implements Technique {

    static final int PORT = 443;
    static final String CIPHERS = "DEFAULT:@SECLEVEL=0";
    /** Client flag → the protocol the server must report. */
    static final List<String[]> HANDSHAKES = List.of(new String[] {"-tls1", "TLSv1"}, new String[] {"-tls1_1", "TLSv1.1"});

    private static final Pattern PROTOCOL = Pattern.compile("(?m)^\\s*Protocol\\s*:\\s*(\\S+)");

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        AttackerHost legacy = AttackerHost.named("legacy.example.net");
        Path dir = Files.createTempDirectory("vigil-attack-tls-");
        run.onCleanup("remove " + dir, () -> Toolkit.deleteTree(dir));
        try (AttackRun.Preparation p = run.preparation()) {
            Path key = dir.resolve("key.pem");
            Path cert = dir.resolve("cert.pem");
            run.host("make a self-signed certificate for " + legacy.name(), "host", List.of("openssl", "req", "-x509", "-newkey",
                    "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + legacy.name(), "-addext", "subjectAltName=DNS:" + legacy.name(),
                    "-keyout", key.toString(), "-out", cert.toString()), Duration.ofSeconds(30));
            Process server = legacy.start(run, List.of("openssl", "s_server", "-accept", legacy.ip() + ":" + PORT,
                    "-cert", cert.toString(), "-key", key.toString(), "-min_protocol", "TLSv1", "-max_protocol", "TLSv1.1",
                    "-cipher", CIPHERS, "-www"), dir.resolve("s_server.log"));
            long start = AttackRun.nowNanos();
            legacy.awaitListening(PORT, server);
            run.record("legacy TLS server (openssl s_server, TLS 1.0-1.1, SECLEVEL=0) listening", legacy + ":" + PORT, start, "");
        }

        String openssl = run.toolkit().ensure(from, "openssl");
        for (String[] handshake : HANDSHAKES) {
            AttackRun.Ran client = run.command(from, openssl, "s_client", "-connect", legacy.name() + ":" + PORT, "-servername",
                            legacy.name(), handshake[0], "-cipher", CIPHERS, "-quiet")
                    .input("GET / HTTP/1.0\r\n\r\n").timeout(Duration.ofSeconds(20))
                    .run("TLS handshake " + handshake[0] + " with " + legacy.name() + " and GET /");
            Matcher m = PROTOCOL.matcher(client.stdout());
            String negotiated = m.find() ? m.group(1) : "(none)";
            run.check(negotiated.equals(handshake[1]), "the server reported protocol " + negotiated + " for " + handshake[0]
                    + ", not " + handshake[1] + ": " + client.stdout());
            run.evidence(legacy + " negotiated " + negotiated + " with " + from.pod().name() + " (its -www page: Protocol : "
                    + negotiated + ")");
        }
    }
}
