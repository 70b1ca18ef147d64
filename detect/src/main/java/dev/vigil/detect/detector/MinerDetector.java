package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.model.net.StratumRecord;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Crypto mining, from three angles:
 * <ul>
 *   <li>the Stratum protocol on the wire ({@code stratum} records: {@code mining.subscribe},
 *       {@code mining.authorize}, XMRig's {@code login}, {@code eth_submitLogin}) — certain, on any port;</li>
 *   <li>a mining pool's name in a DNS query or a TLS server name: a pool label ({@link #isPoolName}:
 *       {@code xmr.pool.example}, {@code moneropool.example}) or a known pool domain
 *       ({@link NetworkDetectorConfig#poolDomains()}), except
 *       {@link NetworkDetectorConfig#poolNameExclusions()} ({@code pool.ntp.org});</li>
 *   <li>a connection that carried data to a pool port ({@link NetworkDetectorConfig#poolPorts()}:
 *       3333, 4444, 5555, 7777, 14444, 45700) outside the cluster in a protocol that is not HTTP —
 *       weaker, so a lower priority.</li>
 * </ul>
 */
public final class MinerDetector {

    private static final List<Mitre> RESOURCE_HIJACKING = List.of(new Mitre("T1496", "Resource Hijacking", "impact"));

    public static final BuiltinRule STRATUM = new BuiltinRule("Crypto mining protocol", Priority.CRITICAL,
            Alert.SOURCE_NET, RESOURCE_HIJACKING, List.of("network", "mining"));
    public static final BuiltinRule POOL_NAME = new BuiltinRule("Crypto mining pool name", Priority.CRITICAL,
            Alert.SOURCE_NET, RESOURCE_HIJACKING, List.of("network", "mining"));
    public static final BuiltinRule POOL_PORT = new BuiltinRule("Connection to a mining pool port", Priority.WARNING,
            Alert.SOURCE_NET, RESOURCE_HIJACKING, List.of("network", "mining"));

    /** Stratum methods that start or authorize a mining session. */
    static final Set<String> SESSION_METHODS = Set.of("mining.subscribe", "mining.authorize", "mining.extranonce.subscribe",
            "login", "eth_submitLogin", "eth_login");

    /** Words that make "pool" in a name a mining pool. */
    static final List<String> MINING_WORDS = List.of("xmr", "monero", "mine", "mining", "stratum", "hash", "coin", "eth",
            "btc", "ltc", "rvn", "zec", "kaspa", "ergo");

    private final AlertFactory alerts;
    private final DnsNames names;
    private final NetworkDetectorConfig config;

    private final boolean[] poolPort = new boolean[65536];

    public MinerDetector(AlertFactory alerts, DnsNames names, NetworkDetectorConfig config) {
        this.alerts = alerts;
        this.names = names;
        this.config = config;
        for (int p : config.poolPorts()) {
            poolPort[p & 0xffff] = true;
        }
    }

    public void stratum(StratumRecord r, Endpoint orig, Endpoint resp, Detections out) {
        if (r.method() == null || !SESSION_METHODS.contains(r.method())) {
            return;
        }
        out.alert(alerts.alert(STRATUM, NetFacts.nanos(r.ts()))
                .fromEndpoint(orig, r.id().origH())
                .to(NetFacts.peerLabel(resp, r.id().respH(), names, orig), r.id())
                .because("Stratum " + r.method() + (r.agent() != null ? " by " + r.agent() : "")
                        + (r.user() != null ? " as " + r.user() : ""))
                .field("stratum.method", r.method())
                .field("stratum.user", r.user())
                .field("stratum.agent", r.agent())
                .field("vigil.uid", r.uid())
                .evidence(r)
                .build());
    }

    public void dns(DnsRecord r, Endpoint orig, Detections out) {
        if (r.query() == null || !isPoolName(r.query())) {
            return;
        }
        String name = r.query().toLowerCase(Locale.ROOT);
        out.alert(alerts.alert(POOL_NAME, NetFacts.nanos(r.ts()))
                .fromEndpoint(orig, r.id().origH())
                .text(" resolved " + name)
                .peer(name)
                .because("a mining pool's name")
                .field("dns.query", name)
                .field("vigil.uid", r.uid())
                .evidence(r)
                .build());
    }

    public void ssl(SslRecord r, Endpoint orig, Detections out) {
        if (r.serverName() == null || !isPoolName(r.serverName())) {
            return;
        }
        String name = r.serverName().toLowerCase(Locale.ROOT);
        out.alert(alerts.alert(POOL_NAME, NetFacts.nanos(r.ts()))
                .fromEndpoint(orig, r.id().origH())
                .to(name, r.id())
                .because("TLS to a mining pool's name")
                .field("ssl.server_name", name)
                .field("vigil.uid", r.uid())
                .evidence(r)
                .build());
    }

    public void conn(ConnRecord c, Endpoint orig, Endpoint resp, Detections out) {
        if (!(resp == null || resp instanceof Endpoint.External) || !poolPort[c.id().respP() & 0xffff]
                || !"tcp".equals(c.id().proto()) || c.origBytes() <= 0
                || c.service() != null && c.service().contains("http")) {
            return;
        }
        String peer = NetFacts.peerLabel(resp, c.id().respH(), names, orig);
        out.alert(alerts.alert(POOL_PORT, NetFacts.nanos(c.ts()))
                .fromEndpoint(orig, c.id().origH())
                .to(peer, c.id())
                .because(c.origBytes() + " bytes sent to pool port " + c.id().respP()
                        + (c.service() != null ? " as " + c.service() : " in an unidentified protocol"))
                .field("conn.service", c.service())
                .field("vigil.uid", c.uid())
                .evidence(c)
                .build());
    }

    /** Without allocating: whether {@code name} contains "pool" or ends in a pool domain (most names do neither). */
    private boolean mayBePool(String name) {
        int end = name.endsWith(".") ? name.length() - 1 : name.length();
        for (int i = 0; i + 4 <= end; i++) {
            if (name.regionMatches(true, i, "pool", 0, 4)) {
                return true;
            }
        }
        for (String d : config.poolDomains()) {
            if (end >= d.length() && name.regionMatches(true, end - d.length(), d, 0, d.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code name} is a mining pool's: a known pool domain, or a label that is {@code pool}
     * ({@code xmr.pool.example}), starts {@code pool} followed by a digit or dash, ends in {@code -pool},
     * or contains {@code pool} in a name that also has a mining word ({@code moneropool.example}) —
     * but not {@code poolside} or {@code carpool}; excluded names never are.
     */
    boolean isPoolName(String name) {
        if (!mayBePool(name)) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        for (String x : config.poolNameExclusions()) {
            if (n.equals(x) || n.endsWith("." + x)) {
                return false;
            }
        }
        for (String d : config.poolDomains()) {
            if (n.equals(d) || n.endsWith("." + d)) {
                return true;
            }
        }
        int tld = n.lastIndexOf('.');
        if (tld <= 0) {
            return false;
        }
        boolean miningWord = false;
        for (String w : MINING_WORDS) {
            miningWord |= n.contains(w);
        }
        for (String label : n.substring(0, tld).split("\\.")) {
            int at = label.indexOf("pool");
            if (at < 0) {
                continue;
            }
            boolean alone = label.equals("pool");
            boolean numbered = at == 0 && label.length() > 4 && (label.charAt(4) == '-' || Character.isDigit(label.charAt(4)));
            boolean suffix = label.endsWith("-pool");
            if (alone || numbered || suffix || miningWord) {
                return true;
            }
        }
        return false;
    }
}
