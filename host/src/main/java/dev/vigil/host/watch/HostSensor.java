package dev.vigil.host.watch;

import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.file.FileSensor;
import dev.vigil.host.file.SensitiveFiles;
import dev.vigil.host.proc.ProcessSensor;
import dev.vigil.host.syscall.SyscallSensor;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.host.SensorStats;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.record.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The host sensor of one node: process events (proc connector), selected syscalls (ftrace) and file
 * events (fanotify), all attributed to pod, container and image through one {@link ContainerCatalog},
 * delivered in one stream of {@link HostEvent}s through a bounded queue. The file sensor watches each
 * container as soon as the process sensor first sees one of its processes (at start-up or exec).
 *
 * <p>Start-up order: file sensor, then the process sensor (whose scan of running processes also
 * reports the sockets open in each pod's network namespace), then the syscall sensor. {@link #close()}
 * (also run from the syscall sensor's shutdown hook on SIGTERM for the ftrace part) closes them in
 * reverse, which removes the ftrace instance and every fanotify mark, and flushes the queue.
 */
public final class HostSensor implements AutoCloseable {

    /**
     * What to run.
     *
     * @param processes      run the process sensor
     * @param syscalls       run the syscall sensor
     * @param files          run the file sensor
     * @param forks          report forks ({@code clone})
     * @param fileExecs      report executions seen by fanotify as file events too
     * @param ftraceInstance name of the private ftrace instance
     * @param sensitive      sensitive reads and system directories
     * @param filter         events to keep (e.g. one pod); others are not delivered
     */
    public record Config(boolean processes, boolean syscalls, boolean files, boolean forks, boolean fileExecs,
                         String ftraceInstance, SensitiveFiles sensitive, Predicate<HostEvent> filter) {

        /**
         * Every sensor on, instance {@code vigil}, default sensitive files, no filter; executions are
         * reported by the process sensor only (each fanotify exec event costs the kernel an open file
         * in the sensor, for information the execve event already has).
         */
        public static final Config DEFAULT = new Config(true, true, true, true, false, "vigil", SensitiveFiles.DEFAULT,
                e -> true);

        public Config {
            if (!processes && !syscalls && !files) {
                throw new IllegalArgumentException("host sensor: at least one of processes, syscalls, files must run");
            }
        }

        public Config withFilter(Predicate<HostEvent> f) {
            return new Config(processes, syscalls, files, forks, fileExecs, ftraceInstance, sensitive, f);
        }

        public Config withInstance(String name) {
            return new Config(processes, syscalls, files, forks, fileExecs, name, sensitive, filter);
        }
    }

    private final Config config;
    private final ContainerCatalog catalog;
    private final EventQueue out;
    private final List<HostEvent> startup = new ArrayList<>();
    private volatile boolean starting = true;
    private boolean closed;
    private FileSensor files;
    private ProcessSensor processes;
    private SyscallSensor syscalls;

    public HostSensor(Config config, IdentityResolver resolver, Consumer<LogRecord> consumer) {
        this.config = config;
        this.catalog = new ContainerCatalog(resolver);
        this.out = new EventQueue(EventQueue.DEFAULT_CAPACITY, consumer);
    }

    /**
     * Starts the sensors.
     *
     * @throws IllegalStateException naming the fix when a sensor cannot start (everything started is closed)
     */
    public void start() {
        try {
            if (config.files()) {
                files = new FileSensor(catalog, config.sensitive(), config.fileExecs(), this::deliver);
            }
            if (config.processes()) {
                processes = new ProcessSensor(new ProcessSensor.Config(config.forks(),
                        ProcessSensor.Config.DEFAULT.receiveBuffer(), ProcessSensor.Config.DEFAULT.maxProcesses(),
                        ProcessSensor.Config.DEFAULT.ancestors()), catalog, this::fromProcesses);
                processes.start(true);
                starting = false;
                List<HostEvent> seen;
                synchronized (startup) {
                    seen = List.copyOf(startup);
                    startup.clear();
                }
                StartupSockets.report(seen, this::deliver);
            }
            starting = false;
            if (config.syscalls()) {
                syscalls = new SyscallSensor(config.ftraceInstance(), catalog, config.sensitive(), this::deliver);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void fromProcesses(HostEvent e) {
        if (e.container() != null && files != null) {
            files.watch(e.container().id(), e.proc().pid());
        }
        if (starting && e.sensor().equals("startup")) {
            synchronized (startup) {
                startup.add(e);
            }
        }
        deliver(e);
    }

    private void deliver(HostEvent e) {
        if (config.filter().test(e)) {
            out.offer(e);
        }
    }

    /** Emits a record (e.g. an enforcement audit) into the same output stream. */
    public void emit(LogRecord record) {
        out.offer(record);
    }

    /** The loss and error counters now. */
    public SensorStats stats() {
        return new SensorStats(System.currentTimeMillis() * 1_000_000L,
                processes == null ? 0 : processes.events(),
                processes == null ? 0 : processes.lost(),
                processes == null ? 0 : processes.resyncs(),
                processes == null ? 0 : processes.malformed(),
                syscalls == null ? 0 : syscalls.events(),
                syscalls == null ? 0 : syscalls.lost(),
                syscalls == null ? 0 : syscalls.malformed(),
                files == null ? 0 : files.events(),
                files == null ? 0 : files.overflows(),
                out.dropped(),
                processes == null ? 0 : processes.unreadable(),
                syscalls == null ? 0 : syscalls.unresolved(),
                syscalls == null ? 0 : syscalls.filtered(),
                (processes == null ? 0 : processes.failures()) + (syscalls == null ? 0 : syscalls.failures())
                        + (files == null ? 0 : files.failures()));
    }

    /** The ftrace instance's missing tracepoints (syscalls this kernel cannot trace), empty when none. */
    public List<String> missingSyscalls() {
        return syscalls == null ? List.of() : syscalls.instance().missing();
    }

    /** The shared catalog (container identities, recent processes). */
    public ContainerCatalog catalog() {
        return catalog;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The last counters are read while the ftrace instance still exists.
        SensorStats last = stats();
        if (syscalls != null) {
            syscalls.close();
        }
        if (processes != null) {
            processes.close();
        }
        if (files != null) {
            files.close();
        }
        out.offer(last);
        out.close();
    }
}
