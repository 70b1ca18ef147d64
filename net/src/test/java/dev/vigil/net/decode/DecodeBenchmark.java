package dev.vigil.net.decode;

import dev.vigil.net.analysis.TestFrames;
import dev.vigil.net.pcap.Frame;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Packet decoding (Ethernet/VLAN/IPv4/TCP, IPv6/UDP, PPPoE in QinQ), per packet; must not allocate (run with -prof gc). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {

    private final PacketDecoder decoder = new PacketDecoder();
    private final Packet packet = new Packet();
    private Frame tcp4;
    private Frame udp6;
    private Frame pppoe;

    @Setup
    public void setup() {
        tcp4 = TestFrames.tcpFrame("10.0.0.1", 40000, "10.0.0.2", 443, 1, 1, TestFrames.ACK, new byte[1200], 1);
        byte[] ip6 = PacketDecoderTest.ip6(17, TestFrames.udp(5353, 53, new byte[64]));
        tcp4.linkType = 1;
        udp6 = TestFrames.frame(TestFrames.ethernet(ip6, 100), 1, 1);
        byte[] ip4 = TestFrames.ipv4("10.0.0.1", "10.0.0.2", 17, TestFrames.udp(40000, 53, new byte[64]));
        byte[] ppp = new byte[2 + ip4.length];
        ppp[1] = 0x21;
        System.arraycopy(ip4, 0, ppp, 2, ip4.length);
        pppoe = TestFrames.frame(PacketDecoderTest.pppoe(ppp, 100, 200), 1, 1);
    }

    @Benchmark
    public int ethernetIpv4Tcp() {
        return decoder.decode(tcp4, packet) + packet.dstPort;
    }

    @Benchmark
    public int vlanIpv6Udp() {
        return decoder.decode(udp6, packet) + packet.dstPort;
    }

    @Benchmark
    public int qinqPppoeIpv4Udp() {
        return decoder.decode(pppoe, packet) + packet.dstPort;
    }
}
