package dev.vigil.net.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.net.decode.Packet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PacketRing} between two threads: every entry arrives once, in order, with its fields and
 * payload bytes, while payloads wrap around the byte ring and the producer waits on a full ring;
 * an oversized payload is refused; aborting wakes a waiting side with an error.
 */
class PacketRingTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 0x5eed})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void entriesCrossIntactWhilePayloadsWrapAndTheRingFills(long seed) throws InterruptedException {
        int entries = 60_000;
        PacketRing ring = new PacketRing();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                check(ring, seed, entries);
            } catch (Throwable t) {
                failure.set(t);
                ring.abort();
            }
        });
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom random = new SplittableRandom(seed);
            Packet p = new Packet();
            p.data = arena.allocate(70_000);
            for (int i = 0; i < entries; i++) {
                if (random.nextInt(50) == 0) {
                    ring.putTick(i, i * 10L);
                    continue;
                }
                int length = random.nextInt(20) == 0 ? random.nextInt(65_536) : random.nextInt(1_500);
                p.payloadOffset = random.nextInt(64);
                p.payloadLength = length;
                p.srcPort = i & 0xffff;
                p.seq = i;
                p.tsMicros = i * 3L;
                for (int b = 0; b < length; b++) {
                    p.data.set(ValueLayout.JAVA_BYTE, p.payloadOffset + b, (byte) (i + b));
                }
                ring.putPacket(p, i, i * 10L);
                if (random.nextInt(200) == 0) {
                    ring.dispatch(i);
                }
            }
            ring.putEnd(entries * 10L);
        } catch (IllegalStateException aborted) {
            // the consumer failed: its error is reported below
        }
        consumer.join();
        ring.close();
        assertThat(failure.get()).as("seed %x", seed).isNull();
    }

    private static void check(PacketRing ring, long seed, int entries) {
        Packet p = new Packet();
        long head = 0;
        int expected = 0;
        while (true) {
            long tail = ring.await(head);
            for (; head < tail; head++) {
                int kind = ring.kind(head);
                if (kind == PacketRing.END) {
                    assertThat(expected).as("seed %x: entries before the end", seed).isEqualTo(entries);
                    return;
                }
                assertThat(ring.frame(head)).as("seed %x: entry %d", seed, expected).isEqualTo(expected);
                assertThat(ring.mono(head)).isEqualTo(expected * 10L);
                if (kind == PacketRing.PACKET) {
                    ring.fill(head, p);
                    assertThat(p.seq).isEqualTo(expected);
                    assertThat(p.srcPort).isEqualTo(expected & 0xffff);
                    assertThat(p.tsMicros).isEqualTo(expected * 3L);
                    for (int b = 0; b < p.payloadLength; b++) {
                        if (p.data.get(ValueLayout.JAVA_BYTE, p.payloadOffset + b) != (byte) (expected + b)) {
                            throw new AssertionError("seed " + Long.toHexString(seed) + ": entry " + expected
                                    + ", payload byte " + b + " of " + p.payloadLength + " differs");
                        }
                    }
                } else {
                    assertThat(kind).isEqualTo(PacketRing.TICK);
                }
                expected++;
                if ((head & 31) == 31) {
                    ring.release(head + 1);
                }
            }
            ring.release(head);
        }
    }

    @Test
    void aPayloadBeyondTheLimitIsRefused() {
        PacketRing ring = new PacketRing();
        try (Arena arena = Arena.ofConfined()) {
            Packet p = new Packet();
            p.data = arena.allocate(PacketRing.MAX_PAYLOAD + 1);
            p.payloadLength = PacketRing.MAX_PAYLOAD;
            ring.putPacket(p, 0, 0);
            p.payloadLength = PacketRing.MAX_PAYLOAD + 1;
            assertThatThrownBy(() -> ring.putPacket(p, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("payload of " + (PacketRing.MAX_PAYLOAD + 1) + " bytes exceeds " + PacketRing.MAX_PAYLOAD);
        } finally {
            ring.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void abortWakesAWaitingConsumerWithAnError() throws InterruptedException {
        PacketRing ring = new PacketRing();
        AtomicReference<Throwable> woke = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                ring.await(0);
            } catch (Throwable t) {
                woke.set(t);
            }
        });
        Thread.sleep(50);
        ring.abort();
        consumer.join();
        ring.close();
        assertThat(woke.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("packet ring aborted");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void abortWakesAProducerWaitingOnAFullRing() throws InterruptedException {
        PacketRing ring = new PacketRing();
        AtomicReference<Throwable> woke = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            Packet p = new Packet();
            p.data = MemorySegment.ofArray(new byte[0]);
            try {
                for (int i = 0; i <= PacketRing.SLOTS; i++) {
                    ring.putPacket(p, i, 0);
                }
            } catch (Throwable t) {
                woke.set(t);
            }
        });
        Thread.sleep(50);
        ring.abort();
        producer.join();
        ring.close();
        assertThat(woke.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("packet ring aborted");
    }
}
