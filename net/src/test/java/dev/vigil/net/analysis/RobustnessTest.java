package dev.vigil.net.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.LinkType;
import dev.vigil.net.pcap.PacketReader;
import dev.vigil.net.pcap.PcapFiles;
import dev.vigil.net.scan.ScanConfig;
import dev.vigil.testkit.Mutations;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Random and mutated input through every decoder and the whole pipeline: no exception escapes and
 * memory stays within the configured bounds. Seeds are printed in failure messages.
 */
class RobustnessTest {

    private static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.RAW, LinkType.NULL, LinkType.LOOP,
            LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.IPV4, LinkType.IPV6};
    private static final List<byte[]> CORPUS_FRAMES = new ArrayList<>();
    private static final List<Integer> CORPUS_LINKS = new ArrayList<>();
    private static final List<byte[]> CORPUS_FILES = new ArrayList<>();

    @BeforeAll
    static void loadCorpus() throws IOException {
        Path root = Requirements.corpora().resolve("pcaps");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|trace|cap)$")).sorted().toList();
        }
        for (Path f : files) {
            CORPUS_FILES.add(Files.readAllBytes(f));
            try (PacketReader r = PcapFiles.open(f)) {
                Frame frame = new Frame();
                while (r.next(frame)) {
                    byte[] b = new byte[frame.capturedLength];
                    MemorySegment.copy(frame.data, ValueLayout.JAVA_BYTE, frame.offset, b, 0, b.length);
                    CORPUS_FRAMES.add(b);
                    CORPUS_LINKS.add(frame.linkType);
                }
            }
        }
    }

    private static Pipeline pipeline(RecordingSink sink) {
        FlowConfig flows = FlowConfig.defaults().withMaxFlows(64).withUidSeed(3);
        return new Pipeline(new PipelineConfig(flows, new ScanConfig(2, 2, java.time.Duration.ofMinutes(5)), 0,
                IdentityResolver.NONE), null, sink);
    }

    @RepeatedTest(40)
    void mutatedCorpusFramesThroughThePipeline(RepetitionInfo info) {
        long seed = 0xf00d_0000L + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        RecordingSink sink = new RecordingSink();
        Pipeline pipeline = pipeline(sink);
        long ts = 1_600_000_000_000_000L;
        try {
            for (int i = 0; i < 2000; i++) {
                int pick = random.nextInt(CORPUS_FRAMES.size());
                byte[] bytes = random.nextInt(4) == 0 ? CORPUS_FRAMES.get(pick)
                        : Mutations.mutate(random, CORPUS_FRAMES.get(pick));
                ts += random.nextInt(2_000_000) - 500_000;
                int link = random.nextInt(10) == 0 ? LINK_TYPES[random.nextInt(LINK_TYPES.length)] : CORPUS_LINKS.get(pick);
                pipeline.frame(new Frame().set(MemorySegment.ofArray(bytes), 0, bytes.length,
                        bytes.length + random.nextInt(3), ts, link, 0));
                assertThat(pipeline.flows().size()).isLessThanOrEqualTo(64);
                assertThat(pipeline.flows().budget().used()).isLessThanOrEqualTo(pipeline.flows().budget().limit());
            }
            pipeline.finish();
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + Long.toHexString(seed) + ": " + e, e);
        }
        assertThat(pipeline.flows().size()).isZero();
        assertThat(pipeline.flows().budget().used()).as("seed %x", seed).isZero();
    }

    @RepeatedTest(20)
    void randomBytesOnEveryLinkType(RepetitionInfo info) {
        long seed = 0xbeef_0000L + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        Pipeline pipeline = pipeline(new RecordingSink());
        try {
            for (int i = 0; i < 3000; i++) {
                byte[] bytes = Mutations.randomBytes(random, random.nextInt(120));
                if (bytes.length > 0 && random.nextBoolean()) {
                    bytes[0] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
                }
                pipeline.frame(new Frame().set(MemorySegment.ofArray(bytes), 0, bytes.length, bytes.length,
                        1_000_000L * i, LINK_TYPES[random.nextInt(LINK_TYPES.length)], 0));
            }
            pipeline.finish();
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + Long.toHexString(seed) + ": " + e, e);
        }
    }

    @RepeatedTest(30)
    void mutatedCaptureFilesNeverThrowFromTheReaders(RepetitionInfo info) {
        long seed = 0xcafe_0000L + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 10; n++) {
            byte[] file = Mutations.mutate(random, CORPUS_FILES.get(random.nextInt(CORPUS_FILES.size())));
            Pipeline pipeline = pipeline(new RecordingSink());
            try (PacketReader r = PcapFiles.open(MemorySegment.ofArray(file), null, "mutated")) {
                Frame frame = new Frame();
                long frames = 0;
                while (r.next(frame)) {
                    assertThat(frame.offset + frame.capturedLength).isLessThanOrEqualTo(file.length);
                    pipeline.frame(frame);
                    frames++;
                }
                assertThat(frames).isLessThanOrEqualTo(file.length / 12 + 1);
                pipeline.finish();
            } catch (IOException expected) {
                // a mutated magic number is refused up front
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + Long.toHexString(seed) + ": " + e, e);
            }
        }
    }
}
