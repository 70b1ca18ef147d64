package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.capture.CaptureException;
import dev.vigil.net.capture.CaptureOptions;
import dev.vigil.net.capture.CaptureSession;
import dev.vigil.net.capture.LiveCapture;
import dev.vigil.net.capture.PodInterfaces;
import dev.vigil.net.pcap.LinkType;
import dev.vigil.net.pcap.PcapWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil capture}: live capture on named interfaces, on pods (the host side of their veth), or
 * on every pod as pods come and go; records as JSON lines, frames optionally to a pcap file. Stops on
 * Ctrl-C or after {@code --duration}, writing the records of flows still open.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Capture live traffic of interfaces or pods and print connection, application and scan records.")
public final class CaptureCommand implements java.util.concurrent.Callable<Integer> {

    /** How often {@code --all-pods} looks for new and removed pods. */
    static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(2);
    /** How often a status line goes to stderr. */
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);

    static final class Target {
        @Option(names = "--iface", paramLabel = "IF", description = "Capture on this interface (repeatable).")
        List<String> ifaces;

        @Option(names = "--pod", paramLabel = "NS/NAME",
                description = "Capture a pod's traffic on the host side of its veth (repeatable).")
        List<String> pods;

        @Option(names = "--all-pods", description = "Capture every pod, following pods as they come and go.")
        boolean allPods;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "-w", paramLabel = "FILE", description = "Also write every captured frame to this pcap file.")
    Path pcapFile;

    @Option(names = "--jsonl", paramLabel = "FILE|-",
            description = "Write records as JSON lines to FILE, or - for stdout (default: stdout unless -w is given).")
    String jsonl;

    @Option(names = "--logs", split = ",", paramLabel = "LOG[,LOG...]",
            description = "Logs to write (default: all but weird); see 'vigil pcap analyze --help'.")
    List<String> logs;

    @Option(names = "--filter", paramLabel = "BPF", description = "Capture filter in tcpdump syntax, e.g. 'tcp port 80'.")
    String filter;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long, e.g. 30s or 5m (default: until Ctrl-C).")
    String duration;

    @Option(names = "--buffer-size", paramLabel = "BYTES", defaultValue = "33554432",
            description = "Kernel capture buffer per interface (default: ${DEFAULT-VALUE}).")
    int bufferBytes;

    @Option(names = "--immediate", description = "Hand over each packet as it arrives (lower latency, more CPU per packet).")
    boolean immediate;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig of the cluster whose pod, service and workload names are added to records.")
    Path kubeconfig;

    @Mixin
    NetworkOptions network;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Duration limit = duration != null ? NetworkOptions.duration("--duration", duration) : null;
        Identities cluster = Identities.open(kubeconfig);
        IdentityResolver identities = cluster.resolver();
        CaptureOptions options;
        try {
            options = CaptureOptions.defaults().withBufferBytes(bufferBytes).withFilter(filter).withImmediate(immediate);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), dev.vigil.cli.Vigil.EXIT_USAGE);
        }
        Set<String> fixed = fixedInterfaces();
        PcapWriter writer = pcapFile != null ? PcapWriter.create(pcapFile, LinkType.ETHERNET, options.snaplen()) : null;
        Writer out = recordWriter();
        RecordOutput output = new RecordOutput(out, RecordOutput.parseLogs(logs), false);
        CaptureSession session = new CaptureSession(options,
                iface -> new Pipeline(network.pipelineConfig(identities), AnalyzerDiscovery.factory(), output),
                writer, line -> {
                    err.println("vigil: " + line);
                    err.flush();
                });
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                session.close();
                report(err, session.stats());
                err.printf("vigil: %,d packets analyzed%n", session.frames());
                try {
                    output.close();
                    if (writer != null) {
                        writer.close();
                    }
                } catch (IOException e) {
                    err.println("vigil: closing output failed: " + e.getMessage());
                }
                cluster.close();
                done.countDown();
            }
        };
        Thread hook = new Thread(shutdown, "vigil-capture-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, String> pods = Map.of();
            if (fixed != null) {
                for (String iface : fixed) {
                    session.start(iface);
                }
            } else {
                pods = PodInterfaces.all();
                session.sync(Set.copyOf(pods.values()));
            }
            long end = limit != null ? System.nanoTime() + limit.toNanos() : Long.MAX_VALUE;
            long nextStatus = System.nanoTime() + STATUS_INTERVAL.toNanos();
            while (System.nanoTime() < end && !closed.get()) {
                long wait = Math.min(FOLLOW_INTERVAL.toNanos(), end - System.nanoTime());
                if (done.await(Math.max(1, wait), TimeUnit.NANOSECONDS)) {
                    break;
                }
                if (fixed == null) {
                    pods = PodInterfaces.all(pods);
                    session.sync(Set.copyOf(pods.values()));
                } else if (session.interfaces().isEmpty()) {
                    break;
                }
                if (System.nanoTime() > nextStatus) {
                    nextStatus = System.nanoTime() + STATUS_INTERVAL.toNanos();
                    report(err, session.stats());
                }
            }
        } catch (CaptureException e) {
            shutdown.run();
            throw new UserError(e.getMessage());
        }
        shutdown.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return 0;
    }

    private Set<String> fixedInterfaces() {
        if (target.allPods) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        if (target.ifaces != null) {
            out.addAll(target.ifaces);
        }
        if (target.pods != null) {
            for (String pod : target.pods) {
                out.add(podInterface(pod));
            }
        }
        return out;
    }

    /** The host-side interface of {@code NS/NAME} (a pod, or a workload with one pod); an interface name is accepted too. */
    static String podInterface(String pod) {
        int slash = pod.indexOf('/');
        if (slash > 0) {
            String netns = PodInterfaces.findPodNetns(pod.substring(0, slash), pod.substring(slash + 1));
            if (netns != null) {
                String iface = PodInterfaces.hostInterface(netns);
                if (iface == null) {
                    throw new UserError("pod " + pod + " has network namespace " + netns
                            + " but no veth to the host; is the pod still starting? check: sudo ip -n " + netns + " link");
                }
                return iface;
            }
        } else if (PodInterfaces.exists(pod)) {
            return pod;
        }
        String wanted = slash > 0
                ? PodInterfaces.POD_NETNS_PREFIXES.stream().map(p -> p + pod.substring(0, slash) + "-" + pod.substring(slash + 1))
                        .collect(java.util.stream.Collectors.joining(" or "))
                : pod;
        throw new UserError("no pod " + pod + " on this node (no network namespace " + wanted + " in "
                + PodInterfaces.NETNS_DIR + ", or several pods of that workload); list pods' namespaces with: ip netns list,"
                + " or pass --iface");
    }

    private Writer recordWriter() throws IOException {
        String target = jsonl != null ? jsonl : (pcapFile == null ? "-" : null);
        if (target == null) {
            return Writer.nullWriter();
        }
        if (target.equals("-")) {
            return new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
        }
        return Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8);
    }

    private static void report(PrintWriter err, Map<String, LiveCapture.Stats> stats) {
        stats.forEach((iface, s) -> err.printf("vigil: %s: %,d packets received, %,d dropped by the kernel, %,d by the interface%n",
                iface, s.received(), s.dropped(), s.interfaceDropped()));
        err.flush();
    }
}
