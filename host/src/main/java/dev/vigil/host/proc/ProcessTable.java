package dev.vigil.host.proc;

import dev.vigil.model.host.HostEvent;
import java.util.List;

/**
 * What is known about each live process, keyed by pid, kept from forks, execs and exits so that a
 * process that ends before {@code /proc} can be read is still reported with its parent, name and
 * container. Open addressing over {@code int} keys with pooled entries: updates allocate nothing.
 * At most {@link #DEFAULT_MAX_PROCESSES} (or the configured maximum) processes are tracked; further
 * ones are counted in {@link #overflows()} and reported without table knowledge.
 */
public final class ProcessTable {

    /** Default maximum number of tracked processes. */
    public static final int DEFAULT_MAX_PROCESSES = 131_072;

    /** What is known about one process; fields are null/-1 when unknown. */
    public static final class Entry {
        public int pid;
        public int ppid;
        public String name;
        public String exepath;
        public List<String> args;
        public long startNanos;
        public int uid;
        public int gid;
        public int sid;
        public long mntNs;
        public HostEvent.Container container;
        public String cgroup;

        void clear() {
            pid = ppid = uid = gid = sid = -1;
            name = exepath = cgroup = null;
            args = null;
            startNanos = -1;
            mntNs = 0;
            container = null;
        }

        /** Takes what was read from {@code /proc} at exec or start-up. */
        public void update(HostEvent.Process p, HostEvent.Container in) {
            ppid = p.ppid();
            name = p.name();
            exepath = p.exepath();
            args = p.args();
            uid = p.uid();
            gid = p.gid();
            sid = p.sid();
            mntNs = p.mntNs();
            container = in;
            cgroup = p.cgroup();
            if (p.startNanos() > 0) {
                startNanos = p.startNanos();
            }
        }

        /** Copies what a forked child inherits from this (its parent). */
        public void inheritFrom(Entry parent) {
            name = parent.name;
            exepath = parent.exepath;
            args = parent.args;
            uid = parent.uid;
            gid = parent.gid;
            sid = parent.sid;
            mntNs = parent.mntNs;
            container = parent.container;
            cgroup = parent.cgroup;
        }
    }

    private final int max;
    private final int mask;
    private final int[] keys;
    private final Entry[] values;
    private final Entry[] pool;
    private int pooled;
    private int size;
    private long overflows;

    public ProcessTable() {
        this(DEFAULT_MAX_PROCESSES);
    }

    public ProcessTable(int maxProcesses) {
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("max processes: " + maxProcesses + " must be at least 1");
        }
        this.max = maxProcesses;
        int cap = Integer.highestOneBit(maxProcesses * 2 - 1) << 1;
        this.mask = cap - 1;
        this.keys = new int[cap];
        this.values = new Entry[cap];
        this.pool = new Entry[Math.min(maxProcesses, 4096)];
        java.util.Arrays.fill(keys, -1);
    }

    private int slot(int pid) {
        int h = pid * 0x9E3779B1;
        return (h ^ (h >>> 16)) & mask;
    }

    /** The entry of {@code pid}, or null. */
    public Entry get(int pid) {
        for (int i = slot(pid); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == pid) {
                return values[i];
            }
            if (k == -1) {
                return null;
            }
        }
    }

    /** The entry of {@code pid}, cleared if it was new or replaced; null when the table is full. */
    public Entry put(int pid) {
        int i = slot(pid);
        for (; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == pid) {
                Entry e = values[i];
                e.clear();
                e.pid = pid;
                return e;
            }
            if (k == -1) {
                break;
            }
        }
        if (size >= max) {
            overflows++;
            return null;
        }
        Entry e = pooled > 0 ? pool[--pooled] : new Entry();
        e.clear();
        e.pid = pid;
        keys[i] = pid;
        values[i] = e;
        size++;
        return e;
    }

    /** Forgets {@code pid}. */
    public void remove(int pid) {
        int i = slot(pid);
        for (; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == -1) {
                return;
            }
            if (k == pid) {
                break;
            }
        }
        Entry e = values[i];
        if (pooled < pool.length) {
            e.clear();
            pool[pooled++] = e;
        }
        keys[i] = -1;
        values[i] = null;
        size--;
        // Backward-shift deletion keeps probe chains intact without tombstones.
        for (int j = (i + 1) & mask; keys[j] != -1; j = (j + 1) & mask) {
            int ideal = slot(keys[j]);
            if (((j - ideal) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = -1;
                values[j] = null;
                i = j;
            }
        }
    }

    public int size() {
        return size;
    }

    /** Processes that could not be tracked because the table was full. */
    public long overflows() {
        return overflows;
    }

    /** Calls {@code action} with every pid in the table. */
    public void forEachPid(java.util.function.IntConsumer action) {
        int[] snapshot = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != -1 && n < snapshot.length) {
                snapshot[n++] = k;
            }
        }
        for (int i = 0; i < n; i++) {
            action.accept(snapshot[i]);
        }
    }

    /** Names and pids of the ancestors of {@code ppid}'s child, parent first, at most {@code depth}. */
    public void ancestors(int ppid, int depth, List<String> names, long[] pids) {
        int p = ppid;
        for (int i = 0; i < depth && p > 0; i++) {
            Entry e = get(p);
            names.add(e == null ? null : e.name);
            pids[i] = p;
            if (e == null) {
                break;
            }
            p = e.ppid;
        }
    }
}
