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
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil capture} on loopback (root): records and a pcap of a real TCP exchange. */
class CaptureCommandTest {

    /** Commands run on a thread of their own: fabric8's informers need the common pool, which has one thread here. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> Thread.ofPlatform().start(task);

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
            }, OWN_THREAD);
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

    /** With --kubeconfig, records name the pod that held each address (the API server is fabric8's mock in CRUD mode). */
    @Test
    void podNamesFromTheClusterAreAddedToRecords() throws Exception {
        Requirements.requireRoot();
        java.util.Map<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>
                expectations = new HashMap<>();
        KubernetesMockServer api = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                expectations, new KubernetesMixedDispatcher(expectations), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = api.createClient();
             ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            client.pods().inNamespace("shop").resource(new PodBuilder()
                    .withNewMetadata().withName("web-0").withNamespace("shop").withCreationTimestamp("2020-01-01T00:00:00Z")
                    .endMetadata()
                    .withNewSpec().withNodeName("node-1").addNewContainer().withName("web").withImage("nginx").endContainer()
                    .endSpec()
                    .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").withStartTime("2020-01-01T00:00:00Z")
                    .endStatus().build()).create();
            Path kubeconfig = java.nio.file.Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: http://127.0.0.1:%d
                    contexts:
                    - name: mock
                      context: {cluster: mock, user: tester}
                    current-context: mock
                    users:
                    - name: tester
                      user: {token: test}
                    """.formatted(api.getPort()));
            Path jsonl = dir.resolve("named.jsonl");
            StringWriter err = new StringWriter();
            int port = server.getLocalPort();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                CommandLine cli = Vigil.commandLine();
                cli.setErr(new PrintWriter(err));
                return cli.execute("capture", "--iface", "lo", "--duration", "4s", "--filter", "tcp port " + port,
                        "--kubeconfig", kubeconfig.toString(), "--jsonl", jsonl.toString());
            }, OWN_THREAD);
            for (int i = 0; i < 200 && !err.toString().contains("capturing on lo"); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(200);
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port); Socket a = server.accept()) {
                c.getOutputStream().write(1);
                a.getInputStream().read();
            }
            assertThat(run.get()).as(err.toString()).isZero();
            assertThat(java.nio.file.Files.readString(jsonl)).contains("\"id.resp_p\":" + port,
                    "\"orig_namespace\":\"shop\"", "\"orig_pod\":\"web-0\"", "\"orig_workload\":\"shop/web-0\"",
                    "\"orig_workload_kind\":\"Pod\"", "\"resp_pod\":\"web-0\"");
        } finally {
            api.destroy();
        }
    }

    @Test
    void unknownPodIsExplained() {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("capture", "--pod", "nowhere/nothing")).isEqualTo(1);
        assertThat(err.toString()).contains("no pod nowhere/nothing on this node (no network namespace "
                + "vigil-lab-nowhere-nothing or vigil-nowhere-nothing in /run/netns, or several pods of that workload);"
                + " list pods' namespaces with: ip netns list, or pass --iface");
    }
}
