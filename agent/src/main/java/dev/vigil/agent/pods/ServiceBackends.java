package dev.vigil.agent.pods;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pod of this node answers for a Service address, learnt from the pods' own captures: a
 * connection to Service address S that arrives on pod P's veth, from someone other than P, is served by
 * P (with direct routing to a ClusterIP held by the backend, as in the lab, or eBPF socket-level load
 * balancing, the client's packets carry S all the way to P). Detections then name the pod that
 * answered (a SQL injection reached {@code shop-api/api-…}, not just {@code svc:shop-api/api}). An
 * address answered for by two pods is ambiguous and stays the Service. Thread-safe; at most
 * {@link #MAX_ADDRESSES} addresses.
 */
public final class ServiceBackends {

    /** Service addresses remembered at most; beyond, new ones are not learnt. */
    public static final int MAX_ADDRESSES = 65_536;

    private static final PodNetwork AMBIGUOUS = new PodNetwork(0, 0, "", null, "", 0);

    private final Map<String, PodNetwork> byAddress = new ConcurrentHashMap<>();

    /** A record captured on {@code capturing}'s veth went from {@code orig} to {@code resp}. */
    public void observe(PodNetwork capturing, Endpoint orig, Endpoint resp) {
        if (!(resp instanceof Endpoint.Service s) || capturing == null || capturing.identity() == null) {
            return;
        }
        if (orig instanceof Endpoint.Pod o && capturing.is(o.namespace(), o.name())) {
            return;
        }
        PodNetwork known = byAddress.get(s.ip());
        if (known == null) {
            if (byAddress.size() < MAX_ADDRESSES) {
                byAddress.put(s.ip(), capturing);
            }
        } else if (known != AMBIGUOUS && known.netNs() != capturing.netNs()) {
            byAddress.put(s.ip(), AMBIGUOUS);
        }
    }

    /** {@code e} itself, or the local pod that answers for it when {@code e} is a Service address with one. */
    public Endpoint backend(Endpoint e) {
        if (!(e instanceof Endpoint.Service s)) {
            return e;
        }
        PodNetwork p = byAddress.get(s.ip());
        if (p == null || p == AMBIGUOUS) {
            return e;
        }
        ContainerIdentity id = p.identity();
        return new Endpoint.Pod(s.ip(), id.namespace(), id.pod(), id.workload(), null);
    }

    /** Forgets what pod {@code gone} answered for. */
    public void forget(PodNetwork gone) {
        byAddress.values().removeIf(p -> p.netNs() == gone.netNs());
    }
}
