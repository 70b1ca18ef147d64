package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.rules.fields.NetContext;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.model.net.MysqlRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.model.net.StratumRecord;
import dev.vigil.model.record.LogRecord;
import java.util.Map;

/**
 * Every built-in network detector behind one call per record: the agent passes each record of the
 * network sensor with the identities of its two ends (the originator opened the connection) and the
 * labels of the responder's namespace; alerts and protect decisions go to {@link Detections}.
 *
 * <table>
 *   <caption>records and detectors</caption>
 *   <tr><th>record</th><th>detectors</th></tr>
 *   <tr><td>{@code conn}</td><td>{@link NetworkBaselineDetector} (peers, listening ports, API contact, egress),
 *       {@link PlaintextDetector}, {@link MinerDetector} (pool ports)</td></tr>
 *   <tr><td>{@code dns}</td><td>{@link DnsNames} (addresses named for the pod), {@link NetworkBaselineDetector}
 *       (names), {@link DnsTunnelDetector}, {@link MinerDetector} (pool names)</td></tr>
 *   <tr><td>{@code ssl}</td><td>{@link WeakTlsDetector}, {@link NetworkBaselineDetector} (API by TLS name),
 *       {@link MinerDetector} (pool names)</td></tr>
 *   <tr><td>{@code http}, {@code postgresql}, {@code mysql}</td><td>{@link SqlInjectionDetector}</td></tr>
 *   <tr><td>{@code stratum}</td><td>{@link MinerDetector}</td></tr>
 *   <tr><td>{@code notice}</td><td>{@link ScanAttribution}</td></tr>
 * </table>
 *
 * One instance per network pipeline thread (the SQL and DNS analyzers reuse buffers); the
 * {@link Baselines} and {@link DnsNames} it is given may be shared with the host side.
 */
public final class NetworkDetectors {

    private final DnsNames names;
    private final ScanAttribution scans;
    private final NetworkBaselineDetector baseline;
    private final PlaintextDetector plaintext;
    private final WeakTlsDetector weakTls;
    private final MinerDetector miners;
    private final SqlInjectionDetector sqli;
    private final DnsTunnelDetector dnsTunnels;

    public NetworkDetectors(NetworkDetectorConfig config, Baselines baselines, DnsNames names, AlertFactory alerts) {
        this.names = names;
        this.scans = new ScanAttribution(alerts);
        this.baseline = new NetworkBaselineDetector(alerts, baselines, names, config);
        this.plaintext = new PlaintextDetector(alerts, names, config);
        this.weakTls = new WeakTlsDetector(alerts, names);
        this.miners = new MinerDetector(alerts, names, config);
        this.sqli = new SqlInjectionDetector(alerts, names);
        this.dnsTunnels = new DnsTunnelDetector(alerts, config.dnsTunnel());
    }

    /** One network record in the rule engine's envelope, so one binding serves the rules and the detectors. */
    public void record(NetContext ctx, Detections out) {
        record(ctx.record(), ctx.orig(), ctx.peer(), ctx.peerNamespaceLabels(), out);
    }

    /**
     * One network record.
     *
     * @param orig                identity of the originator ({@code id.orig_h}), or null when unresolved
     * @param resp                identity of the responder ({@code id.resp_h}), or null
     * @param respNamespaceLabels labels of the responder's namespace (pod or Service), or null
     */
    public void record(LogRecord record, Endpoint orig, Endpoint resp, Map<String, String> respNamespaceLabels,
                       Detections out) {
        switch (record) {
            case ConnRecord c -> {
                baseline.conn(c, orig, resp, out);
                plaintext.conn(c, orig, resp, respNamespaceLabels, out);
                miners.conn(c, orig, resp, out);
            }
            case DnsRecord d -> {
                if (orig instanceof Endpoint.Pod p) {
                    names.answered(p.namespace(), p.name(), d.query(), d.answers());
                }
                baseline.dns(d, orig, out);
                dnsTunnels.dns(d, orig, out);
                miners.dns(d, orig, out);
            }
            case SslRecord s -> {
                weakTls.ssl(s, orig, resp, out);
                baseline.ssl(s, orig, out);
                miners.ssl(s, orig, out);
            }
            case HttpRecord h -> sqli.http(h, orig, resp, out);
            case PostgresqlRecord p -> sqli.postgresql(p, orig, resp, out);
            case MysqlRecord m -> sqli.mysql(m, orig, resp, out);
            case StratumRecord s -> miners.stratum(s, orig, resp, out);
            case NoticeRecord n -> scans.notice(n, orig, out);
            default -> {
            }
        }
    }

    /** (pod, domain) pairs the DNS tunnel detector dropped to make room. */
    public long dnsTunnelEvictions() {
        return dnsTunnels.evictions();
    }
}
