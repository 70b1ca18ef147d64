package dev.vigil.net.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.analysis.RecordingSink;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.PacketReader;
import dev.vigil.net.pcap.PcapFiles;
import dev.vigil.testkit.Mutations;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The corpus captures of this package's protocols with their payloads mutated (headers kept, so the
 * bytes reach detection and the parsers), through the whole pipeline with {@link ProtocolDetector}:
 * no exception escapes, and when the capture ends every flow and its memory are released.
 */
class PipelineRobustnessTest {

    private static final String[] CAPTURES = {"suricata-verify/bug-814/input.pcap",
        "suricata-verify/http-connect_http-connect-tls/input.pcap", "suricata-verify/http2-upgrade/input.pcap",
        "suricata-verify/dns_dns-udp-eve-dig/input.pcap", "suricata-verify/dns_dns-tcp-www-google-com/dns.pcap",
        "zeek/testing/btest/Traces/http/pipelined-requests.pcap", "zeek/testing/btest/Traces/http/connect-with-smtp.pcap",
        "zeek/testing/btest/Traces/dns53.pcap", "ndpi/pcap/http2.pcapng", "ndpi/pcap/http.pcapng"};
    /** Bytes of link, IP and transport headers left intact in most mutations. */
    private static final int KEEP = 66;

    private static final List<byte[]> FRAMES = new ArrayList<>();
    private static final List<Integer> LINKS = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        for (String capture : CAPTURES) {
            try (PacketReader r = PcapFiles.open(Requirements.corpora().resolve("pcaps").resolve(capture))) {
                Frame frame = new Frame();
                while (r.next(frame)) {
                    byte[] b = new byte[frame.capturedLength];
                    MemorySegment.copy(frame.data, ValueLayout.JAVA_BYTE, frame.offset, b, 0, b.length);
                    FRAMES.add(b);
                    LINKS.add(frame.linkType);
                }
            }
        }
    }

    private static byte[] mutatePayload(SplittableRandom random, byte[] frame) {
        if (frame.length <= KEEP || random.nextInt(5) == 0) {
            return Mutations.mutate(random, frame);
        }
        byte[] tail = Mutations.mutate(random, java.util.Arrays.copyOfRange(frame, KEEP, frame.length));
        byte[] out = java.util.Arrays.copyOf(frame, KEEP + tail.length);
        System.arraycopy(tail, 0, out, KEEP, tail.length);
        return out;
    }

    @RepeatedTest(40)
    void mutatedPayloadsThroughDetectionAndParsers(RepetitionInfo info) {
        long seed = 0x17a0_0000L + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        RecordingSink sink = new RecordingSink();
        Pipeline pipeline = new Pipeline(new PipelineConfig(FlowConfig.defaults().withMaxFlows(64).withUidSeed(5), null,
                0, IdentityResolver.NONE), new ProtocolDetector(), sink);
        long ts = 1_600_000_000_000_000L;
        try {
            for (int i = 0; i < FRAMES.size() * 3; i++) {
                int pick = i % FRAMES.size();
                byte[] bytes = random.nextInt(3) == 0 ? FRAMES.get(pick) : mutatePayload(random, FRAMES.get(pick));
                ts += random.nextInt(20_000);
                pipeline.frame(new Frame().set(MemorySegment.ofArray(bytes), 0, bytes.length, bytes.length, ts,
                        LINKS.get(pick), 0));
            }
            pipeline.finish();
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + Long.toHexString(seed) + ": " + e, e);
        }
        assertThat(pipeline.flows().size()).isZero();
        assertThat(pipeline.flows().budget().used()).as("seed %x", seed).isZero();
        assertThat(sink.records).as("seed %x reached the parsers", seed)
                .anyMatch(r -> List.of("http", "http2", "dns", "smtp").contains(r.log()));
    }
}
