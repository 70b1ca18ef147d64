package dev.vigil.agent.enforce;

import dev.vigil.agent.pods.PodFollower;
import dev.vigil.agent.pods.PodNetwork;
import dev.vigil.detect.detector.Decision;
import dev.vigil.host.enforce.ConnectionBlock;
import dev.vigil.host.enforce.ProcessKiller;
import dev.vigil.model.host.EnforcementAudit;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.net.ConnId;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Carries out protect-mode decisions with the host module's primitives, each confined to its target:
 * {@link Decision.KillProcess} with {@link ProcessKiller} (a pidfd, after checking the process is in
 * the decided container); {@link Decision.BlockConnection} with {@link ConnectionBlock} in the decided
 * pod's own network namespace — the pod's packets to the peer's address and port for a connection it
 * opened, the peer's packets to the pod's port for one it accepted — entered through a process of the
 * pod that the {@link PodFollower} knows. Every action, done or refused, is an
 * {@link EnforcementAudit} record. Blocks are lifted when the agent stops.
 */
public final class Enforcer implements Consumer<Decision>, AutoCloseable {

    private final PodFollower pods;
    private final IdentityResolver resolver;
    private final Consumer<EnforcementAudit> audit;
    private final ProcessKiller killer;
    private final ConnectionBlock blocks;
    private final LongAdder done = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public Enforcer(PodFollower pods, IdentityResolver resolver, Consumer<EnforcementAudit> audit) {
        this.pods = pods;
        this.resolver = resolver;
        this.audit = this.counting(audit);
        this.killer = new ProcessKiller(this.audit);
        this.blocks = new ConnectionBlock(this.audit, false);
    }

    private Consumer<EnforcementAudit> counting(Consumer<EnforcementAudit> downstream) {
        return a -> {
            switch (a.outcome()) {
                case "done" -> done.increment();
                case "refused" -> refused.increment();
                default -> failed.increment();
            }
            downstream.accept(a);
        };
    }

    @Override
    public void accept(Decision d) {
        switch (d) {
            case Decision.KillProcess k -> killer.kill(k.pid(), k.containerId(), k.rule() + ": " + k.reason());
            case Decision.BlockConnection b -> block(b);
        }
    }

    private void block(Decision.BlockConnection b) {
        String pod = b.namespace() + "/" + b.pod();
        String reason = b.rule() + ": " + b.reason();
        PodNetwork net = pods.byPod(b.namespace(), b.pod());
        if (net == null) {
            audit.accept(new EnforcementAudit(System.currentTimeMillis() * 1_000_000L, "block", "refused", null, pod, -1,
                    b.peer(), reason, "pod " + pod + " has no network namespace the agent follows on this node"));
            return;
        }
        ConnId id = b.id();
        boolean outbound = resolver.resolve(id.origH(), java.time.Instant.now()) instanceof Endpoint.Pod p
                && p.namespace().equals(b.namespace()) && p.name().equals(b.pod());
        if (outbound) {
            blocks.block(net.pid(), net.containerId(), pod, ConnectionBlock.Direction.OUTBOUND, id.respH(), id.proto(),
                    id.respP(), reason);
        } else {
            blocks.block(net.pid(), net.containerId(), pod, ConnectionBlock.Direction.INBOUND, id.origH(), id.proto(),
                    id.respP(), reason);
        }
    }

    /** Actions done. */
    public long done() {
        return done.sum();
    }

    /** Actions refused by a confinement check. */
    public long refused() {
        return refused.sum();
    }

    /** Actions that failed. */
    public long failed() {
        return failed.sum();
    }

    /** Lifts every block. */
    @Override
    public void close() {
        blocks.close();
    }
}
