package dev.vigil.net.analysis;

import dev.vigil.net.decode.Packet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hand-over of one decoded packet from the reader to a flow worker through a {@link PacketRing}
 * (header fields plus a copy of a {@code payload}-byte payload): {@code sameThread} puts a batch and
 * takes it back on one thread (the cost of the copy and the fields, no contention), {@code toConsumer}
 * puts while a consumer thread drains the ring (the cost the reader pays per packet with the worker
 * running). Allocation-free per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketRingBenchmark {

    private static final int BATCH = 64;

    @Param({"0", "100", "1400"})
    public int payload;

    private final Packet in = new Packet();
    private final Packet out = new Packet();
    private Arena arena;
    private PacketRing local;
    private long localHead;
    private PacketRing shared;
    private Thread consumer;
    private long frame;

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofConfined();
        in.data = arena.allocate(2048);
        in.payloadOffset = 54;
        in.payloadLength = payload;
        in.protocol = Packet.TCP;
        in.ipVersion = 4;
        in.srcLo = 0x0a00_0001L;
        in.dstLo = 0x0a00_0002L;
        in.srcPort = 40_000;
        in.dstPort = 443;
        in.tcpFlags = Packet.ACK;
        local = new PacketRing();
        shared = new PacketRing();
        PacketRing ring = shared;
        consumer = Thread.ofPlatform().name("ring-consumer").daemon().start(() -> drain(ring));
    }

    private static void drain(PacketRing ring) {
        Packet p = new Packet();
        long head = 0;
        try {
            while (true) {
                long tail = ring.await(head);
                for (; head < tail; head++) {
                    ring.fill(head, p);
                }
                ring.release(head);
            }
        } catch (IllegalStateException aborted) {
            // the trial is over
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        shared.abort();
        consumer.join();
        shared.close();
        local.close();
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sameThread() {
        for (int i = 0; i < BATCH; i++) {
            local.putPacket(in, frame++, frame);
        }
        local.publish();
        long sum = 0;
        long tail = local.published();
        for (; localHead < tail; localHead++) {
            local.fill(localHead, out);
            sum += out.payloadLength;
        }
        local.release(localHead);
        return sum;
    }

    @Benchmark
    public long toConsumer() {
        shared.putPacket(in, frame++, frame);
        return frame;
    }
}
