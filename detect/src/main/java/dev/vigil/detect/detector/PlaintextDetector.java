package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.ConnRecord;
import java.util.List;
import java.util.Map;

/**
 * Cleartext connections into a namespace that requires encryption: the namespace is labelled
 * {@value #LABEL}{@code : }{@value #REQUIRED} or listed in {@link NetworkDetectorConfig#encryptedNamespaces()},
 * the responder is a pod or Service in it, and the network sensor classified the connection as
 * cleartext ({@code conn.encrypted = false}: an analyzer recognised a plaintext protocol). Connections
 * whose encryption is unknown are not judged; protocols listed in
 * {@link NetworkDetectorConfig#plaintextExemptServices()} (DNS) are exempt.
 */
public final class PlaintextDetector {

    /** The namespace label that states an encryption policy. */
    public static final String LABEL = "vigil.dev/encryption";
    /** The label value that requires encryption. */
    public static final String REQUIRED = "required";

    public static final BuiltinRule PLAINTEXT = new BuiltinRule("Plaintext traffic into encrypted namespace",
            Priority.ERROR, Alert.SOURCE_NET, List.of(new Mitre("T1040", "Network Sniffing", "credential-access")),
            List.of("network", "encryption", "compliance"));

    private final AlertFactory alerts;
    private final DnsNames names;
    private final NetworkDetectorConfig config;

    public PlaintextDetector(AlertFactory alerts, DnsNames names, NetworkDetectorConfig config) {
        this.alerts = alerts;
        this.names = names;
        this.config = config;
    }

    /** @param respNamespaceLabels labels of the responder's namespace, or null when unknown */
    public void conn(ConnRecord c, Endpoint orig, Endpoint resp, Map<String, String> respNamespaceLabels,
                     Detections out) {
        if (!Boolean.FALSE.equals(c.encrypted())) {
            return;
        }
        String ns = NetFacts.namespace(resp);
        if (ns == null) {
            return;
        }
        boolean labelled = respNamespaceLabels != null && REQUIRED.equals(respNamespaceLabels.get(LABEL));
        if (!labelled && !config.encryptedNamespaces().contains(ns)) {
            return;
        }
        if (c.service() != null && config.plaintextExemptServices().contains(c.service())) {
            return;
        }
        out.alert(alerts.alert(PLAINTEXT, NetFacts.nanos(c.ts()))
                .text(" " + ns)
                .fromEndpoint(orig, c.id().origH())
                .to(NetFacts.peerLabel(resp, c.id().respH(), names, orig), c.id())
                .because((c.service() != null ? c.service() : "unidentified cleartext") + " in clear; namespace " + ns
                        + (labelled ? " is labelled " + LABEL + "=" + REQUIRED : " requires encryption by configuration"))
                .field("vigil.uid", c.uid())
                .field("conn.service", c.service())
                .field("peer.k8s.ns.name", ns)
                .evidence(c)
                .build());
    }
}
