package dev.vigil.host.proc;

import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.linux.Native;
import dev.vigil.model.host.HostEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Process events from the proc connector: fork ({@code clone}), exec ({@code execve}), exit
 * ({@code procexit}), uid/gid/sid/comm changes and ptrace attach, each enriched from {@code /proc}
 * while the process still lives and otherwise reported with what the {@link ProcessTable} knows
 * (pid, parent, name and container inherited at fork, time).
 *
 * <p>Design: one platform thread receives, decodes and enriches synchronously, in kernel order, so
 * that {@code /proc} is read as early as possible after the exec; the netlink socket's large buffer
 * absorbs bursts. Loss is known two ways: the socket reports ENOBUFS (counted as an overflow, after
 * which {@code /proc} is rescanned to resynchronise the table), and the per-CPU sequence numbers of
 * the connector show how many events were missed ({@link #lost()}). Thread forks and exits are
 * tracked by the kernel but not reported. The sensor's own process is not reported.
 */
public final class ProcessSensor implements AutoCloseable {

    /**
     * What to report.
     *
     * @param forks          report {@code clone} events (process forks)
     * @param receiveBuffer  netlink receive buffer, bytes
     * @param maxProcesses   process table capacity
     * @param ancestors      ancestors listed per event
     */
    public record Config(boolean forks, int receiveBuffer, int maxProcesses, int ancestors) {
        public static final Config DEFAULT = new Config(true, ProcConnector.DEFAULT_RECEIVE_BUFFER,
                ProcessTable.DEFAULT_MAX_PROCESSES, ProcessReader.DEFAULT_ANCESTORS);

        public Config {
            if (receiveBuffer < 65536) {
                throw new IllegalArgumentException("receive buffer: " + receiveBuffer + " bytes is below the minimum 65536");
            }
            if (ancestors < 0 || ancestors > 64) {
                throw new IllegalArgumentException("ancestors: " + ancestors + " is outside 0..64");
            }
        }
    }

    /** Datagrams within {@link #STORM_WINDOW_NANOS} that make a storm. */
    static final int STORM_DATAGRAMS = 50;
    /** The window over which datagrams are counted. */
    static final long STORM_WINDOW_NANOS = 10_000_000;
    /** Nap in a storm, instead of poll(2): its datagrams are then read in batches. */
    static final long STORM_NAP_NANOS = 1_000_000;

    private final Config config;
    private final Consumer<HostEvent> sink;
    private final Native sys = new Native();
    private final ProcessReader reader;
    private final ContainerCatalog catalog;
    private final ProcessTable table;
    private final ProcEventDecoder decoder = new ProcEventDecoder();
    private final int self = Native.getpid();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;
    private volatile boolean running;
    private ProcConnector connector;
    private Thread thread;

    public ProcessSensor(Config config, ContainerCatalog catalog, Consumer<HostEvent> sink) {
        this.config = config;
        this.sink = sink;
        this.reader = new ProcessReader(sys, catalog);
        this.catalog = catalog;
        this.table = new ProcessTable(config.maxProcesses());
    }

    /**
     * Subscribes, loads the processes already running into the table (reporting each as a
     * {@code process} event of sensor {@code startup} when {@code reportRunning}), and starts
     * receiving.
     */
    public void start(boolean reportRunning) {
        connector = new ProcConnector(sys, config.receiveBuffer());
        scan(reportRunning ? "startup" : null);
        running = true;
        thread = Thread.ofPlatform().name("vigil-proc").daemon(true).start(this::loop);
    }

    /**
     * Reads datagrams until the socket is empty, then waits in poll(2). In a storm (more than
     * {@link #STORM_DATAGRAMS} datagrams in the last {@link #STORM_WINDOW_NANOS}, about 5,000 a second)
     * it naps {@link #STORM_NAP_NANOS} instead, so the storm is read in batches: a wake-up per datagram
     * (a context switch each) was a third of the thread's time at 2,800 execs/s. The price, in a storm
     * only: a process that lives under the nap has ended before its /proc is read, and is reported from
     * the connector's facts alone ({@code proc.unreadable}). Below that rate every datagram is read
     * as soon as it comes.
     */
    private void loop() {
        int counted = 0;
        long windowStart = System.nanoTime();
        boolean storm = false;
        while (running) {
            long before = System.nanoTime();
            if (before - windowStart >= STORM_WINDOW_NANOS) {
                storm = counted > STORM_DATAGRAMS;
                counted = 0;
                windowStart = before;
            }
            int n = connector.receive();
            if (n == -Native.EAGAIN) {
                catalog.processesCaughtUp(before);
            }
            if (n > 0) {
                counted++;
                decoder.decode(connector.buffer(), n, this::handle);
            } else if (n == -Native.ENOBUFS) {
                overflows.incrementAndGet();
                scan("resync");
                resyncs.incrementAndGet();
            } else if (storm) {
                LockSupport.parkNanos(STORM_NAP_NANOS);
            } else {
                connector.await(100);
            }
        }
    }

    private void handle(ProcEvent e) {
        events.incrementAndGet();
        if (e.tgid == self) {
            return;
        }
        try {
            dispatch(e);
        } catch (RuntimeException ex) {
            // One event that could not be described must not stop the sensor.
            failures.incrementAndGet();
            lastFailure = ex.toString();
        }
    }

    private void dispatch(ProcEvent e) {
        switch (e.what) {
            case ProcEvent.FORK -> onFork(e);
            case ProcEvent.EXEC -> onExec(e);
            case ProcEvent.EXIT -> onExit(e);
            case ProcEvent.UID, ProcEvent.GID, ProcEvent.SID, ProcEvent.COMM, ProcEvent.PTRACE -> onChange(e);
            default -> {
            }
        }
    }

    private void onFork(ProcEvent e) {
        if (e.pid != e.tgid) {
            return;
        }
        ProcessTable.Entry parent = table.get(e.otherTgid);
        ProcessTable.Entry child = table.put(e.tgid);
        long time = reader.monoToEpoch(e.monoNanos);
        if (child != null) {
            if (parent != null) {
                child.inheritFrom(parent);
            }
            child.ppid = e.otherTgid;
            child.startNanos = time;
        }
        HostEvent.Process p = known(e.tgid, e.otherTgid, child);
        HostEvent.Container c = child == null ? null : child.container;
        catalog.rememberProcess(p, c);
        if (config.forks()) {
            emit("clone", time, p, c, null, null, null);
        }
    }

    private void onExec(ProcEvent e) {
        long time = reader.monoToEpoch(e.monoNanos);
        ProcessTable.Entry entry = table.get(e.tgid);
        if (entry == null) {
            entry = table.put(e.tgid);
        }
        int ppid = entry != null ? entry.ppid : -1;
        List<String> names = new ArrayList<>(config.ancestors());
        long[] pids = new long[config.ancestors()];
        ProcessReader.Observed seen = null;
        if (ppid > 0) {
            table.ancestors(ppid, config.ancestors(), names, pids);
            HostEvent.Container inherited = entry != null && entry.container != null
                    ? catalog.refresh(entry.container) : null;
            seen = reader.observe(e.tgid, names, Arrays.copyOf(pids, names.size()), inherited,
                    inherited == null ? null : entry.cgroup);
        } else {
            seen = reader.observe(e.tgid, null, null);
        }
        if (seen == null) {
            unreadable.incrementAndGet();
            if (entry != null) {
                entry.exepath = null;
                entry.args = null;
            }
            HostEvent.Process p = known(e.tgid, ppid, entry);
            // Later events of the pid (a file it opened) must not be told the program before the exec.
            catalog.rememberProcess(p, entry == null ? null : entry.container);
            emit("execve", time, p, entry == null ? null : entry.container, null, null, null);
            return;
        }
        HostEvent.Process p = seen.process();
        if (seen.container() == null && entry != null && entry.container != null) {
            // The process ended while being read: a child never leaves its parent's container.
            seen = new ProcessReader.Observed(p, entry.container);
        }
        if (entry != null) {
            entry.update(p, seen.container());
        }
        catalog.rememberProcess(p, seen.container());
        emit("execve", time, p, seen.container(), null, null, null);
    }

    private void onExit(ProcEvent e) {
        if (e.pid != e.tgid) {
            return;
        }
        ProcessTable.Entry entry = table.get(e.tgid);
        long time = reader.monoToEpoch(e.monoNanos);
        int ppid = entry != null && entry.ppid > 0 ? entry.ppid : e.otherTgid;
        HostEvent.Process p = known(e.tgid, ppid, entry);
        HostEvent.Container c = entry == null ? null : entry.container;
        sink.accept(new HostEvent("procexit", time, "proc", p, c, null, null, null, (e.a >> 8) & 0xff, e.a & 0x7f));
        table.remove(e.tgid);
    }

    private void onChange(ProcEvent e) {
        ProcessTable.Entry entry = table.get(e.tgid);
        if (entry != null && entry.container == null && e.pid == e.tgid
                && (e.what == ProcEvent.COMM || e.what == ProcEvent.SID)) {
            // A runtime renames its init process and calls setsid after moving it into the container's
            // cgroup and before exec: learn the container now, in case the exec'd program ends at once.
            entry.container = reader.container(e.tgid);
            if (entry.container != null) {
                catalog.rememberProcess(known(e.tgid, -1, entry), entry.container);
            }
        }
        long time = reader.monoToEpoch(e.monoNanos);
        String type = e.typeName();
        String args;
        switch (e.what) {
            case ProcEvent.UID -> {
                args = "ruid=" + e.a + " euid=" + e.b;
                if (entry != null) {
                    entry.uid = e.b;
                }
            }
            case ProcEvent.GID -> {
                args = "rgid=" + e.a + " egid=" + e.b;
                if (entry != null) {
                    entry.gid = e.b;
                }
            }
            case ProcEvent.SID -> {
                args = "sid=" + e.tgid;
                if (entry != null) {
                    entry.sid = e.tgid;
                }
            }
            case ProcEvent.COMM -> {
                String comm = new String(e.comm, 0, e.commLength, StandardCharsets.UTF_8);
                args = "option=PR_SET_NAME name=" + comm;
                if (entry != null && e.pid == e.tgid) {
                    entry.name = comm;
                    catalog.rememberProcess(known(e.tgid, -1, entry), entry.container);
                }
            }
            default -> {
                // ptrace: the event names the traced process; Falco reports the tracer as the actor.
                if (e.otherTgid <= 0) {
                    args = "request=PTRACE_DETACH pid=" + e.tgid;
                    emit(type, time, known(e.tgid, -1, entry), entry == null ? null : entry.container, args, null, null);
                    return;
                }
                ProcessTable.Entry tracer = table.get(e.otherTgid);
                args = "request=PTRACE_ATTACH pid=" + e.tgid;
                emit(type, time, known(e.otherTgid, -1, tracer), tracer == null ? null : tracer.container, args,
                        null, null);
                return;
            }
        }
        if (e.pid != e.tgid && e.what != ProcEvent.COMM) {
            return;
        }
        emit(type, time, known(e.tgid, -1, entry), entry == null ? null : entry.container, args, null, null);
    }

    private HostEvent.Process known(int pid, int ppid, ProcessTable.Entry entry) {
        List<String> names = new ArrayList<>(config.ancestors());
        long[] pids = new long[config.ancestors()];
        int parent = ppid > 0 ? ppid : entry != null ? entry.ppid : -1;
        table.ancestors(parent, config.ancestors(), names, pids);
        pids = Arrays.copyOf(pids, names.size());
        if (entry == null) {
            return HostEvent.Process.minimal(pid, parent, null, names, pids);
        }
        return new HostEvent.Process(pid, parent, entry.name, entry.exepath, entry.args, null, names, pids, -1,
                entry.startNanos, entry.uid, entry.gid, null, entry.sid, -1, entry.mntNs, 0, 0, entry.cgroup, null,
                null);
    }

    private void emit(String type, long time, HostEvent.Process p, HostEvent.Container c, String args, Long res,
                      Integer status) {
        sink.accept(new HostEvent(type, time, "proc", p, c, null, args, res, status, null));
    }

    /**
     * Loads every process in {@code /proc} not yet in the table and drops table entries whose process
     * is gone; reports each newly found process as a {@code process} event of sensor {@code sensorName}
     * (none when null).
     */
    private void scan(String sensorName) {
        int[] pids = listPids();
        java.util.Set<Integer> alive = new java.util.HashSet<>();
        for (int pid : pids) {
            alive.add(pid);
            if (pid == self || table.get(pid) != null) {
                continue;
            }
            ProcessReader.Observed seen = reader.observe(pid, null, null);
            if (seen == null) {
                continue;
            }
            HostEvent.Process p = seen.process();
            ProcessTable.Entry entry = table.put(pid);
            if (entry != null) {
                entry.update(p, seen.container());
            }
            if (sensorName != null) {
                sink.accept(new HostEvent("process", System.currentTimeMillis() * 1_000_000L, sensorName, p,
                        seen.container(), null, null, null, null, null));
            }
        }
        table.forEachPid(pid -> {
            if (!alive.contains(pid)) {
                table.remove(pid);
            }
        });
    }

    static int[] listPids() {
        String[] names = new java.io.File("/proc").list();
        if (names == null) {
            return new int[0];
        }
        int[] out = new int[names.length];
        int n = 0;
        for (String name : names) {
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 10) {
                out[n++] = Integer.parseInt(name);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Proc connector events received. */
    public long events() {
        return events.get();
    }

    /** Events the kernel sent that this sensor missed (connector sequence gaps). */
    public long lost() {
        return decoder.lostBySequence();
    }

    /** Times the socket overflowed (ENOBUFS); each was followed by a {@code /proc} rescan. */
    public long overflows() {
        return overflows.get();
    }

    public long resyncs() {
        return resyncs.get();
    }

    public long malformed() {
        return decoder.malformed();
    }

    /** Events whose handling failed unexpectedly (they were dropped), and the last such failure. */
    public long failures() {
        return failures.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Execs whose process had ended before {@code /proc} could be read (reported with what was known). */
    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connector != null) {
            connector.close();
            connector = null;
        }
    }
}
