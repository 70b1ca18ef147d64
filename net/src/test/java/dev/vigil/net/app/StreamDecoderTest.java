package dev.vigil.net.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class StreamDecoderTest {

    /** Messages are a length byte and a body; bodies over {@code limit} are skipped, keeping their first byte. */
    private static final class Framed extends StreamDecoder {
        final List<String> messages = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final int limit;
        int maxBuffered;

        Framed(int limit) {
            super(limit + 1);
            this.limit = limit;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            maxBuffered = Math.max(maxBuffered, buffered());
            int size = Bytes.u8(in, offset);
            if (size > limit) {
                if (length < 2) {
                    return needMore(2);
                }
                messages.add("skipped " + size + " starting " + (char) Bytes.u8(in, offset + 1));
                skip(size - 1);
                return 2;
            }
            if (length < 1 + size) {
                return needMore(1 + size);
            }
            messages.add(Bytes.latin1(in, offset + 1, size, size));
            return 1 + size;
        }

        @Override
        protected void overflow(String detail) {
            problems.add(detail);
        }
    }

    private static byte[] stream() {
        Wire w = Wire.create();
        w.u8(3).ascii("abc").u8(0).u8(10).ascii("0123456789").u8(40).ascii("x").zeros(39).u8(1).ascii("z");
        return w.toByteArray();
    }

    @Test
    void decodesInPlaceAndSkipsLongBodies() {
        Framed f = new Framed(16);
        byte[] b = stream();
        f.feed(MemorySegment.ofArray(b), 0, b.length);
        assertThat(f.messages).containsExactly("abc", "", "0123456789", "skipped 40 starting x", "z");
        assertThat(f.maxBuffered).isZero();
    }

    @RepeatedTest(100)
    void anySplitGivesTheSameMessages(RepetitionInfo info) {
        long seed = info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = stream();
        Framed f = new Framed(16);
        int at = 0;
        while (at < b.length) {
            int n = Math.min(b.length - at, 1 + random.nextInt(6));
            byte[] chunk = new byte[n + 3];
            System.arraycopy(b, at, chunk, 3, n);
            f.feed(MemorySegment.ofArray(chunk), 3, n);
            at += n;
        }
        assertThat(f.messages).as("seed %d", seed).containsExactly("abc", "", "0123456789", "skipped 40 starting x", "z");
        assertThat(f.maxBuffered).as("seed %d", seed).isLessThanOrEqualTo(17);
    }

    @Test
    void askingBeyondCapacityStopsWithAProblem() {
        StreamDecoder greedy = new StreamDecoder(8) {
            @Override
            protected int decode(MemorySegment in, long offset, int length) {
                return needMore(9);
            }

            @Override
            protected void overflow(String detail) {
                throw new IllegalStateException(detail);
            }
        };
        byte[] b = new byte[4];
        try {
            greedy.feed(MemorySegment.ofArray(b), 0, 4);
        } catch (IllegalStateException e) {
            assertThat(e).hasMessage("message needs 9 bytes, over the buffer capacity 8");
        }
        assertThat(greedy.stopped()).isTrue();
    }
}
