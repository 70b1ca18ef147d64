package dev.vigil.agent.detection;

import dev.vigil.agent.cluster.Labels;
import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.AlertFolder;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.detector.Decision;
import dev.vigil.detect.detector.Detections;
import dev.vigil.detect.detector.DnsNames;
import dev.vigil.detect.detector.HostDetectors;
import dev.vigil.detect.detector.NetworkDetectorConfig;
import dev.vigil.detect.detector.NetworkDetectors;
import dev.vigil.detect.rules.RuleSet;
import dev.vigil.detect.rules.SourceRules;
import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetContext;
import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.AlertIds;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.IdentityFields;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The detection stage of the agent: the Falco-format rules ({@code syscall} and {@code vigil_net}
 * sources) and the built-in detectors with their per-workload baselines, over every host event and
 * network record, with the labels of namespaces and pods. Alerts go through the {@link AlertFolder}
 * to the alert consumer; protect decisions to the decision consumer. Rule engine and baselines are
 * shared; each sensor thread evaluates through its own path ({@link #hostPath()}, {@link #netPath()}),
 * which holds the per-thread contexts the evaluators reuse, so no event allocates a context.
 *
 * <p>Every raised alert (before folding) also goes to {@code raised}, for latency measurements and
 * the demo.
 */
public final class Detection implements AutoCloseable {

    private final RuleSet rules;
    private final SourceRules<HostContext> hostRules;
    private final SourceRules<NetContext> netRules;
    private final Baselines baselines;
    private final Labels labels;
    private final IdentityResolver resolver;
    private final NetworkDetectorConfig netConfig;
    private final DnsNames names = new DnsNames();
    private final AlertFactory factory;
    private final RuleAlerts ruleAlerts;
    private final AlertFolder folder;
    private final Consumer<Alert> raised;
    private final Consumer<Decision> decisions;
    private final String hostname;
    private final LongAdder raisedCount = new LongAdder();
    private final LongAdder decisionCount = new LongAdder();
    private final LongAdder ruleMatches = new LongAdder();
    private final Detections out = new Detections() {
        @Override
        public void alert(Alert alert) {
            raisedCount.increment();
            raised.accept(alert);
            folder.accept(alert);
        }

        @Override
        public void decide(Decision decision) {
            decisionCount.increment();
            decisions.accept(decision);
        }
    };

    /**
     * @param written   receives first alerts and fold summaries (must not block: a bounded queue)
     * @param raised    receives every alert as it is raised, before folding (must not block)
     * @param decisions receives protect-mode decisions (must not block)
     */
    public Detection(String hostname, RuleSet rules, Baselines baselines, Labels labels, IdentityResolver resolver,
                     NetworkDetectorConfig netConfig, java.time.Duration foldWindow, Consumer<Alert> written,
                     Consumer<Alert> raised, Consumer<Decision> decisions) {
        this.hostname = hostname;
        this.rules = rules;
        this.hostRules = rules.forSource(HostFields.SOURCE);
        this.netRules = rules.forSource(NetFields.SOURCE);
        this.baselines = baselines;
        this.labels = labels;
        this.resolver = resolver;
        this.netConfig = netConfig;
        AlertIds ids = new AlertIds();
        this.factory = new AlertFactory(hostname, ids);
        this.ruleAlerts = new RuleAlerts(hostname, ids);
        this.folder = new AlertFolder(foldWindow, AlertFolder.DEFAULT_MAX_KEYS, ids, written);
        this.raised = raised;
        this.decisions = decisions;
    }

    /** Host events of one thread (the host sensor's output thread). */
    public final class HostPath implements Consumer<HostEvent> {
        private final HostContext ctx = new HostContext(hostname);
        private final HostDetectors detectors = new HostDetectors(baselines, names, netConfig, factory, resolver);

        private HostPath() {
        }

        @Override
        public void accept(HostEvent e) {
            ctx.bind(e);
            ContainerIdentity id = e.container() == null ? null : e.container().identity();
            if (id != null) {
                ctx.labels(labels.namespace(id.namespace()), labels.pod(id.namespace(), id.pod()));
            }
            hostRules.evaluate(ctx, m -> {
                ruleMatches.increment();
                out.alert(ruleAlerts.host(m, e));
            });
            detectors.event(e, out);
        }
    }

    /** Network records of one thread (the agent's network stage). */
    public final class NetPath implements Consumer<LogRecord> {
        private final NetContext ctx = new NetContext();
        private final NetworkDetectors detectors = new NetworkDetectors(netConfig, baselines, names, factory);

        private NetPath() {
        }

        /** One record, with the identities of both ends when the pipeline resolved them ({@link IdentityFields}). */
        @Override
        public void accept(LogRecord record) {
            LogRecord inner = record;
            Endpoint orig = null;
            Endpoint resp = null;
            if (record instanceof IdentityFields f) {
                inner = f.record();
                orig = f.orig();
                resp = f.resp();
            }
            Map<String, String> origLabels = labels.namespace(namespace(orig));
            Map<String, String> respLabels = labels.namespace(namespace(resp));
            Endpoint o = orig;
            Endpoint r = resp;
            netRules.evaluate(ctx.bind(inner, orig, resp, origLabels, respLabels), m -> {
                ruleMatches.increment();
                out.alert(ruleAlerts.network(m, record, o, r));
            });
            detectors.record(inner, orig, resp, respLabels, out);
        }
    }

    private static String namespace(Endpoint e) {
        return switch (e) {
            case Endpoint.Pod p -> p.namespace();
            case Endpoint.Service s -> s.namespace();
            case null, default -> null;
        };
    }

    /** A path for the host sensor's thread. */
    public HostPath hostPath() {
        return new HostPath();
    }

    /** A path for the network stage's thread. */
    public NetPath netPath() {
        return new NetPath();
    }

    /** Passes on fold summaries whose window has passed; call periodically. */
    public void flush(long nowNanos) {
        folder.flush(nowNanos);
    }

    public RuleSet rules() {
        return rules;
    }

    public Baselines baselines() {
        return baselines;
    }

    /** Alerts raised (before folding). */
    public long raised() {
        return raisedCount.sum();
    }

    /** Of {@link #raised()}, those raised by rules of the rule files. */
    public long ruleMatches() {
        return ruleMatches.sum();
    }

    /** Protect decisions taken. */
    public long decisions() {
        return decisionCount.sum();
    }

    public AlertFolder.Stats folding() {
        return folder.stats();
    }

    /** Passes on the summaries of every open fold window. */
    @Override
    public void close() {
        folder.close();
    }
}
