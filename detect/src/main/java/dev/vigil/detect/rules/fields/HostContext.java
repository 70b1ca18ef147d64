package dev.vigil.detect.rules.fields;

import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import java.util.List;
import java.util.Map;

/**
 * The event context of the {@code syscall} source: one host event (a process start or end, a
 * selected system call, a file access) with the process, container and file or socket it concerns,
 * held as plain fields so that rule fields read them directly, plus per-event caches for derived
 * values ({@code proc.cmdline}, {@code proc.args}, {@code fd.directory} …) that are built at most
 * once per event into reusable buffers. Unknown values are null, or -1 for numbers that cannot be
 * negative.
 *
 * <p>Bind each host sensor event with {@link #bind(HostEvent)} (or fill it with {@link #reset()}
 * and the setters); one context per evaluating thread, not thread-safe. It also counts events,
 * which is Falco's {@code evt.num}.
 */
public final class HostContext {

    String hostname;
    long eventNumber;

    String type;
    long timeNanos;
    String sensor;
    String args;
    long res;
    long status;
    long signal;

    long pid;
    long ppid;
    String name;
    String exepath;
    List<String> argv;
    String cwd;
    List<String> ancestorNames;
    long[] ancestorPids;
    long tty;
    long sid;
    long uid;
    long gid;
    String userName;
    long capEffective;
    int exeUpperLayer;
    int exeFromMemfd;
    long startNanos;
    long mntNs;
    long pidNs;
    long netNs;
    String cgroup;

    String containerId;
    String containerRuntime;
    ContainerIdentity identity;
    Map<String, String> namespaceLabels;
    Map<String, String> podLabels;

    boolean hasFd;
    long fdNum;
    char fdTypechar;
    String fdName;
    String l4proto;
    String cip;
    long cport;
    String sip;
    long sport;
    String openFlags;

    private static final String[] CAPABILITIES = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
        "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE"};

    private final StringBuilder capabilities = new StringBuilder(128);
    private boolean capabilitiesBuilt;
    private final StringBuilder cmdline = new StringBuilder(256);
    private final StringBuilder procArgs = new StringBuilder(256);
    private boolean cmdlineBuilt;
    private boolean procArgsBuilt;
    private final CharSlice shortContainerId = new CharSlice();
    private final CharSlice fdDirectory = new CharSlice();
    private final CharSlice fdFilename = new CharSlice();
    private CharSlice[] argSlices = new CharSlice[8];

    /** A context for events of the node {@code hostname} ({@code evt.hostname}). */
    public HostContext(String hostname) {
        this.hostname = hostname;
        reset();
    }

    /** Forgets the previous event and counts a new one. */
    public HostContext reset() {
        eventNumber++;
        type = null;
        timeNanos = -1;
        sensor = null;
        args = null;
        res = NumAccessor.ABSENT;
        status = NumAccessor.ABSENT;
        signal = NumAccessor.ABSENT;
        pid = -1;
        ppid = -1;
        name = null;
        exepath = null;
        argv = null;
        cwd = null;
        ancestorNames = null;
        ancestorPids = null;
        tty = -1;
        sid = -1;
        uid = -1;
        gid = -1;
        userName = null;
        capEffective = -1;
        exeUpperLayer = -1;
        exeFromMemfd = -1;
        startNanos = -1;
        mntNs = 0;
        pidNs = 0;
        netNs = 0;
        cgroup = null;
        containerId = null;
        containerRuntime = null;
        identity = null;
        namespaceLabels = null;
        podLabels = null;
        hasFd = false;
        fdNum = -1;
        fdTypechar = '?';
        fdName = null;
        l4proto = null;
        cip = null;
        cport = -1;
        sip = null;
        sport = -1;
        openFlags = null;
        cmdlineBuilt = false;
        procArgsBuilt = false;
        capabilitiesBuilt = false;
        return this;
    }

    /** Binds the host sensor's event: every part of it, field for field. */
    public HostContext bind(HostEvent e) {
        reset().event(e.type(), e.timeNanos()).args(e.args());
        sensor = e.sensor();
        if (e.res() != null) {
            result(e.res());
        }
        if (e.status() != null) {
            exit(e.status(), e.signal() == null ? 0 : e.signal());
        }
        HostEvent.Process p = e.proc();
        process(p.pid(), p.ppid(), p.name(), p.exepath(), p.args(), p.cwd())
                .ancestors(p.ancestorNames(), p.ancestorPids())
                .user(p.uid(), p.gid(), p.userName())
                .session(p.tty(), p.sid(), p.capEffective())
                .exe(p.exeUpperLayer(), p.exeFromMemfd());
        startNanos = p.startNanos();
        mntNs = p.mntNs();
        pidNs = p.pidNs();
        netNs = p.netNs();
        cgroup = p.cgroup();
        HostEvent.Container c = e.container();
        if (c != null) {
            container(c.id(), c.runtime(), c.identity());
        }
        HostEvent.Fd f = e.fd();
        if (f != null) {
            fd(f.num(), f.typechar(), f.name(), f.l4proto(), f.cip(), f.cport(), f.sip(), f.sport(), f.openFlags());
        }
        return this;
    }

    /** {@code evt.type} and the event's time, nanoseconds since the epoch. */
    public HostContext event(String type, long timeNanos) {
        this.type = type;
        this.timeNanos = timeNanos;
        return this;
    }

    /** {@code evt.args} as {@code name=value} pairs separated by blanks ({@code evt.arg.NAME} reads them). */
    public HostContext args(String args) {
        this.args = args;
        return this;
    }

    /** The call's return value ({@code evt.rawres}; {@code evt.res} is SUCCESS or the errno name). */
    public HostContext result(long res) {
        this.res = res;
        return this;
    }

    /** A {@code procexit}'s status and terminating signal (0 when none). */
    public HostContext exit(int status, int signal) {
        this.status = status;
        this.signal = signal;
        return this;
    }

    /**
     * The process.
     *
     * @param argv argv including argv[0], or null when not read
     */
    public HostContext process(int pid, int ppid, String name, String exepath, List<String> argv, String cwd) {
        this.pid = pid;
        this.ppid = ppid;
        this.name = name;
        this.exepath = exepath;
        this.argv = argv;
        this.cwd = cwd;
        return this;
    }

    /** Names and pids of the parent, grandparent, … ({@code proc.aname[1]} is the parent). */
    public HostContext ancestors(List<String> names, long[] pids) {
        this.ancestorNames = names;
        this.ancestorPids = pids;
        return this;
    }

    /** Effective user and group, and the user's name; -1/null when unknown. */
    public HostContext user(int uid, int gid, String userName) {
        this.uid = uid;
        this.gid = gid;
        this.userName = userName;
        return this;
    }

    /** Controlling terminal (0 when none), session id, effective capabilities; -1 when unknown. */
    public HostContext session(int tty, int sid, long capEffective) {
        this.tty = tty;
        this.sid = sid;
        this.capEffective = capEffective;
        return this;
    }

    /** Whether the executable is in the container's writable layer, or a memfd/deleted file; null unknown. */
    public HostContext exe(Boolean upperLayer, Boolean fromMemfd) {
        this.exeUpperLayer = upperLayer == null ? -1 : upperLayer ? 1 : 0;
        this.exeFromMemfd = fromMemfd == null ? -1 : fromMemfd ? 1 : 0;
        return this;
    }

    /**
     * The container (null id: the host) and what the cluster calls it.
     *
     * @param id       the full container id
     * @param identity the pod and image behind it, or null when unresolved
     */
    public HostContext container(String id, String runtime, ContainerIdentity identity) {
        this.containerId = id;
        this.containerRuntime = runtime;
        this.identity = identity;
        return this;
    }

    /** Labels of the pod's namespace and of the pod ({@code k8s.ns.label[…]}, {@code k8s.pod.label[…]}). */
    public HostContext labels(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        this.namespaceLabels = namespaceLabels;
        this.podLabels = podLabels;
        return this;
    }

    /**
     * The file or socket concerned.
     *
     * @param typechar  Falco's {@code fd.typechar}: {@code f} file, {@code 4}/{@code 6} IP socket,
     *                  {@code u} unix socket, {@code m} memfd, {@code ?} unknown
     * @param openFlags for file opens, the access as {@code r}, {@code w}, {@code x} letters; else null
     */
    public HostContext fd(int num, char typechar, String name, String l4proto, String cip, int cport, String sip,
                          int sport, String openFlags) {
        this.hasFd = true;
        this.fdNum = num;
        this.fdTypechar = typechar;
        this.fdName = name;
        this.l4proto = l4proto;
        this.cip = cip;
        this.cport = cport;
        this.sip = sip;
        this.sport = sport;
        this.openFlags = openFlags;
        return this;
    }

    /** A file opened with the access letters {@code openFlags} ({@code r}, {@code w}, {@code x}). */
    public HostContext file(int num, String path, String openFlags) {
        return fd(num, 'f', path, null, null, -1, null, -1, openFlags);
    }

    /** The effective capabilities as libsinsp writes them: names separated by blanks. */
    CharSequence capabilities() {
        if (capEffective < 0) {
            return null;
        }
        if (!capabilitiesBuilt) {
            capabilities.setLength(0);
            for (int bit = 0; bit < CAPABILITIES.length; bit++) {
                if ((capEffective & (1L << bit)) != 0) {
                    if (!capabilities.isEmpty()) {
                        capabilities.append(' ');
                    }
                    capabilities.append(CAPABILITIES[bit]);
                }
            }
            capabilitiesBuilt = true;
        }
        return capabilities;
    }

    CharSequence cmdline() {
        if (argv == null) {
            return null;
        }
        if (!cmdlineBuilt) {
            cmdline.setLength(0);
            cmdline.append(name != null ? name : "");
            for (int i = 1; i < argv.size(); i++) {
                cmdline.append(' ').append(argv.get(i));
            }
            cmdlineBuilt = true;
        }
        return cmdline;
    }

    CharSequence procArgs() {
        if (argv == null) {
            return null;
        }
        if (!procArgsBuilt) {
            procArgs.setLength(0);
            for (int i = 1; i < argv.size(); i++) {
                if (i > 1) {
                    procArgs.append(' ');
                }
                procArgs.append(argv.get(i));
            }
            procArgsBuilt = true;
        }
        return procArgs;
    }

    CharSequence shortContainerId() {
        if (containerId == null) {
            return "host";
        }
        return shortContainerId.set(containerId, 0, Math.min(12, containerId.length()));
    }

    CharSequence fdDirectory() {
        if (fdName == null || fdTypechar != 'f') {
            return null;
        }
        int slash = fdName.lastIndexOf('/');
        return slash < 0 ? null : fdDirectory.set(fdName, 0, slash == 0 ? 1 : slash);
    }

    CharSequence fdFilename() {
        if (fdName == null || fdTypechar != 'f') {
            return null;
        }
        return fdFilename.set(fdName, fdName.lastIndexOf('/') + 1, fdName.length());
    }

    /** The value of {@code key} in {@code evt.args}, in the reusable slice {@code slot}; null when absent. */
    CharSequence arg(String key, int slot) {
        if (args == null) {
            return null;
        }
        int at = 0;
        int n = args.length();
        while (at < n) {
            if (args.startsWith(key, at) && at + key.length() < n && args.charAt(at + key.length()) == '=') {
                int from = at + key.length() + 1;
                return slice(slot).set(args, from, valueEnd(from));
            }
            int space = args.indexOf(' ', at);
            if (space < 0) {
                break;
            }
            at = space + 1;
        }
        return null;
    }

    /** Argument {@code index} (0-based) of {@code evt.args}, its value only. */
    CharSequence arg(int index, int slot) {
        if (args == null) {
            return null;
        }
        int at = 0;
        for (int i = 0; i <= index; i++) {
            int eq = args.indexOf('=', at);
            if (eq < 0) {
                return null;
            }
            int end = valueEnd(eq + 1);
            if (i == index) {
                return slice(slot).set(args, eq + 1, end);
            }
            at = end + 1;
        }
        return null;
    }

    /** A value runs to the blank that starts the next {@code name=} pair, or to the end. */
    private int valueEnd(int from) {
        int i = args.indexOf(' ', from);
        while (i >= 0) {
            int j = i + 1;
            while (j < args.length() && (Character.isLetterOrDigit(args.charAt(j)) || args.charAt(j) == '_')) {
                j++;
            }
            if (j > i + 1 && j < args.length() && args.charAt(j) == '=') {
                return i;
            }
            i = args.indexOf(' ', i + 1);
        }
        return args.length();
    }

    private CharSlice slice(int slot) {
        if (slot >= argSlices.length) {
            argSlices = java.util.Arrays.copyOf(argSlices, Math.max(slot + 1, argSlices.length * 2));
        }
        CharSlice s = argSlices[slot];
        if (s == null) {
            s = new CharSlice();
            argSlices[slot] = s;
        }
        return s;
    }
}
