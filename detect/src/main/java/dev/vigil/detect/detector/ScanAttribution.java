package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.NoticeRecord;
import java.util.List;

/**
 * Port scans, address scans and ping sweeps found by the network sensor ({@code notice} records
 * {@code Scan::Port_Scan}, {@code Scan::Address_Scan}, {@code Scan::Ping_Sweep}), attributed to the
 * scanning pod and its workload: the alert says which pod scanned, not only which address.
 */
public final class ScanAttribution {

    public static final BuiltinRule PORT_SCAN = new BuiltinRule("Port scan", Priority.WARNING, Alert.SOURCE_NET,
            List.of(new Mitre("T1046", "Network Service Discovery", "discovery")), List.of("network", "scan"));
    public static final BuiltinRule ADDRESS_SCAN = new BuiltinRule("Address scan", Priority.WARNING, Alert.SOURCE_NET,
            List.of(new Mitre("T1046", "Network Service Discovery", "discovery"),
                    new Mitre("T1018", "Remote System Discovery", "discovery")), List.of("network", "scan"));
    public static final BuiltinRule PING_SWEEP = new BuiltinRule("Ping sweep", Priority.WARNING, Alert.SOURCE_NET,
            List.of(new Mitre("T1018", "Remote System Discovery", "discovery")), List.of("network", "scan"));

    private final AlertFactory alerts;

    public ScanAttribution(AlertFactory alerts) {
        this.alerts = alerts;
    }

    /**
     * A notice; {@code orig} is the identity of the notice's originator address (the scanner), or null.
     */
    public void notice(NoticeRecord n, Endpoint orig, Detections out) {
        BuiltinRule rule = switch (n.note()) {
            case "Scan::Port_Scan" -> PORT_SCAN;
            case "Scan::Address_Scan" -> ADDRESS_SCAN;
            case "Scan::Ping_Sweep" -> PING_SWEEP;
            case null, default -> null;
        };
        if (rule == null) {
            return;
        }
        Endpoint scanner = orig != null && orig.ip().equals(n.src()) ? orig : null;
        String victim = n.dst() != null ? n.dst() : "many hosts";
        AlertFactory.Builder a = alerts.alert(rule, NetFacts.nanos(n.ts())).fromEndpoint(scanner, n.src());
        if (scanner instanceof Endpoint.Pod p && p.workload() != null) {
            a.text(" (workload " + p.workload().qualifiedName() + ")");
        }
        a.text(" to " + victim + (n.p() != null ? " port " + n.p() : ""))
                .peer(victim)
                .subject(n.src())
                .because(n.msg() != null ? n.msg() : n.n() + " targets")
                .field("fd.cip", n.src())
                .field("fd.sip", n.dst())
                .field("fd.sport", n.p() == null ? null : (long) n.p())
                .field("fd.l4proto", n.id() == null ? null : n.id().proto())
                .field("vigil.scan.note", n.note())
                .field("vigil.scan.count", n.n())
                .evidence(n);
        out.alert(a.build());
    }
}
