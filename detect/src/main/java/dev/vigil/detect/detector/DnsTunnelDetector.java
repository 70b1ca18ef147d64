package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.DnsRecord;
import java.util.List;
import java.util.Locale;

/** DNS tunnels ({@link DnsTunnelling}) in the queries of pods, one alert per finding and window. */
public final class DnsTunnelDetector {

    public static final BuiltinRule DNS_TUNNEL = new BuiltinRule("DNS tunnelling", Priority.CRITICAL, Alert.SOURCE_NET,
            List.of(new Mitre("T1071.004", "Application Layer Protocol: DNS", "command-and-control"),
                    new Mitre("T1048", "Exfiltration Over Alternative Protocol", "exfiltration")),
            List.of("network", "dns"));

    private final AlertFactory alerts;
    private final DnsTunnelling tunnels;
    private final DnsTunnelConfig config;

    public DnsTunnelDetector(AlertFactory alerts, DnsTunnelConfig config) {
        this.alerts = alerts;
        this.config = config;
        this.tunnels = new DnsTunnelling(config);
    }

    /** A query of {@code orig}; only pods' queries are tracked. */
    public void dns(DnsRecord r, Endpoint orig, Detections out) {
        if (!(orig instanceof Endpoint.Pod p) || r.query() == null) {
            return;
        }
        DnsTunnelling.Finding f = tunnels.query(p.namespace(), p.name(), r.query(), r.qtype() == null ? -1 : r.qtype(),
                NetFacts.nanos(r.ts()));
        if (f == DnsTunnelling.Finding.NONE) {
            return;
        }
        int[] counts = tunnels.lastCounts();
        long windowSeconds = config.window().toSeconds();
        String why = switch (f) {
            case HIGH_ENTROPY -> counts[0] + " different long random-looking names within " + windowSeconds
                    + " s (last: " + String.format(Locale.ROOT, "%.2f", tunnels.lastEntropy())
                    + " bits per character)";
            case UNIQUE_SUBDOMAINS -> counts[1] + " different subdomains within " + windowSeconds + " s";
            case TXT_BURST -> counts[2] + " TXT/NULL queries within " + windowSeconds + " s";
            case NONE -> "";
        };
        out.alert(alerts.alert(DNS_TUNNEL, NetFacts.nanos(r.ts()))
                .fromEndpoint(orig, r.id().origH())
                .text(" through " + tunnels.lastDomain())
                .peer(tunnels.lastDomain())
                .because(why)
                .field("dns.query", r.query())
                .field("dns.qtype_name", r.qtypeName())
                .field("vigil.dns.domain", tunnels.lastDomain())
                .field("vigil.dns.entropy", tunnels.lastEntropy())
                .field("vigil.uid", r.uid())
                .evidence(r)
                .build());
    }

    /** (pod, domain) pairs dropped to make room. */
    public long evictions() {
        return tunnels.evictions();
    }
}
