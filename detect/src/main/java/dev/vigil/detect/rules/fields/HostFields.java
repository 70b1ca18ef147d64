package dev.vigil.detect.rules.fields;

import dev.vigil.model.identity.ContainerIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code syscall} source: host events under Falco's field names, each read straight from a
 * {@link HostContext} bound to a {@code HostEvent}. Names agree with the host record's
 * ({@code HostField}); where Falco's type differs from that rendering, rules get Falco's:
 * {@code thread.cap_effective} is the capability names, {@code evt.res} the result as text
 * ({@code evt.rawres} the number). Only fields Vigil's host sensor really fills are defined, so a Falco rule
 * that needs anything else is reported as needing fields Vigil lacks rather than silently never
 * matching. Semantics follow libsinsp where Vigil has the data: {@code proc.aname} without index
 * checks every ancestor, {@code proc.aname[0]} is the process itself, {@code container.id} is
 * {@code host} outside containers, {@code evt.res} is {@code SUCCESS} or the errno name,
 * {@code evt.num} counts events from 1. {@code fd.lip}/{@code fd.rip} (and ports) take the client
 * side as local, which is right for the {@code connect} events Vigil reports.
 */
public final class HostFields {

    /** The event types Vigil's host sensor emits (Falco's names, plus {@code process} for processes found at start). */
    public static final Set<String> EVENT_TYPES = Set.of("execve", "clone", "procexit", "setuid", "setgid", "setsid",
            "prctl", "ptrace", "open", "connect", "init_module", "finit_module", "memfd_create", "unshare", "setns",
            "mount", "socket", "dup2", "dup3", "symlink", "symlinkat", "link", "linkat", "bpf", "coredump", "process");

    private static final String[] TYPECHARS = new String[128];

    static {
        for (int c = 0; c < 128; c++) {
            TYPECHARS[c] = String.valueOf((char) c);
        }
    }

    private static final String[] ERRNO = {null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
            "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
            "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
            "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS",
            "ENOTEMPTY", "ELOOP"};

    /** The source; shared, immutable. */
    public static final FieldSource<HostContext> SOURCE = build();

    private HostFields() {
    }

    private static FieldSource<HostContext> build() {
        FieldSource.Builder<HostContext> b = FieldSource.<HostContext>builder("syscall", "evt.type").produces(EVENT_TYPES);
        Map<String, Field<HostContext>> argFields = new ConcurrentHashMap<>();
        AtomicInteger argSlots = new AtomicInteger();

        b.str("evt.type", "Falco's event type: execve, open, connect, ptrace, …", ctx -> ctx.type);
        b.num("evt.num", "Event number, counted per evaluating context from 1", ctx -> ctx.eventNumber);
        b.str("evt.time", "Event time, ISO-8601 (UTC)", ctx -> ctx.timeNanos < 0 ? null
                : Instant.ofEpochSecond(Math.floorDiv(ctx.timeNanos, 1_000_000_000L),
                        Math.floorMod(ctx.timeNanos, 1_000_000_000L)).toString());
        b.num("evt.rawtime", "Event time, nanoseconds since the epoch", ctx -> ctx.timeNanos < 0 ? NumAccessor.ABSENT
                : ctx.timeNanos);
        b.str("evt.dir", "Event direction: always < (exit), the only direction Vigil reports", ctx -> "<");
        b.str("evt.hostname", "The node's host name", ctx -> ctx.hostname);
        b.str("evt.args", "The call's arguments as name=value pairs", ctx -> ctx.args);
        b.str("vigil.sensor", "The sensor that saw the event: proc, syscall, file, startup", ctx -> ctx.sensor);
        b.define(new FieldSource.Definition<>("evt.arg", "string", FieldSource.Arg.REQUIRED, true,
                "One argument of the call by name (evt.arg.flags, evt.arg[request]) or 0-based index (evt.arg[1]);"
                        + " evt.arg.status and evt.arg.sig are a procexit's exit status and signal (numbers)",
                arg -> argFields.computeIfAbsent(arg, a -> {
                    if (a.equals("status")) {
                        return new Field.Num<>("evt.arg.status", ctx -> ctx.status, false, null);
                    }
                    if (a.equals("sig")) {
                        return new Field.Num<>("evt.arg.sig", ctx -> ctx.signal, false, null);
                    }
                    int slot = argSlots.getAndIncrement();
                    if (a.chars().allMatch(Character::isDigit)) {
                        int index = Integer.parseInt(a);
                        return new Field.Str<>("evt.arg[" + a + "]", ctx -> ctx.arg(index, slot), null);
                    }
                    return new Field.Str<>("evt.arg." + a, ctx -> ctx.arg(a, slot), null);
                })));
        b.str("evt.res", "SUCCESS, or the errno name when the call failed (ENOENT …)", HostFields::result);
        b.num("evt.rawres", "The call's return value", ctx -> ctx.res);
        b.bool("evt.failed", "Whether the call returned an error", ctx -> ctx.res == NumAccessor.ABSENT
                ? NumAccessor.ABSENT : ctx.res < 0 ? 1 : 0);
        b.bool("evt.is_open_read", "A file opened for reading", ctx -> openFlag(ctx, 'r'));
        b.bool("evt.is_open_write", "A file opened for writing", ctx -> openFlag(ctx, 'w'));
        b.bool("evt.is_open_exec", "A file opened for execution", ctx -> openFlag(ctx, 'x'));

        b.num("proc.pid", "Process id (host pid namespace)", ctx -> known(ctx.pid));
        b.num("proc.ppid", "Parent process id", ctx -> known(ctx.ppid));
        b.str("proc.name", "Process name (the kernel's comm, at most 15 characters)", ctx -> ctx.name);
        b.str("proc.exe", "argv[0] as the process was started", ctx ->
                ctx.argv == null || ctx.argv.isEmpty() ? null : ctx.argv.getFirst());
        b.str("proc.exepath", "Full path of the executable", ctx -> ctx.exepath);
        b.str("proc.cmdline", "proc.name followed by the arguments", HostContext::cmdline);
        b.str("proc.args", "The arguments without argv[0]", HostContext::procArgs);
        b.str("proc.cwd", "Working directory", ctx -> ctx.cwd);
        b.str("proc.pname", "Parent's name", ctx -> ancestor(ctx, 1));
        b.num("proc.tty", "Controlling terminal device, 0 when none", ctx -> known(ctx.tty));
        b.num("proc.sid", "Session id", ctx -> known(ctx.sid));
        b.num("proc.pid.ts", "Process start time, nanoseconds since the epoch", ctx -> known(ctx.startNanos));
        b.num("proc.ns.mnt", "Mount namespace inode", ctx -> ctx.mntNs > 0 ? ctx.mntNs : NumAccessor.ABSENT);
        b.num("proc.ns.pid", "Pid namespace inode", ctx -> ctx.pidNs > 0 ? ctx.pidNs : NumAccessor.ABSENT);
        b.num("proc.ns.net", "Network namespace inode", ctx -> ctx.netNs > 0 ? ctx.netNs : NumAccessor.ABSENT);
        b.str("proc.cgroup", "The cgroup path that placed the process in its container", ctx -> ctx.cgroup);
        b.bool("proc.is_exe_upper_layer", "The executable lives in the container's writable layer (drift)",
                ctx -> ctx.exeUpperLayer < 0 ? NumAccessor.ABSENT : ctx.exeUpperLayer);
        b.bool("proc.is_exe_from_memfd", "The executable is a memfd or a deleted file (fileless)",
                ctx -> ctx.exeFromMemfd < 0 ? NumAccessor.ABSENT : ctx.exeFromMemfd);
        b.define(new FieldSource.Definition<>("proc.aname", "string", FieldSource.Arg.OPTIONAL, false,
                "Name of ancestor N (1 = parent, 0 = the process); without N, checks hold for any ancestor",
                arg -> {
                    if (arg == null) {
                        return new Field.MultiStr<>("proc.aname", new MultiStrAccessor<>() {
                            @Override
                            public int count(HostContext ctx) {
                                return ctx.ancestorNames == null ? 0 : ctx.ancestorNames.size();
                            }

                            @Override
                            public CharSequence get(HostContext ctx, int i) {
                                return ctx.ancestorNames.get(i);
                            }
                        }, null);
                    }
                    int n = index(arg, "proc.aname");
                    return new Field.Str<>("proc.aname[" + n + "]", ctx -> ancestor(ctx, n), null);
                }));
        b.define(new FieldSource.Definition<>("proc.apid", "number", FieldSource.Arg.REQUIRED, false,
                "Pid of ancestor N (1 = parent, 0 = the process)", arg -> {
                    int n = index(arg, "proc.apid");
                    return new Field.Num<>("proc.apid[" + n + "]", ctx -> ancestorPid(ctx, n), false, null);
                }));
        b.str("thread.cap_effective", "Effective capabilities by name, blank-separated (CAP_CHOWN CAP_SYS_ADMIN …)",
                HostContext::capabilities);
        b.num("user.uid", "Effective user id", ctx -> known(ctx.uid));
        b.str("user.name", "User name from the container's (or host's) passwd", ctx -> ctx.userName);
        b.num("group.gid", "Effective group id", ctx -> known(ctx.gid));

        b.str("container.id", "Container id, 12 characters; host outside containers", HostContext::shortContainerId);
        b.str("container.full_id", "Full container id", ctx -> ctx.containerId);
        b.str("container.type", "Container runtime: containerd, cri-o, docker", ctx -> ctx.containerRuntime);
        b.str("container.name", "Container name in the pod; host outside containers", ctx ->
                ctx.containerId == null ? "host" : ctx.identity == null ? null : ctx.identity.container());
        b.str("container.image", "Image reference as declared in the pod spec", ctx -> id(ctx) == null ? null
                : id(ctx).image());
        b.str("container.image.repository", "Image repository without tag or digest", ctx -> id(ctx) == null ? null
                : id(ctx).imageRepository());
        b.str("container.image.tag", "Image tag, when the reference has one", ctx -> id(ctx) == null ? null
                : id(ctx).imageTag());
        b.str("container.image.digest", "Digest of the image actually running (sha256:…)", ctx -> id(ctx) == null
                ? null : id(ctx).imageDigest());
        b.str("k8s.ns.name", "Pod namespace", ctx -> id(ctx) == null ? null : id(ctx).namespace());
        b.str("k8s.pod.name", "Pod name", ctx -> id(ctx) == null ? null : id(ctx).pod());
        b.str("k8s.pod.uid", "Pod UID", ctx -> id(ctx) == null ? null : id(ctx).podUid());
        b.str("k8s.workload.kind", "Kind of the pod's root owner (Deployment, StatefulSet, …, or Pod)", ctx ->
                id(ctx) == null || id(ctx).workload() == null ? null : id(ctx).workload().kind());
        b.str("k8s.workload.name", "Name of the pod's root owner", ctx ->
                id(ctx) == null || id(ctx).workload() == null ? null : id(ctx).workload().name());
        labels(b, "k8s.ns.label", "A label of the pod's namespace, e.g. k8s.ns.label[vigil.dev/encryption]",
                ctx -> ctx.namespaceLabels);
        labels(b, "k8s.pod.label", "A label of the pod, e.g. k8s.pod.label[app]", ctx -> ctx.podLabels);

        b.num("fd.num", "Descriptor number", ctx -> ctx.hasFd ? known(ctx.fdNum) : NumAccessor.ABSENT);
        b.str("fd.typechar", "f file, 4 IPv4, 6 IPv6, u unix socket, m memfd, ? unknown", ctx -> ctx.hasFd
                ? TYPECHARS[ctx.fdTypechar & 0x7f] : null);
        b.str("fd.type", "file, ipv4, ipv6, unix, memfd", ctx -> ctx.hasFd ? fdType(ctx.fdTypechar) : null);
        b.str("fd.name", "File path, or cip:cport->sip:sport for sockets", ctx -> ctx.hasFd ? ctx.fdName : null);
        b.str("fd.directory", "Directory of a file", HostContext::fdDirectory);
        b.str("fd.filename", "File name without directory", HostContext::fdFilename);
        b.str("fd.l4proto", "tcp or udp", ctx -> ctx.hasFd ? ctx.l4proto : null);
        b.str("fd.cip", "Client address", ctx -> ctx.hasFd ? ctx.cip : null);
        b.num("fd.cport", "Client port", ctx -> ctx.hasFd ? known(ctx.cport) : NumAccessor.ABSENT);
        b.str("fd.sip", "Server address", ctx -> ctx.hasFd ? ctx.sip : null);
        b.num("fd.sport", "Server port", ctx -> ctx.hasFd ? known(ctx.sport) : NumAccessor.ABSENT);
        b.str("fd.lip", "Local address (the client side of a connect)", ctx -> ctx.hasFd ? ctx.cip : null);
        b.num("fd.lport", "Local port (the client side of a connect)", ctx -> ctx.hasFd ? known(ctx.cport)
                : NumAccessor.ABSENT);
        b.str("fd.rip", "Remote address (the server side of a connect)", ctx -> ctx.hasFd ? ctx.sip : null);
        b.num("fd.rport", "Remote port (the server side of a connect)", ctx -> ctx.hasFd ? known(ctx.sport)
                : NumAccessor.ABSENT);
        b.str("fd.sockfamily", "ip or unix for sockets", ctx -> !ctx.hasFd ? null
                : ctx.fdTypechar == '4' || ctx.fdTypechar == '6' ? "ip" : ctx.fdTypechar == 'u' ? "unix" : null);
        return b.build();
    }

    private static void labels(FieldSource.Builder<HostContext> b, String field, String doc,
                               java.util.function.Function<HostContext, Map<String, String>> labels) {
        b.define(new FieldSource.Definition<>(field, "string", FieldSource.Arg.REQUIRED, true, doc, key ->
                new Field.Str<>(field + "[" + key + "]", ctx -> {
                    Map<String, String> l = labels.apply(ctx);
                    return l == null ? null : l.get(key);
                }, null)));
    }

    private static ContainerIdentity id(HostContext ctx) {
        return ctx.identity;
    }

    private static long known(long v) {
        return v < 0 ? NumAccessor.ABSENT : v;
    }

    private static long openFlag(HostContext ctx, char flag) {
        return !ctx.hasFd || ctx.openFlags == null ? NumAccessor.ABSENT : ctx.openFlags.indexOf(flag) >= 0 ? 1 : 0;
    }

    private static CharSequence result(HostContext ctx) {
        if (ctx.res == NumAccessor.ABSENT) {
            return null;
        }
        if (ctx.res >= 0) {
            return "SUCCESS";
        }
        int errno = (int) -ctx.res;
        return errno < ERRNO.length ? ERRNO[errno] : "E" + errno;
    }

    private static int index(String arg, String field) {
        try {
            int n = Integer.parseInt(arg.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("field " + field + " needs a number as argument, not '" + arg + "'");
    }

    private static String ancestor(HostContext ctx, int n) {
        if (n == 0) {
            return ctx.name;
        }
        List<String> names = ctx.ancestorNames;
        return names == null || n > names.size() ? null : names.get(n - 1);
    }

    private static long ancestorPid(HostContext ctx, int n) {
        if (n == 0) {
            return known(ctx.pid);
        }
        long[] pids = ctx.ancestorPids;
        return pids == null || n > pids.length ? NumAccessor.ABSENT : known(pids[n - 1]);
    }

    private static String fdType(char typechar) {
        return switch (typechar) {
            case 'f' -> "file";
            case '4' -> "ipv4";
            case '6' -> "ipv6";
            case 'u' -> "unix";
            case 'm' -> "memfd";
            default -> null;
        };
    }
}
