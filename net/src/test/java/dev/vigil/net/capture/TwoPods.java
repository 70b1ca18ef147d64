package dev.vigil.net.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by an address-less bridge, as the lab wires pods: {@code vigilt-a}
 * (10.251.7.1) and {@code vigilt-b} (not vigil-*, which the lab sweeps) (10.251.7.2), host-side veths {@code vigilta0} and
 * {@code vigiltb0}. No default route, no address in the host namespace: traffic stays between the two.
 * Everything is removed on {@link #close()}, also after a failed setup.
 */
final class TwoPods implements AutoCloseable {

    static final String A = "vigilt-a";
    static final String B = "vigilt-b";
    static final String A_IP = "10.251.7.1";
    static final String B_IP = "10.251.7.2";
    static final String BRIDGE = "vigiltbr0";

    private final List<Process> processes = new ArrayList<>();

    TwoPods() throws IOException, InterruptedException {
        try {
            cleanup();
            sh("ip link add " + BRIDGE + " type bridge && ip link set " + BRIDGE + " up");
            pod(A, "vigilta0", A_IP);
            pod(B, "vigiltb0", B_IP);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void pod(String ns, String hostVeth, String ip) throws IOException, InterruptedException {
        sh("ip netns add " + ns
                + " && ip link add " + hostVeth + " type veth peer name eth0 netns " + ns
                + " && ip link set " + hostVeth + " master " + BRIDGE + " up"
                + " && ip -n " + ns + " addr add " + ip + "/24 dev eth0"
                + " && ip -n " + ns + " link set eth0 up && ip -n " + ns + " link set lo up");
    }

    /** Starts a long-running process inside {@code ns}; stopped on close. */
    Process background(String ns, String command) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "sh", "-c", command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        return p;
    }

    /** Runs {@code command} inside {@code ns} and waits for it. */
    static void exec(String ns, String command) throws IOException, InterruptedException {
        sh("ip netns exec " + ns + " sh -c '" + command + "'");
    }

    static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("'" + command + "' failed: " + out);
        }
    }

    private static void cleanup() throws InterruptedException {
        for (String c : List.of("ip link del vigilta0", "ip link del vigiltb0", "ip netns del " + A, "ip netns del " + B,
                "ip link del " + BRIDGE)) {
            try {
                sh(c + " 2>/dev/null || true");
            } catch (IOException ignored) {
                // nothing to remove
            }
        }
        // the kernel removes a deleted namespace's links asynchronously
        for (int i = 0; i < 50 && (java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net/vigilta0"))
                || java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net/vigiltb0"))); i++) {
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        cleanup();
    }
}
