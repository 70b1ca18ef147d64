package dev.vigil.net.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.SshRecord;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenSSH client installed here talks to a loopback listener that answers with a banner and a
 * KEXINIT; its real banner and KEXINIT must yield what {@code ssh -V} and {@code ssh -G} say it offers.
 */
class SshClientTest {

    @Test
    void realOpensshClientHandshake() throws Exception {
        Requirements.requireCommands("ssh");
        List<Transcript.Segment> segments = new ArrayList<>();
        byte[] serverHello = SshAnalyzerTest.concat("SSH-2.0-VigilTest_1.0\r\n".getBytes(StandardCharsets.US_ASCII),
                SshMessages.kexinit(SshMessages.SERVER_LISTS));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process ssh = new ProcessBuilder("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                    "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", "-p",
                    String.valueOf(listener.getLocalPort()), "vigil@127.0.0.1", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (Socket socket = listener.accept()) {
                socket.getOutputStream().write(serverHello);
                segments.add(new Transcript.Segment(Direction.RESP, serverHello));
                socket.setSoTimeout(1500);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                try {
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        segments.add(new Transcript.Segment(Direction.ORIG, Arrays.copyOf(buffer, n)));
                    }
                } catch (SocketTimeoutException waitingForOurKeyExchangeReply) {
                    // the client sent its KEXINIT and key exchange init and now waits for us
                }
            } finally {
                ssh.destroy();
                ssh.waitFor(5, TimeUnit.SECONDS);
            }
        }
        CapturingContext context = new CapturingContext();
        Transcript.of(segments.toArray(Transcript.Segment[]::new)).feed(context, new SshProtocol().create(context));

        String version = run("ssh", "-V").strip();
        String banner = "SSH-2.0-" + version.substring(0, version.indexOf(','));
        Map<String, String> config = run("ssh", "-F", "/dev/null", "-G", "127.0.0.1").lines()
                .map(l -> l.split(" ", 2)).filter(kv -> kv.length == 2)
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> a));
        assertThat(context.anomalies).isEmpty();
        assertThat(context.encrypted).as("banners and both KEXINITs were exchanged").isTrue();
        assertThat(context.records(SshRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.client()).isEqualTo(banner);
            assertThat(r.server()).isEqualTo("SSH-2.0-VigilTest_1.0");
            assertThat(r.version()).isEqualTo(2);
            assertThat(r.kexAlg()).isEqualTo(SshAnalyzer.negotiate(config.get("kexalgorithms"), SshMessages.SERVER_LISTS[0]));
            assertThat(r.hostKeyAlg()).isEqualTo(
                    SshAnalyzer.negotiate(config.get("hostkeyalgorithms"), SshMessages.SERVER_LISTS[1]));
            assertThat(r.cipherAlg()).isEqualTo(SshAnalyzer.negotiate(config.get("ciphers"), SshMessages.SERVER_LISTS[2]));
            assertThat(r.macAlg()).isEqualTo(SshAnalyzer.negotiate(config.get("macs"), SshMessages.SERVER_LISTS[4]));
            assertThat(r.compressionAlg()).isEqualTo("none");
            assertThat(r.hassh()).matches("[0-9a-f]{32}");
        });
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
