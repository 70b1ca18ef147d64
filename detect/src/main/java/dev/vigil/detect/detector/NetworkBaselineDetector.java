package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.PeerKind;
import dev.vigil.detect.baseline.Verdict;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.model.record.LogRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what workloads do on the network against their baselines: the peers they connect to (with
 * port, protocol and application), the ports they accept connections on, and the names they resolve.
 * In learn mode this learns; in monitor mode something new raises an alert named by what it is — an
 * external peer is {@link #UNEXPECTED_EGRESS}, the API server {@link #UNEXPECTED_API}, anything else in
 * the cluster {@link #UNEXPECTED_PEER}; in protect mode it also asks for the connection to be blocked.
 *
 * <p>Peers are named as the baseline keeps them: another workload by its root owner
 * ({@code namespace/name}), so that pods coming and going do not look new; a Service, a node, the API
 * server; an external address by the name the pod resolved for it ({@link DnsNames}), else the name
 * enrichment gave, else the address. The API server is Service {@code default/kubernetes}, a configured
 * endpoint, a node address on {@link NetworkDetectorConfig#apiServerPort()}, or a TLS server name
 * {@code kubernetes.default…}. A listening port counts once the responder answered (a TCP SYN-ACK, a
 * UDP reply). Checking a known fact allocates nothing.
 */
public final class NetworkBaselineDetector {

    public static final BuiltinRule UNEXPECTED_EGRESS = new BuiltinRule("Unexpected egress", Priority.WARNING,
            Alert.SOURCE_NET, List.of(new Mitre("T1071", "Application Layer Protocol", "command-and-control"),
                    new Mitre("T1041", "Exfiltration Over C2 Channel", "exfiltration")), List.of("network", "baseline"));
    public static final BuiltinRule UNEXPECTED_API = new BuiltinRule("Unexpected Kubernetes API contact",
            Priority.WARNING, Alert.SOURCE_NET, List.of(new Mitre("T1613", "Container and Resource Discovery", "discovery")),
            List.of("network", "kubernetes", "baseline"));
    public static final BuiltinRule UNEXPECTED_PEER = new BuiltinRule("Unexpected network peer", Priority.NOTICE,
            Alert.SOURCE_NET, List.of(new Mitre("T1021", "Remote Services", "lateral-movement")),
            List.of("network", "baseline"));
    public static final BuiltinRule UNEXPECTED_LISTENER = new BuiltinRule("Unexpected listening port", Priority.WARNING,
            Alert.SOURCE_NET, List.of(new Mitre("T1571", "Non-Standard Port", "command-and-control")),
            List.of("network", "baseline"));
    public static final BuiltinRule UNEXPECTED_DNS = new BuiltinRule("Unexpected DNS name", Priority.NOTICE,
            Alert.SOURCE_NET, List.of(new Mitre("T1071.004", "Application Layer Protocol: DNS", "command-and-control")),
            List.of("network", "dns", "baseline"));

    /** The name the API server has as a peer. */
    public static final String API_SERVER = "kubernetes";
    private static final String API_TLS_NAME = "kubernetes.default";

    private final AlertFactory alerts;
    private final Baselines baselines;
    private final DnsNames names;
    private final int apiServerPort;
    private final Map<String, int[]> apiEndpoints = new HashMap<>();

    /** The peer of the connection being checked, as classified. */
    private PeerKind kind;
    private String peerNamespace;
    private String peerName;

    public NetworkBaselineDetector(AlertFactory alerts, Baselines baselines, DnsNames names, NetworkDetectorConfig config) {
        this.alerts = alerts;
        this.baselines = baselines;
        this.names = names;
        this.apiServerPort = config.apiServerPort();
        for (String e : config.apiServerEndpoints()) {
            int colon = e.lastIndexOf(':');
            String ip = dev.vigil.model.net.IpText.canonical(e.substring(0, colon));
            int port = Integer.parseInt(e.substring(colon + 1));
            apiEndpoints.merge(ip == null ? e.substring(0, colon) : ip, new int[] {port}, (a, b) -> {
                int[] both = java.util.Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
    }

    public void conn(ConnRecord c, Endpoint orig, Endpoint resp, Detections out) {
        long now = NetFacts.nanos(c.ts());
        ConnId id = c.id();
        if (orig instanceof Endpoint.Pod from && from.workload() != null) {
            classify(resp, id.respH(), id.respP(), from.namespace(), from.name());
            Verdict v = baselines.peer(from.workload(), kind, peerNamespace, peerName, id.respP(), id.proto(),
                    c.service(), now);
            if (v.deviates()) {
                boolean newPeer = !baselines.knowsPeer(from.workload(), kind, peerNamespace, peerName, id.respP(), id.proto());
                peerAlert(v, from, resp, id, now, newPeer ? null : c.service(), c, out);
            }
        }
        if (resp instanceof Endpoint.Pod to && to.workload() != null && answered(c)) {
            Verdict v = baselines.listening(to.workload(), id.respP(), id.proto(), now);
            if (v.deviates()) {
                String output = report(alerts.alert(UNEXPECTED_LISTENER, now).inPod(to)
                        .text(" on " + id.respP() + "/" + id.proto())
                        .text(" from " + AlertFactory.label(orig, id.origH()))
                        .peer(id.respP() + "/" + id.proto())
                        .because(Deviations.notInBaseline(to.workload(), v))
                        .field("fd.cip", id.origH()).field("fd.sip", id.respH()).field("fd.sport", (long) id.respP())
                        .field("fd.l4proto", id.proto()).field("vigil.uid", c.uid()).evidence(c), out);
                if (v == Verdict.BLOCK) {
                    out.decide(new Decision.BlockConnection(UNEXPECTED_LISTENER.name(), output, to.namespace(), to.name(),
                            id, AlertFactory.label(orig, id.origH())));
                }
            }
        }
    }

    /**
     * A connection a process in a container opened, as the host sensor saw it at {@code connect(2)}
     * ({@code fd.cip}/{@code fd.cport} the container's end, {@code fd.sip}/{@code fd.sport} the peer):
     * earlier than the network sensor's record of the finished connection, and with the process that
     * made it. The application is not known yet.
     *
     * @param resp the identity of {@code fd.sip}, or null
     */
    public void connect(HostEvent e, ContainerIdentity c, Endpoint resp, Detections out) {
        HostEvent.Fd fd = e.fd();
        String proto = fd.l4proto() != null ? fd.l4proto() : "tcp";
        classify(resp, fd.sip(), fd.sport(), c.namespace(), c.pod());
        Verdict v = baselines.peer(c.workload(), kind, peerNamespace, peerName, fd.sport(), proto, null, e.timeNanos());
        if (!v.deviates()) {
            return;
        }
        ConnId id = new ConnId(fd.cip(), fd.cport(), fd.sip(), fd.sport(), proto);
        BuiltinRule rule = ruleFor(kind);
        String baselineName = peerNamespace == null ? peerName : peerNamespace + "/" + peerName;
        String output = report(ProcessBaselineDetector.process(alerts.alert(rule, e.timeNanos()).inContainer(c), e.proc())
                .to(shown(resp, id, baselineName), id)
                .peer(kind.label() + ":" + baselineName)
                .because(Deviations.notInBaseline(c.workload(), v))
                .field("vigil.peer.kind", kind.label())
                .field("vigil.peer", baselineName)
                .evidence(e), out);
        if (v == Verdict.BLOCK) {
            out.decide(new Decision.BlockConnection(rule.name(), output, c.namespace(), c.pod(), id, baselineName));
        }
    }

    /** A TLS handshake: a server name {@code kubernetes.default…} is the API server whatever the address. */
    public void ssl(SslRecord r, Endpoint orig, Detections out) {
        if (!(orig instanceof Endpoint.Pod from) || from.workload() == null || r.serverName() == null
                || !r.serverName().startsWith(API_TLS_NAME)) {
            return;
        }
        long now = NetFacts.nanos(r.ts());
        kind = PeerKind.KUBE_API;
        peerNamespace = null;
        peerName = API_SERVER;
        Verdict v = baselines.peer(from.workload(), kind, null, API_SERVER, r.id().respP(), r.id().proto(), null, now);
        if (v.deviates()) {
            peerAlert(v, from, null, r.id(), now, null, r, out);
        }
    }

    /** A query: the name is checked against the names the workload resolves. */
    public void dns(DnsRecord r, Endpoint orig, Detections out) {
        if (!(orig instanceof Endpoint.Pod from) || from.workload() == null || r.query() == null || r.query().isEmpty()) {
            return;
        }
        long now = NetFacts.nanos(r.ts());
        Verdict v = baselines.dnsName(from.workload(), r.query(), now);
        if (v.deviates()) {
            report(alerts.alert(UNEXPECTED_DNS, now).fromEndpoint(orig, r.id().origH())
                    .text(" resolved " + r.query())
                    .peer(r.query().toLowerCase(java.util.Locale.ROOT))
                    .because(Deviations.notInBaselineAlertOnly(from.workload(), v))
                    .field("dns.query", r.query()).field("dns.qtype_name", r.qtypeName()).field("vigil.uid", r.uid())
                    .evidence(r), out);
        }
    }

    private void peerAlert(Verdict v, Endpoint.Pod from, Endpoint resp, ConnId id, long now, String newApp,
                           LogRecord record, Detections out) {
        BuiltinRule rule = ruleFor(kind);
        String baselineName = peerNamespace == null ? peerName : peerNamespace + "/" + peerName;
        String shown = shown(resp, id, baselineName);
        String why = newApp != null ? "application " + newApp + " is new for this peer; " + Deviations.notInBaseline(from.workload(), v)
                : Deviations.notInBaseline(from.workload(), v);
        String output = report(alerts.alert(rule, now).fromEndpoint(from, id.origH())
                .to(shown, id)
                .peer(kind.label() + ":" + baselineName)
                .because(why)
                .field("vigil.peer.kind", kind.label())
                .field("vigil.peer", baselineName)
                .field("vigil.uid", uidOf(record))
                .evidence(record), out);
        if (v == Verdict.BLOCK) {
            out.decide(new Decision.BlockConnection(rule.name(), output, from.namespace(), from.name(), id, baselineName));
        }
    }

    private static BuiltinRule ruleFor(PeerKind kind) {
        return switch (kind) {
            case EXTERNAL -> UNEXPECTED_EGRESS;
            case KUBE_API -> UNEXPECTED_API;
            default -> UNEXPECTED_PEER;
        };
    }

    /** External peers and the API server by their baseline name, peers in the cluster by pod or Service. */
    private String shown(Endpoint resp, ConnId id, String baselineName) {
        return kind == PeerKind.EXTERNAL || kind == PeerKind.KUBE_API ? baselineName : AlertFactory.label(resp, id.respH());
    }

    private String report(AlertFactory.Builder a, Detections out) {
        Alert alert = a.build();
        out.alert(alert);
        return alert.output();
    }

    private static String uidOf(LogRecord r) {
        return switch (r) {
            case ConnRecord c -> c.uid();
            case SslRecord s -> s.uid();
            default -> null;
        };
    }

    /** Sets {@link #kind}, {@link #peerNamespace}, {@link #peerName} for the responder; allocates nothing. */
    private void classify(Endpoint resp, String ip, int port, String podNamespace, String pod) {
        peerNamespace = null;
        if (isApiServer(resp, ip, port)) {
            kind = PeerKind.KUBE_API;
            peerName = API_SERVER;
            return;
        }
        switch (resp) {
            case Endpoint.Pod p -> {
                kind = PeerKind.WORKLOAD;
                peerNamespace = p.namespace();
                peerName = p.workload() != null ? p.workload().name() : p.name();
            }
            case Endpoint.Service s -> {
                kind = PeerKind.SERVICE;
                peerNamespace = s.namespace();
                peerName = s.name();
            }
            case Endpoint.Node n -> {
                kind = PeerKind.NODE;
                peerName = n.name();
            }
            case Endpoint.External x -> {
                kind = PeerKind.EXTERNAL;
                peerName = NetFacts.peerLabel(x, ip, names, podNamespace, pod);
            }
            case null -> {
                kind = PeerKind.EXTERNAL;
                peerName = NetFacts.peerLabel(null, ip, names, podNamespace, pod);
            }
        }
    }

    private boolean isApiServer(Endpoint resp, String ip, int port) {
        if (resp instanceof Endpoint.Service s && s.name().equals("kubernetes") && s.namespace().equals("default")) {
            return true;
        }
        if (resp instanceof Endpoint.Node && port == apiServerPort) {
            return true;
        }
        int[] ports = apiEndpoints.get(ip);
        if (ports != null) {
            for (int p : ports) {
                if (p == port) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the responder answered: a SYN-ACK in TCP's history, a reply packet otherwise. */
    private static boolean answered(ConnRecord c) {
        return switch (c.id().proto()) {
            case "tcp" -> c.history() != null && c.history().indexOf('h') >= 0;
            case "udp" -> c.respPkts() > 0;
            default -> false;
        };
    }
}
