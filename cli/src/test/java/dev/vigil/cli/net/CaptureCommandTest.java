package dev.vigil.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.PacketReader;
import dev.vigil.net.pcap.PcapFiles;
import dev.vigil.testkit.Requirements;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil capture} on loopback (root): records and a pcap of a real TCP exchange. */
class CaptureCommandTest {

    @TempDir
    Path dir;

    @Test
    void capturesALoopbackConnection() throws Exception {
        Requirements.requireRoot();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path pcap = dir.resolve("lo.pcap");
        Path jsonl = dir.resolve("lo.jsonl");
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                CommandLine cli = Vigil.commandLine();
                cli.setOut(new PrintWriter(out));
                cli.setErr(new PrintWriter(err));
                return cli.execute("capture", "--iface", "lo", "--duration", "4s", "--filter", "tcp port " + port,
                        "-w", pcap.toString(), "--jsonl", jsonl.toString());
            });
            for (int i = 0; i < 100 && !err.toString().contains("capturing on lo"); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(200);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket accepted = server.accept()) {
                OutputStream o = client.getOutputStream();
                o.write("ping!".getBytes());
                o.flush();
                InputStream in = accepted.getInputStream();
                assertThat(in.readNBytes(5)).isEqualTo("ping!".getBytes());
                accepted.getOutputStream().write("pong".getBytes());
                client.getInputStream().readNBytes(4);
            }
            assertThat(run.get()).as(err.toString()).isZero();
            String records = java.nio.file.Files.readString(jsonl);
            assertThat(records).contains("\"id.resp_p\":" + port, "\"orig_bytes\":5", "\"resp_bytes\":4",
                    "\"conn_state\":\"SF\"");
            assertThat(err.toString()).contains("vigil: capturing on lo", "vigil: lo: ");
            long frames = 0;
            try (PacketReader r = PcapFiles.open(pcap)) {
                Frame f = new Frame();
                while (r.next(f)) {
                    frames++;
                }
            }
            assertThat(frames).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void unknownPodIsExplained() {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("capture", "--pod", "nowhere/nothing")).isEqualTo(1);
        assertThat(err.toString()).contains("no pod nowhere/nothing on this node (no network namespace "
                + "vigil-nowhere-nothing in /run/netns); list pods' namespaces with: ip netns list, or pass --iface");
    }
}
