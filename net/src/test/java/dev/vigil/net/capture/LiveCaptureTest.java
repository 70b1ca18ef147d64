package dev.vigil.net.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.analysis.RecordingSink;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.LinkType;
import dev.vigil.net.pcap.PacketReader;
import dev.vigil.net.pcap.PcapFiles;
import dev.vigil.net.pcap.PcapWriter;
import dev.vigil.testkit.Requirements;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live capture through the FFM libpcap binding on the host side of two pod-like namespaces (root). */
class LiveCaptureTest {

    @TempDir
    Path dir;

    @BeforeEach
    void preconditions() {
        Requirements.requireRoot();
        Requirements.requireCommands("ip", "socat", "ping");
    }

    @Test
    void podVethsAreFoundFromTheirNamespaces() throws Exception {
        try (TwoPods pods = new TwoPods()) {
            assertThat(PodInterfaces.hostInterface(TwoPods.A)).isEqualTo("vigilta0");
            assertThat(PodInterfaces.all()).containsEntry(TwoPods.B, "vigiltb0");
            assertThat(PodInterfaces.all(java.util.Map.of(TwoPods.B, "vigiltb0"))).containsEntry(TwoPods.B, "vigiltb0")
                    .containsEntry(TwoPods.A, "vigilta0");
            assertThat(PodInterfaces.findPodNetns("nowhere", "nothing")).isNull();
        }
    }

    @Test
    void anIdleInterfaceTimesOutSoItsFlowsCanExpire() throws Exception {
        try (TwoPods pods = new TwoPods()) {
            LiveCapture capture = LiveCapture.open("vigilta0", CaptureOptions.defaults().withFilter("tcp port 1"));
            try {
                Frame frame = new Frame();
                long start = System.nanoTime();
                int timeouts = 0;
                while (System.nanoTime() - start < 1_000_000_000L) {
                    if (capture.next(frame) == LiveCapture.TIMEOUT) {
                        timeouts++;
                    }
                }
                // libpcap's own blocking read waits for the kernel's next block, which never comes on an idle link
                assertThat(timeouts).as("read timeouts of %d ms in a second", CaptureOptions.DEFAULT_TIMEOUT_MS)
                        .isBetween(5, 11);
            } finally {
                capture.close();
            }
        }
    }

    @Test
    void tcpAndIcmpBetweenPodsBecomeConnRecordsAndAPcap() throws Exception {
        RecordingSink sink = new RecordingSink();
        List<String> log = new CopyOnWriteArrayList<>();
        Path file = dir.resolve("live.pcap");
        try (TwoPods pods = new TwoPods();
             PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET, 65_535)) {
            CaptureSession session = new CaptureSession(CaptureOptions.defaults().withFilter("tcp or icmp"),
                    iface -> new Pipeline(PipelineConfig.defaults(), null, sink), writer, log::add);
            session.sync(Set.of("vigilta0"));
            assertThat(session.interfaces()).containsExactly("vigilta0");
            pods.background(TwoPods.B, "socat -u TCP-LISTEN:9000,reuseaddr OPEN:/dev/null");
            Thread.sleep(300);
            TwoPods.exec(TwoPods.A, "echo hello | socat -u - TCP:" + TwoPods.B_IP + ":9000,retry=20,interval=0.1");
            TwoPods.exec(TwoPods.A, "ping -c 2 -i 0.2 " + TwoPods.B_IP);
            Thread.sleep(300);
            LiveCapture.Stats stats = session.stats().get("vigilta0");
            assertThat(stats.received()).isGreaterThanOrEqualTo(8);
            session.close();
        }
        List<ConnRecord> conns = sink.conns();
        ConnRecord tcp = conns.stream().filter(c -> c.id().proto().equals("tcp")).findFirst().orElseThrow();
        assertThat(tcp.id().origH()).isEqualTo(TwoPods.A_IP);
        assertThat(tcp.id().respH()).isEqualTo(TwoPods.B_IP);
        assertThat(tcp.id().respP()).isEqualTo(9000);
        assertThat(tcp.origBytes()).isEqualTo(6);
        assertThat(tcp.connState()).isEqualTo("SF");
        assertThat(tcp.history()).startsWith("ShAD");
        ConnRecord icmp = conns.stream().filter(c -> c.id().proto().equals("icmp")).findFirst().orElseThrow();
        assertThat(icmp.id().origP()).isEqualTo(8);
        assertThat(icmp.origPkts()).isEqualTo(2);
        assertThat(icmp.respPkts()).isEqualTo(2);
        assertThat(log).contains("capturing on vigilta0");
        long frames = 0;
        try (PacketReader reader = PcapFiles.open(file)) {
            Frame f = new Frame();
            while (reader.next(f)) {
                frames++;
            }
        }
        assertThat(frames).isGreaterThanOrEqualTo(tcp.origPkts() + tcp.respPkts() + 4);
    }

    @Test
    void sessionFollowsInterfacesAsPodsComeAndGo() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingSink sink = new RecordingSink();
        try (TwoPods pods = new TwoPods();
             CaptureSession session = new CaptureSession(CaptureOptions.defaults(),
                     iface -> new Pipeline(PipelineConfig.defaults(), null, sink), null, log::add)) {
            session.sync(Set.copyOf(PodInterfaces.all().values()));
            assertThat(session.interfaces()).contains("vigilta0", "vigiltb0");
            session.sync(Set.of("vigiltb0", "vigil-gone0"));
            assertThat(session.interfaces()).containsExactly("vigiltb0");
            assertThat(log).contains("stopped capturing on vigilta0");
            assertThat(log).anyMatch(l -> l.startsWith("no interface named vigil-gone0"));
            assertThat(session.stats()).containsKeys("vigilta0", "vigiltb0");
        }
    }

    @Test
    void badFilterAndMissingInterfaceAreExplained() throws Exception {
        assertThatThrownBy(() -> LiveCapture.open("vigil-none0", CaptureOptions.defaults()))
                .isInstanceOf(CaptureException.class)
                .hasMessageStartingWith("no interface named vigil-none0 (")
                .hasMessageEndingWith("); list interfaces with: ip link");
        try (LiveCapture capture = LiveCapture.open("lo", CaptureOptions.defaults())) {
            assertThatThrownBy(() -> capture.setFilter("tcp port nonsense"))
                    .isInstanceOf(CaptureException.class)
                    .hasMessageStartingWith("bad capture filter 'tcp port nonsense': ");
            assertThat(capture.linkType()).isEqualTo(LinkType.ETHERNET);
        }
    }
}
