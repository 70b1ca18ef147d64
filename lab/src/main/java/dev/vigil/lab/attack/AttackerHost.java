package dev.vigil.lab.attack;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.topology.DefaultTopology;
import dev.vigil.lab.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A host of the lab's simulated internet by one of its DNS names: its address and network
 * namespace, servers opened inside that namespace (Java sockets bound there, or host programs
 * under {@code ip netns exec}), and a readiness probe from inside it.
 */
final class AttackerHost {

    /** How long a server started for a scenario gets to accept connections. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stopped server gets between SIGTERM and SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final String name;
    private final Topology.InternetHost host;

    private AttackerHost(String name, Topology.InternetHost host) {
        this.name = name;
        this.host = host;
    }

    /** The simulated internet host that {@code dnsName} resolves to in the lab. */
    static AttackerHost named(String dnsName) {
        for (Topology.InternetHost h : DefaultTopology.create().internet()) {
            if (h.dnsNames().contains(dnsName)) {
                LabAddresses.requireLab(h.ip());
                return new AttackerHost(dnsName, h);
            }
        }
        throw new AttackException("no simulated internet host is named " + dnsName + " in the lab topology");
    }

    String name() {
        return name;
    }

    String ip() {
        return host.ip();
    }

    String netns() {
        return host.netns();
    }

    /** A listening TCP socket on {@code ip:port} inside the host's namespace; closed with the scenario. */
    ServerSocket listen(AttackRun run, int port) throws Exception {
        ServerSocket server = Netns.call(netns(), () -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(ip(), port), 4);
            return s;
        });
        run.onCleanup("close the listener on " + this + ":" + port, server::close);
        return server;
    }

    /** An HTTP server on {@code ip:port} inside the host's namespace; stopped with the scenario. */
    HttpServer http(AttackRun run, int port) throws Exception {
        HttpServer server = Netns.call(netns(), () -> HttpServer.create(new InetSocketAddress(ip(), port), 8));
        run.onCleanup("stop the HTTP server on " + this + ":" + port, () -> server.stop(0));
        return server;
    }

    /** Starts a host program in the namespace, its output in {@code log}; stopped (SIGTERM, then SIGKILL) with the scenario. */
    Process start(AttackRun run, List<String> argv, java.nio.file.Path log) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns()));
        full.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        run.onCleanup("stop " + argv.getFirst() + " on " + this, () -> {
            p.destroy();
            if (!p.waitFor(KILL_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        });
        return p;
    }

    /** Waits until something accepts TCP connections on {@code port}, probing from inside the namespace. */
    void awaitListening(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            boolean up = Netns.call(netns(), () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ip(), port), 300);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (up) {
                return;
            }
            if (!server.isAlive()) {
                throw new AttackException("the server on " + this + ":" + port + " exited " + server.exitValue() + " before listening");
            }
            if (System.nanoTime() > deadline) {
                throw new AttackException("nothing listens on " + this + ":" + port + " after " + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** {@code name (ip)}. */
    @Override
    public String toString() {
        return name + " (" + ip() + ")";
    }
}
