package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.SslRecord;
import java.util.List;
import java.util.Set;

/**
 * TLS sessions established with a protocol older than TLS 1.2 (SSL 2, SSL 3, TLS 1.0, TLS 1.1),
 * which RFC 8996 deprecates: their key exchanges and ciphers can be attacked in transit. Only
 * completed handshakes count; a client that offers an old version and is refused is no finding.
 */
public final class WeakTlsDetector {

    public static final BuiltinRule WEAK_TLS = new BuiltinRule("TLS older than 1.2", Priority.WARNING, Alert.SOURCE_NET,
            List.of(new Mitre("T1557", "Adversary-in-the-Middle", "credential-access"),
                    new Mitre("T1040", "Network Sniffing", "credential-access")), List.of("network", "tls"));

    /** Zeek's names of the versions before TLS 1.2. */
    static final Set<String> WEAK_VERSIONS = Set.of("SSLv2", "SSLv3", "TLSv10", "TLSv11", "DTLSv10");

    private final AlertFactory alerts;
    private final DnsNames names;

    public WeakTlsDetector(AlertFactory alerts, DnsNames names) {
        this.alerts = alerts;
        this.names = names;
    }

    public void ssl(SslRecord r, Endpoint orig, Endpoint resp, Detections out) {
        if (r.version() == null || !WEAK_VERSIONS.contains(r.version()) || !Boolean.TRUE.equals(r.established())) {
            return;
        }
        String server = r.serverName() != null ? r.serverName() : NetFacts.peerLabel(resp, r.id().respH(), names, orig);
        out.alert(alerts.alert(WEAK_TLS, NetFacts.nanos(r.ts()))
                .fromEndpoint(orig, r.id().origH())
                .to(server, r.id())
                .because(r.version() + " negotiated" + (r.cipher() != null ? " with " + r.cipher() : ""))
                .field("ssl.version", r.version())
                .field("ssl.cipher", r.cipher())
                .field("ssl.server_name", r.serverName())
                .field("vigil.uid", r.uid())
                .evidence(r)
                .build());
    }
}
