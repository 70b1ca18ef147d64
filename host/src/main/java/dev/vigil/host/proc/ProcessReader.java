package dev.vigil.host.proc;

import dev.vigil.host.container.CgroupContainer;
import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.container.OverlayRoot;
import dev.vigil.host.linux.Native;
import dev.vigil.model.host.HostEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Describes a live process from {@code /proc/<pid>}: executable, arguments, working directory, ids,
 * capabilities, terminal, start time, namespaces, and the container its cgroup names, resolved to pod
 * and image through the {@link ContainerCatalog}; marks drift ({@code proc.is_exe_upper_layer},
 * {@code proc.is_exe_from_memfd}). Tolerant: a file that cannot be read or parsed leaves its fields
 * unknown; only a process whose {@code stat} is gone is reported as gone (null). One per thread.
 */
public final class ProcessReader {

    /** Clock ticks per second of {@code stat} times (USER_HZ, 100 on every Linux ABI Vigil runs on). */
    public static final int CLOCK_TICKS = 100;
    /** Ancestors listed on an event by default. */
    public static final int DEFAULT_ANCESTORS = 6;

    /** Age after which the monotonic-to-epoch clock offset is read again. */
    public static final long CLOCK_OFFSET_REFRESH_NANOS = 1_000_000_000L;

    private static final String DELETED = " (deleted)";

    /**
     * A process and its container.
     *
     * @param process   what was read
     * @param container the container, or null on the host
     */
    public record Observed(HostEvent.Process process, HostEvent.Container container) {
    }

    private final Native sys;
    private final ProcFs fs;
    private final ContainerCatalog catalog;
    private final long bootEpochNanos;
    private long epochOffset;
    private long offsetReadAt;

    public ProcessReader(Native sys, ContainerCatalog catalog) {
        this(sys, new ProcFs(sys), catalog);
    }

    public ProcessReader(Native sys, ProcFs fs, ContainerCatalog catalog) {
        this.sys = sys;
        this.fs = fs;
        this.catalog = catalog;
        this.bootEpochNanos = sys.clockNanos(Native.CLOCK_REALTIME) - sys.clockNanos(Native.CLOCK_BOOTTIME);
    }

    public ProcFs fs() {
        return fs;
    }

    public ContainerCatalog catalog() {
        return catalog;
    }

    /**
     * Reads {@code pid}; null when it is gone. Ancestors are taken as given (from the process table),
     * or read from {@code /proc} when {@code ancestorNames} is null.
     */
    public Observed observe(int pid, List<String> ancestorNames, long[] ancestorPids) {
        return observe(pid, ancestorNames, ancestorPids, null);
    }

    /**
     * As {@link #observe(int, List, long[])}, for a process known to run in {@code inherited} (its
     * parent's container): a container process cannot leave its cgroup, so the cgroup is not read.
     */
    public Observed observe(int pid, List<String> ancestorNames, long[] ancestorPids, HostEvent.Container inherited) {
        return observe(pid, ancestorNames, ancestorPids, inherited, null);
    }

    /** As above, with the cgroup path the process inherited (reported as {@code proc.cgroup}). */
    public Observed observe(int pid, List<String> ancestorNames, long[] ancestorPids, HostEvent.Container inherited,
                            String inheritedCgroup) {
        if (!fs.enter(pid)) {
            return null;
        }
        try {
            return read(pid, ancestorNames, ancestorPids, inherited, inheritedCgroup);
        } finally {
            fs.leave();
        }
    }

    private Observed read(int pid, List<String> ancestorNames, long[] ancestorPids, HostEvent.Container inherited,
                          String inheritedCgroup) {
        int n = fs.read(pid, "stat");
        if (n < 0) {
            return null;
        }
        ProcParsers.Stat stat = ProcParsers.stat(fs.bytes(), n);
        if (stat == null) {
            return null;
        }
        // Most telling first: a short-lived process may end while it is being read.
        CgroupContainer.Ref ref = null;
        if (inherited == null) {
            n = fs.read(pid, "cgroup");
            ref = n < 0 ? null : CgroupContainer.parse(fs.bytes(), n);
        }
        String exe = fs.link(pid, "exe");
        n = fs.read(pid, "cmdline");
        List<String> args = n < 0 ? null : ProcParsers.cmdline(fs.bytes(), n);
        n = fs.read(pid, "status");
        ProcParsers.Status status = n < 0 ? new ProcParsers.Status(-1, -1, -1, -1) : ProcParsers.status(fs.bytes(), n);
        String cwd = fs.link(pid, "cwd");
        long mntNs = fs.namespaceInode(pid, "ns/mnt");
        long pidNs = fs.namespaceInode(pid, "ns/pid");
        long netNs = fs.namespaceInode(pid, "ns/net");
        HostEvent.Container container = inherited != null ? inherited : ref == null ? null : catalog.container(ref);
        if (container == null && ref == null) {
            ContainerCatalog.Recent known = catalog.recentProcess(pid);
            container = known == null ? null : known.container();
        }

        Boolean fromMemfd = null;
        Boolean upper = null;
        if (exe != null) {
            fromMemfd = exe.startsWith("/memfd:") || exe.endsWith(DELETED);
            upper = false;
            if (!fromMemfd && container != null) {
                OverlayRoot overlay = catalog.overlay(mntNs, () -> fs.text(pid, "mountinfo"));
                upper = overlay == null ? null : sys.exists(overlay.upperDir() + exe) == 0;
            }
        }
        if (ancestorNames == null) {
            ancestorNames = new ArrayList<>(DEFAULT_ANCESTORS);
            ancestorPids = new long[DEFAULT_ANCESTORS];
            ancestorsFromProc(stat.ppid(), DEFAULT_ANCESTORS, ancestorNames, ancestorPids);
            ancestorPids = Arrays.copyOf(ancestorPids, ancestorNames.size());
        }
        int ppid = status.ppid() >= 0 ? status.ppid() : stat.ppid();
        String user = catalog.userName(mntNs, status.uid(), () -> fs.text(pid, "root/etc/passwd"));
        long start = stat.startTicks() < 0 ? -1 : bootEpochNanos + stat.startTicks() * (1_000_000_000L / CLOCK_TICKS);
        HostEvent.Process p = new HostEvent.Process(pid, ppid, stat.comm(), exe, args, cwd, ancestorNames,
                ancestorPids, stat.tty(), start, status.uid(), status.gid(), user, stat.session(), status.capEff(),
                mntNs, pidNs, netNs, ref != null ? ref.cgroup() : inheritedCgroup, upper, fromMemfd);
        return new Observed(p, container);
    }

    /**
     * {@link #observe} when the process can still be read, else what the process sensor last knew of
     * it, else only the pid and {@code comm}.
     */
    public Observed observeOrRecall(int pid, String comm) {
        Observed seen = observe(pid, null, null);
        if (seen != null) {
            return seen;
        }
        // Never wait for the process sensor: a sensor thread that sleeps falls behind and then finds
        // every short-lived process gone.
        ContainerCatalog.Recent known = catalog.recentProcess(pid);
        if (known != null) {
            return new Observed(known.process(), known.container());
        }
        return new Observed(HostEvent.Process.minimal(pid, -1, comm, List.of(), new long[0]), null);
    }

    /** Ancestors of a process whose parent is {@code ppid}, read from {@code /proc/<pid>/stat}. */
    public void ancestorsFromProc(int ppid, int depth, List<String> names, long[] pids) {
        int p = ppid;
        for (int i = 0; i < depth && p > 0; i++) {
            int n = fs.read(p, "stat");
            ProcParsers.Stat s = n < 0 ? null : ProcParsers.stat(fs.bytes(), n);
            names.add(s == null ? null : s.comm());
            pids[i] = p;
            if (s == null) {
                break;
            }
            p = s.ppid();
        }
    }

    /** The container of {@code pid} from its cgroup, or null (host, or gone). */
    public HostEvent.Container container(int pid) {
        int n = fs.read(pid, "cgroup");
        CgroupContainer.Ref ref = n < 0 ? null : CgroupContainer.parse(fs.bytes(), n);
        return ref == null ? null : catalog.container(ref);
    }

    /**
     * Converts a CLOCK_MONOTONIC time to epoch nanoseconds; the offset between the clocks is read again
     * when it is older than {@link #CLOCK_OFFSET_REFRESH_NANOS} (a wall-clock step shows within that).
     */
    public long monoToEpoch(long monoNanos) {
        if (monoNanos - offsetReadAt > CLOCK_OFFSET_REFRESH_NANOS || offsetReadAt == 0) {
            long mono = sys.clockNanos(Native.CLOCK_MONOTONIC);
            epochOffset = sys.clockNanos(Native.CLOCK_REALTIME) - mono;
            offsetReadAt = mono;
        }
        return monoNanos + epochOffset;
    }
}
