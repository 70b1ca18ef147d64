package dev.vigil.host.enforce;

import dev.vigil.model.host.EnforcementAudit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Cuts a pod off the network with an nftables table ({@value #TABLE}, family inet) created inside
 * the pod's own network namespace — entered with {@code nsenter --net=/proc/<pid>/ns/net} — so that
 * nothing outside the pod is touched. The table drops everything except loopback and, when
 * configured, packets of connections already established. Lifting deletes the table. Refuses when the
 * given process is not in the targeted container or shares the host's network namespace. Active
 * quarantines are lifted on {@link #close()} — and by a shutdown hook on SIGTERM/SIGINT — unless
 * {@code keepOnClose}. Every action is audited.
 */
public final class NetworkQuarantine implements AutoCloseable {

    /** The nftables table Vigil creates in a quarantined pod's namespace. */
    public static final String TABLE = "vigil_quarantine";
    /** Longest time an nft invocation may take. */
    public static final int NFT_TIMEOUT_SECONDS = PodNft.NFT_TIMEOUT_SECONDS;

    /**
     * What a quarantine lets through.
     *
     * @param allowLoopback    keep the pod's loopback traffic
     * @param allowEstablished keep packets of connections established before the quarantine
     */
    public record Options(boolean allowLoopback, boolean allowEstablished) {
        public static final Options DEFAULT = new Options(true, true);
    }

    private record Active(int pid, String containerId, String pod) {
    }

    private final Consumer<EnforcementAudit> audit;
    private final boolean keepOnClose;
    private final Map<Long, Active> active = new ConcurrentHashMap<>();

    private final Thread hook = new Thread(this::close, "vigil-quarantine-cleanup");

    public NetworkQuarantine(Consumer<EnforcementAudit> audit, boolean keepOnClose) {
        this.audit = audit;
        this.keepOnClose = keepOnClose;
        if (!keepOnClose) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** The nft script of a quarantine table. */
    static String ruleset(Options o) {
        StringBuilder b = new StringBuilder("table inet " + TABLE + " {\n");
        for (String[] chain : new String[][] {{"input", "iif"}, {"output", "oif"}, {"forward", null}}) {
            b.append("  chain ").append(chain[0]).append(" {\n    type filter hook ").append(chain[0])
                    .append(" priority -10; policy drop;\n");
            if (o.allowLoopback() && chain[1] != null) {
                b.append("    ").append(chain[1]).append(" \"lo\" accept\n");
            }
            if (o.allowEstablished()) {
                b.append("    ct state established,related accept\n");
            }
            b.append("  }\n");
        }
        return b.append("}\n").toString();
    }

    /**
     * Quarantines the pod whose container {@code containerId} holds {@code pid}.
     *
     * @param pod a label for the audit trail, e.g. {@code namespace/name}
     */
    public synchronized EnforcementAudit quarantine(int pid, String containerId, String pod, Options options,
                                                    String reason) {
        String[] check = PodNft.refusal(pid, containerId, "a quarantine there would cut off the node");
        if (check != null) {
            return record("quarantine", check[0], containerId, pod, pid, null, reason, check[1]);
        }
        long ns = PodNft.netNs(pid);
        String target = "netns " + ns;
        String result = PodNft.nft(pid, List.of("-f", "-"), ruleset(options));
        if (result != null) {
            return record("quarantine", "failed", containerId, pod, pid, target, reason, result);
        }
        active.put(ns, new Active(pid, containerId, pod));
        return record("quarantine", "done", containerId, pod, pid, target, reason,
                "table inet " + TABLE + " created (loopback " + (options.allowLoopback() ? "kept" : "dropped")
                        + ", established " + (options.allowEstablished() ? "kept" : "dropped") + ")");
    }

    /** Lifts the quarantine of the pod whose container {@code containerId} holds {@code pid}. */
    public synchronized EnforcementAudit lift(int pid, String containerId, String pod, String reason) {
        String[] check = PodNft.refusal(pid, containerId, "a quarantine there would cut off the node");
        if (check != null) {
            return record("lift_quarantine", check[0], containerId, pod, pid, null, reason, check[1]);
        }
        long ns = PodNft.netNs(pid);
        String result = PodNft.nft(pid, List.of("delete", "table", "inet", TABLE), null);
        active.remove(ns);
        if (result != null) {
            return record("lift_quarantine", "failed", containerId, pod, pid, "netns " + ns, reason, result);
        }
        return record("lift_quarantine", "done", containerId, pod, pid, "netns " + ns, reason,
                "table inet " + TABLE + " deleted");
    }

    private EnforcementAudit record(String action, String outcome, String containerId, String pod, int pid,
                                    String target, String reason, String detail) {
        EnforcementAudit a = new EnforcementAudit(System.currentTimeMillis() * 1_000_000L, action, outcome,
                containerId, pod, pid, target, reason, detail);
        audit.accept(a);
        return a;
    }

    @Override
    public synchronized void close() {
        if (keepOnClose) {
            return;
        }
        for (Active a : List.copyOf(active.values())) {
            lift(a.pid(), a.containerId(), a.pod(), "sensor shutdown");
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }
}
