package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;

/**
 * The built-in detectors of host events behind one call per event: processes, written files and
 * token reads against the container's baseline ({@link ProcessBaselineDetector}), and connections a
 * container's process opens against the workload's network baseline
 * ({@link NetworkBaselineDetector#connect}), the peer's address resolved with the agent's
 * {@link IdentityResolver}. Loopback connections stay inside the pod and are not checked. The
 * single-event host detections (shells, drift, fileless, tools, ptrace …) are rules of the rule
 * engine's default file. One instance per host sensor thread; {@link Baselines} and {@link DnsNames}
 * may be shared with the network side.
 */
public final class HostDetectors {

    private final ProcessBaselineDetector processes;
    private final NetworkBaselineDetector network;
    private final IdentityResolver resolver;

    public HostDetectors(Baselines baselines, DnsNames names, NetworkDetectorConfig config, AlertFactory alerts,
                         IdentityResolver resolver) {
        this.processes = new ProcessBaselineDetector(alerts, baselines);
        this.network = new NetworkBaselineDetector(alerts, baselines, names, config);
        this.resolver = resolver;
    }

    public void event(HostEvent e, Detections out) {
        processes.event(e, out);
        if ("connect".equals(e.type())) {
            connect(e, out);
        }
    }

    private void connect(HostEvent e, Detections out) {
        HostEvent.Fd fd = e.fd();
        ContainerIdentity c = e.container() == null ? null : e.container().identity();
        if (fd == null || fd.sip() == null || fd.sport() < 0 || c == null || c.workload() == null
                || (fd.typechar() != '4' && fd.typechar() != '6') || isLoopback(fd.sip())
                || unspecified(fd.sip(), fd.sport())) {
            return;
        }
        Endpoint resp = resolver.resolveEpochNanos(fd.sip(), e.timeNanos());
        network.connect(e, c, resp, out);
    }

    /**
     * A socket described before its peer was set (a non-blocking connect still in progress, or a
     * descriptor reused before it was read) shows the wildcard address or port 0: no peer to judge.
     */
    static boolean unspecified(String ip, int port) {
        return port == 0 || ip.equals("0.0.0.0") || ip.equals("::");
    }

    static boolean isLoopback(String ip) {
        return ip.startsWith("127.") || ip.equals("::1");
    }
}
