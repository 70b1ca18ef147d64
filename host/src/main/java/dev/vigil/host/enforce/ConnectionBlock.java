package dev.vigil.host.enforce;

import dev.vigil.model.host.EnforcementAudit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Blocks one peer of one pod — narrower than a {@link NetworkQuarantine}: an nftables table
 * ({@value #TABLE}, family inet) inside the pod's own network namespace, entered with
 * {@code nsenter --net=/proc/<pid>/ns/net}, whose rules drop the pod's packets to that peer's address
 * and port ({@code output}), or the peer's packets to the pod's port ({@code input}, for a connection
 * the pod accepted). Packets of an established connection are dropped too, so the connection stalls.
 * Nothing outside the pod's namespace changes; the same peer stays reachable for every other pod.
 *
 * <p>Refuses when the given process is not in the targeted container or shares the host's network
 * namespace. Every block and lift is audited. Tables are deleted on {@link #close()} — and by a
 * shutdown hook on SIGTERM/SIGINT — unless {@code keepOnClose}.
 */
public final class ConnectionBlock implements AutoCloseable {

    /** The nftables table Vigil creates in a pod's namespace for blocked peers. */
    public static final String TABLE = "vigil_block";
    /** Peers blocked in one pod at most; more are refused (an attacker must not grow the rule set without bound). */
    public static final int MAX_RULES_PER_POD = 256;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    /** Which way the blocked connection went, seen from the pod. */
    public enum Direction {
        /** The pod connected out to the peer: its packets to peer:port are dropped. */
        OUTBOUND,
        /** The peer connected in to the pod: the peer's packets to the pod's port are dropped. */
        INBOUND
    }

    private record Table(int pid, String containerId, String pod, Set<String> rules) {
    }

    private final Consumer<EnforcementAudit> audit;
    private final boolean keepOnClose;
    private final Map<Long, Table> tables = new ConcurrentHashMap<>();
    private final Thread hook = new Thread(this::close, "vigil-block-cleanup");

    public ConnectionBlock(Consumer<EnforcementAudit> audit, boolean keepOnClose) {
        this.audit = audit;
        this.keepOnClose = keepOnClose;
        if (!keepOnClose) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** The nft rule that drops one peer; null when the address or protocol cannot be written safely. */
    static String rule(Direction direction, String peerIp, String proto, int port) {
        String family;
        if (IPV4.matcher(peerIp).matches()) {
            family = "ip";
        } else if (peerIp.contains(":") && IPV6.matcher(peerIp).matches()) {
            family = "ip6";
        } else {
            return null;
        }
        if (!proto.equals("tcp") && !proto.equals("udp") || port < 0 || port > 65535) {
            return null;
        }
        return direction == Direction.OUTBOUND
                ? "add rule inet " + TABLE + " output " + family + " daddr " + peerIp + " " + proto + " dport " + port
                        + " counter drop"
                : "add rule inet " + TABLE + " input " + family + " saddr " + peerIp + " " + proto + " dport " + port
                        + " counter drop";
    }

    /** The script that creates the table with empty chains. */
    static String table() {
        return "add table inet " + TABLE + "\n"
                + "add chain inet " + TABLE + " output { type filter hook output priority -10; policy accept; }\n"
                + "add chain inet " + TABLE + " input { type filter hook input priority -10; policy accept; }\n";
    }

    /**
     * Drops traffic of the pod whose container {@code containerId} holds {@code pid} with
     * {@code peerIp}: to {@code peerIp:port} ({@link Direction#OUTBOUND}) or from it to the pod's
     * {@code port} ({@link Direction#INBOUND}).
     *
     * @param pod a label for the audit trail, e.g. {@code namespace/name}
     */
    public synchronized EnforcementAudit block(int pid, String containerId, String pod, Direction direction, String peerIp,
                                               String proto, int port, String reason) {
        String target = (direction == Direction.OUTBOUND ? "to " : "from ") + peerIp + " " + proto + " port " + port;
        String rule = rule(direction, peerIp, proto, port);
        if (rule == null) {
            return record("block", "refused", containerId, pod, pid, target, reason,
                    "cannot write a rule for peer " + peerIp + " " + proto + "/" + port + ": only IPv4/IPv6 addresses over tcp or udp");
        }
        String[] check = PodNft.refusal(pid, containerId, "a block there would apply to the whole node");
        if (check != null) {
            return record("block", check[0], containerId, pod, pid, target, reason, check[1]);
        }
        long ns = PodNft.netNs(pid);
        Table t = tables.get(ns);
        if (t != null && t.rules().contains(rule)) {
            return record("block", "done", containerId, pod, pid, target + " (netns " + ns + ")", reason, "already blocked");
        }
        if (t != null && t.rules().size() >= MAX_RULES_PER_POD) {
            return record("block", "refused", containerId, pod, pid, target + " (netns " + ns + ")", reason,
                    "max rules per pod: " + MAX_RULES_PER_POD + " reached (table inet " + TABLE + "); quarantine the pod instead");
        }
        String script = (t == null ? table() : "") + rule + "\n";
        String result = PodNft.nft(pid, List.of("-f", "-"), script);
        if (result != null) {
            return record("block", "failed", containerId, pod, pid, target + " (netns " + ns + ")", reason, result);
        }
        if (t == null) {
            t = new Table(pid, containerId, pod, ConcurrentHashMap.newKeySet());
            tables.put(ns, t);
        }
        t.rules().add(rule);
        return record("block", "done", containerId, pod, pid, target + " (netns " + ns + ")", reason,
                "nft: " + rule.substring("add rule ".length()));
    }

    /** Deletes the table of the pod whose container {@code containerId} holds {@code pid}: every block lifted. */
    public synchronized EnforcementAudit lift(int pid, String containerId, String pod, String reason) {
        String[] check = PodNft.refusal(pid, containerId, "a block there would apply to the whole node");
        if (check != null) {
            return record("lift_block", check[0], containerId, pod, pid, null, reason, check[1]);
        }
        long ns = PodNft.netNs(pid);
        tables.remove(ns);
        String result = PodNft.nft(pid, List.of("delete", "table", "inet", TABLE), null);
        if (result != null) {
            return record("lift_block", "failed", containerId, pod, pid, "netns " + ns, reason, result);
        }
        return record("lift_block", "done", containerId, pod, pid, "netns " + ns, reason, "table inet " + TABLE + " deleted");
    }

    /** Network namespaces with blocks now. */
    public Set<Long> blockedNamespaces() {
        return Set.copyOf(tables.keySet());
    }

    private EnforcementAudit record(String action, String outcome, String containerId, String pod, int pid, String target,
                                    String reason, String detail) {
        EnforcementAudit a = new EnforcementAudit(System.currentTimeMillis() * 1_000_000L, action, outcome, containerId, pod,
                pid, target, reason, detail);
        audit.accept(a);
        return a;
    }

    @Override
    public synchronized void close() {
        if (keepOnClose) {
            return;
        }
        for (Map.Entry<Long, Table> e : List.copyOf(tables.entrySet())) {
            Table t = e.getValue();
            int pid = PodNft.processIn(e.getKey(), t.pid());
            if (pid < 0) {
                record("lift_block", "done", t.containerId(), t.pod(), t.pid(), "netns " + e.getKey(), "shutdown",
                        "the pod's network namespace is gone, and its table with it");
                continue;
            }
            String result = PodNft.nft(pid, List.of("delete", "table", "inet", TABLE), null);
            record("lift_block", result == null ? "done" : "failed", t.containerId(), t.pod(), pid, "netns " + e.getKey(),
                    "shutdown", result == null ? "table inet " + TABLE + " deleted" : result);
        }
        tables.clear();
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
