package dev.vigil.cli.host;

import dev.vigil.cli.UserError;
import dev.vigil.cli.Vigil;
import dev.vigil.cli.net.Identities;
import dev.vigil.host.watch.HostSensor;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.record.JsonLine;
import dev.vigil.model.record.LogRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil host watch}: runs the host sensors and prints their events as JSON lines with Falco's
 * field names, until SIGINT/SIGTERM or {@code --duration}. Shutdown removes the ftrace instance and
 * closes the fanotify groups; counters of lost events are written as {@code host_stats} records
 * periodically and at the end.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print process, syscall and file events of this node's containers as JSON lines (needs root).")
public final class HostWatchCommand implements Callable<Integer> {

    @Option(names = "--jsonl", paramLabel = "FILE", defaultValue = "-",
            description = "Write events to FILE, or - for standard output (default: -).")
    String jsonl;

    @Option(names = "--pod", paramLabel = "NS/NAME",
            description = "Only events of this pod (needs identity resolution: --kubeconfig).")
    String pod;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig of the cluster whose pods name the containers (default: none; containers are then named by id only).")
    Path kubeconfig;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: until SIGINT or SIGTERM).")
    Integer duration;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Write the loss counters (host_stats) every SECONDS (default: 10; 0: only at the end).")
    int statsInterval;

    @Option(names = "--no-syscalls", description = "Do not run the syscall sensor (ftrace).")
    boolean noSyscalls;

    @Option(names = "--no-files", description = "Do not run the file sensor (fanotify).")
    boolean noFiles;

    @Option(names = "--no-forks", description = "Do not report process forks (clone events).")
    boolean noForks;

    @Option(names = "--file-execs",
            description = "Also report executions seen by fanotify as open events (the process sensor reports every execve anyway).")
    boolean fileExecs;

    @Option(names = "--ftrace-instance", paramLabel = "NAME", defaultValue = "vigil",
            description = "Name of the private ftrace instance (default: vigil).")
    String instance;

    @Override
    public Integer call() throws Exception {
        if (dev.vigil.host.linux.Native.geteuid() != 0) {
            throw new UserError("vigil host watch needs root (netlink proc connector, ftrace, fanotify): "
                    + "run it as root, e.g. sudo ./vigil host watch");
        }
        if (duration != null && duration <= 0) {
            throw new UserError("--duration: " + duration + " must be a positive number of seconds", Vigil.EXIT_USAGE);
        }
        if (statsInterval < 0) {
            throw new UserError("--stats-interval: " + statsInterval + " must be 0 or more", Vigil.EXIT_USAGE);
        }
        Predicate<HostEvent> filter = podFilter(pod);
        Identities identity = Identities.open(kubeconfig);
        IdentityResolver resolver = identity.resolver();
        HostSensor.Config config = new HostSensor.Config(true, !noSyscalls, !noFiles, !noForks, fileExecs, instance,
                dev.vigil.host.file.SensitiveFiles.DEFAULT, filter);
        OutputStream out = new BufferedOutputStream(jsonl.equals("-") ? System.out : Files.newOutputStream(Path.of(jsonl)),
                1 << 16);
        JsonWriter writer = new JsonWriter(out, !jsonl.equals("-"));
        HostSensor sensor = new HostSensor(config, resolver, writer);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            sensor.close();
            writer.close();
            identity.close();
        }, "vigil-host-watch-shutdown");
        try {
            sensor.start();
        } catch (IllegalStateException e) {
            writer.close();
            identity.close();
            throw new UserError(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("vigil host watch: sensors started (processes" + (noSyscalls ? "" : ", syscalls")
                + (noFiles ? "" : ", files") + ")" + (sensor.missingSyscalls().isEmpty() ? ""
                : "; this kernel cannot trace " + sensor.missingSyscalls()) + "; writing to "
                + (jsonl.equals("-") ? "standard output" : jsonl) + "; stop with Ctrl-C");
        long started = System.nanoTime();
        long runNanos = duration == null ? -1 : TimeUnit.SECONDS.toNanos(duration);
        long statsNanos = statsInterval == 0 ? -1 : TimeUnit.SECONDS.toNanos(statsInterval);
        long lastStats = started;
        while (runNanos < 0 || System.nanoTime() - started < runNanos) {
            long now = System.nanoTime();
            long wait = Long.MAX_VALUE;
            if (runNanos >= 0) {
                wait = Math.min(wait, runNanos - (now - started));
            }
            if (statsNanos > 0) {
                wait = Math.min(wait, statsNanos - (now - lastStats));
            }
            if (stop.await(Math.max(1, wait), TimeUnit.NANOSECONDS)) {
                return 0;
            }
            if (statsNanos > 0 && System.nanoTime() - lastStats >= statsNanos) {
                var stats = sensor.stats();
                sensor.emit(stats);
                System.err.println("vigil host watch: " + stats.procEvents() + " process events (lost "
                        + stats.procLost() + "), " + stats.syscallEvents() + " syscalls (lost " + stats.syscallLost()
                        + "), " + stats.fileEvents() + " file events (overflows " + stats.fileOverflows() + "), dropped "
                        + stats.dropped());
                lastStats += statsNanos;
            }
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        sensor.close();
        writer.close();
        identity.close();
        return 0;
    }

    static Predicate<HostEvent> podFilter(String pod) {
        if (pod == null) {
            return e -> true;
        }
        int slash = pod.indexOf('/');
        if (slash <= 0 || slash == pod.length() - 1 || pod.indexOf('/', slash + 1) >= 0) {
            throw new UserError("--pod: '" + pod + "' is not NAMESPACE/NAME, e.g. --pod shop/api-7d9c", Vigil.EXIT_USAGE);
        }
        String ns = pod.substring(0, slash);
        String name = pod.substring(slash + 1);
        return e -> e.container() != null && e.container().identity() != null
                && ns.equals(e.container().identity().namespace()) && name.equals(e.container().identity().pod());
    }

    /** One JSON line per record, as the UTF-8 bytes it is rendered in, into a buffered stream; called from the sensor's output thread only. */
    static final class JsonWriter implements java.util.function.Consumer<LogRecord> {
        private final OutputStream out;
        private final boolean closeAtEnd;
        private final JsonLine json = new JsonLine();
        private boolean closed;

        JsonWriter(OutputStream out, boolean closeAtEnd) {
            this.out = out;
            this.closeAtEnd = closeAtEnd;
        }

        @Override
        public synchronized void accept(LogRecord record) {
            if (closed) {
                return;
            }
            json.begin(record).finish();
            try {
                out.write(json.bytes(), 0, json.length());
                out.write('\n');
            } catch (IOException e) {
                closed = true;
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.flush();
                if (closeAtEnd) {
                    out.close();
                }
            } catch (IOException ignored) {
                // the reader went away; nothing more to write to
            }
        }
    }
}
