package dev.vigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rtnetlink dump against the real kernel: a veth pair between a namespace of the test's own and the host. */
class NetnsLinksTest {

    @Test
    void findsThePeerOfEth0OnTheHostSide() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("ip");
        String id = HexFormat.of().toHexDigits(new SplittableRandom().nextInt()).substring(0, 8);
        String netns = "vigiltest-agent-" + id;
        String hostSide = "vigilta" + id;
        try {
            run("ip", "netns", "add", netns);
            run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "vigiltp" + id);
            run("ip", "link", "set", "vigiltp" + id, "netns", netns);
            run("ip", "-n", netns, "link", "set", "vigiltp" + id, "name", "eth0");

            List<LinkDumpDecoder.Link> inside = NetnsLinks.in("/run/netns/" + netns);
            LinkDumpDecoder.Link eth0 = PodFollower.podEnd(inside);
            assertThat(eth0).isNotNull();
            assertThat(eth0.name()).isEqualTo("eth0");
            assertThat(eth0.peerElsewhere()).isTrue();
            assertThat(inside).extracting(LinkDumpDecoder.Link::name).contains("lo");

            int hostIndex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", hostSide, "ifindex")).strip());
            assertThat(eth0.peerIndex()).isEqualTo(hostIndex);
            LinkDumpDecoder.Link host = NetnsLinks.here().stream().filter(l -> l.index() == hostIndex).findFirst().orElseThrow();
            assertThat(host.name()).isEqualTo(hostSide);
            assertThat(host.kind()).isEqualTo("veth");
            assertThat(host.peerIndex()).isEqualTo(eth0.index());
        } finally {
            runQuietly("ip", "link", "del", hostSide);
            runQuietly("ip", "netns", "del", netns);
        }
        assertThat(Path.of("/run/netns", netns)).doesNotExist();
    }

    @Test
    void missingNamespaceSaysTheProcessEnded() {
        Requirements.requireRoot();
        assertThatThrownBy(() -> NetnsLinks.in("/proc/2147483647/ns/net"))
                .isInstanceOf(PodNetworkException.class)
                .hasMessage("cannot open /proc/2147483647/ns/net: ENOENT (2) (the process ended)");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static void runQuietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort cleanup; the assertion after it checks the namespace is gone
        }
    }
}
