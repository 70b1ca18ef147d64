package dev.vigil.net.analysis;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.decode.Packet;
import dev.vigil.net.flow.CommunityId;
import dev.vigil.net.flow.EndReason;
import dev.vigil.net.flow.Flow;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.flow.FlowEvents;
import dev.vigil.net.flow.FlowKey;
import dev.vigil.net.flow.FlowTable;
import java.time.Instant;

/**
 * Decoded packets → {@link FlowTable} (connection state, TCP reassembly, the analyzers the
 * {@link AppAnalyzerFactory} makes) → records: {@code conn} when a flow ends, application logs as
 * analyzers emit them, {@code weird} for flow anomalies; finished connections go on to the
 * {@link ScanStage} with the key that orders them as one table would end them. One per thread.
 */
final class FlowStage implements FlowEvents, PacketStage {

    private static final int EXPIRING = 0;
    private static final int PACKET = 1;
    private static final int FLUSHING = 2;

    private final AppAnalyzerFactory analyzers;
    private final RecordSink sink;
    private final FlowTable flows;
    private final CommunityId communityId;
    private final ScanStage scans;
    private final Weirds weirds;
    private final IdentityResolver identities;
    private final int maxFlows;
    private final int tables;
    private long frame;
    private long mono;
    private int phase;
    private long seq;
    private long decoded;

    /**
     * @param flowConfig this table's limits ({@code maxFlows} of {@code config} split over {@code tables})
     * @param scans      the capture's scan stage, or null without scan detection
     */
    FlowStage(PipelineConfig config, FlowConfig flowConfig, int tables, AppAnalyzerFactory analyzers,
              RecordSink sink, Weirds weirds, ScanStage scans) {
        this.analyzers = analyzers != null ? analyzers : NoAnalyzer.FACTORY;
        this.sink = sink;
        this.flows = new FlowTable(flowConfig, this);
        this.communityId = new CommunityId(config.communityIdSeed());
        this.scans = scans;
        this.weirds = weirds;
        this.identities = config.identities();
        this.maxFlows = config.flows().maxFlows();
        this.tables = tables;
    }

    @Override
    public void expire(long frame, long mono) {
        this.frame = frame;
        this.mono = mono;
        phase = EXPIRING;
        flows.expire(mono);
    }

    @Override
    public void packet(Packet packet, long frame, long mono) {
        this.frame = frame;
        this.mono = mono;
        phase = PACKET;
        seq = 0;
        decoded++;
        flows.process(packet, mono, frame);
    }

    /** Ends every flow; {@code mono} is the capture's clock at its end. */
    void finish(long mono) {
        this.mono = mono;
        phase = FLUSHING;
        flows.flush();
    }

    /** Decoded packets seen. */
    long decoded() {
        return decoded;
    }

    FlowTable flows() {
        return flows;
    }

    RecordSink sink() {
        return sink;
    }

    @Override
    public void emit(Flow flow, LogRecord record) {
        sink.accept(withIdentity(flow, record));
    }

    @Override
    public void anomaly(Flow flow, String name, String detail) {
        if (weirds.count(name)) {
            sink.accept(withIdentity(flow, new WeirdRecord(flow.lastTs() / 1e6, flow.uid(), flow.id(), name, detail,
                    "flow")));
        }
    }

    @Override
    public AppAnalyzer createAnalyzer(Flow flow) {
        AppAnalyzer a = analyzers.create(flow);
        return a != null ? a : NoAnalyzer.INSTANCE;
    }

    @Override
    public void ended(Flow flow, EndReason reason) {
        long duration = flow.durationMicros();
        ConnRecord conn = new ConnRecord(flow.firstTs() / 1e6, flow.uid(), flow.id(), flow.service(),
                duration > 0 ? duration / 1e6 : null, flow.origBytes(), flow.respBytes(), flow.connState(),
                flow.missedBytes(), flow.history(), flow.origPkts(), flow.origIpBytes(), flow.respPkts(),
                flow.respIpBytes(), communityId.of(flow), flow.vlan(), flow.innerVlan(), flow.encrypted());
        sink.accept(withIdentity(flow, conn));
        if (scans != null) {
            Endpoint[] ends = identities == IdentityResolver.NONE ? null : endpoints(flow);
            switch (phase) {
                case EXPIRING -> scans.conn(conn, ends, mono, frame, 0, flow.endClass(), flow.lastFrame(), sink);
                case PACKET -> scans.conn(conn, ends, mono, frame, 1, seq++, 0, sink);
                default -> scans.conn(conn, ends, mono, Long.MAX_VALUE, flow.lastMono(), flow.endClass(),
                        flow.lastFrame(), sink);
            }
        }
        if (reason == EndReason.EVICTED && weirds.first("max_flows_reached")) {
            sink.accept(new WeirdRecord(flow.firstTs() / 1e6, null, null, "max_flows_reached", "max flows: " + maxFlows
                    + " reached (" + (tables > 1 ? tables + " flow tables of " + flows.config().maxFlows() + ", " : "")
                    + "active=" + (flows.size() + 1) + ", evicted=" + flows.evicted()
                    + "); raise --max-flows or lower the idle timeouts", "flow"));
        }
    }

    private LogRecord withIdentity(Flow flow, LogRecord record) {
        if (identities == IdentityResolver.NONE) {
            return record;
        }
        Endpoint[] ends = endpoints(flow);
        return new IdentityFields(record, ends[0], ends[1]);
    }

    private Endpoint[] endpoints(Flow flow) {
        Endpoint[] ends = (Endpoint[]) flow.attachment;
        if (ends == null) {
            Instant at = Instant.ofEpochSecond(0, flow.firstTs() * 1000);
            ends = new Endpoint[] {
                    identities.resolve(FlowKey.address(flow.origHi(), flow.origLo()), at),
                    identities.resolve(FlowKey.address(flow.respHi(), flow.respLo()), at)};
            flow.attachment = ends;
        }
        return ends;
    }
}
