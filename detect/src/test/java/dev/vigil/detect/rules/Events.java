package dev.vigil.detect.rules;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.util.List;

/**
 * Crafted host events for rule tests, built as the host sensor builds them ({@link HostEvent}): a
 * process in a pod's container unless said otherwise. The builder's methods are named as the
 * {@link HostContext} setters, and {@link Builder#bind} binds the finished event.
 */
final class Events {

    static final String CONTAINER_ID = "3f1c9a2b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a";

    private Events() {
    }

    static ContainerIdentity identity(String namespace, String image) {
        return new ContainerIdentity(CONTAINER_ID, "containerd", namespace, "web-7d9f", "uid-1", "app", image,
                "sha256:" + "ab".repeat(32), new WorkloadRef(namespace, "Deployment", "web"));
    }

    /** An exec of {@code argv} by a process named {@code name} whose ancestors are {@code ancestors}. */
    static Builder exec(String name, List<String> argv, String... ancestors) {
        long[] pids = new long[ancestors.length];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = 100 - i;
        }
        return new Builder().event("execve", 1_700_000_000_123_456_789L).sensor("proc")
                .process(4242, 100, name, "/bin/" + name, argv, "/")
                .ancestors(List.of(ancestors), pids)
                .user(1000, 1000, "app").session(0, 1, 0)
                .container(CONTAINER_ID, "containerd", identity("shop", "registry.example/shop/web:1.4"));
    }

    /** A file open as the file sensor reports it: fanotify knows the file, not the process's descriptor number. */
    static Builder open(String name, String path, String flags) {
        return new Builder().event("open", 1_700_000_000_000_000_000L).sensor("file")
                .process(4242, 100, name, "/usr/bin/" + name, List.of(name, path), "/")
                .ancestors(List.of("bash"), new long[] {100})
                .user(0, 0, "root")
                .container(CONTAINER_ID, "containerd", identity("shop", "registry.example/shop/web:1.4"))
                .file(-1, path, flags);
    }

    /** The parts of one {@link HostEvent}. */
    static final class Builder {
        private String type;
        private long time;
        private String sensor = "syscall";
        private int pid = -1;
        private int ppid = -1;
        private String name;
        private String exepath;
        private List<String> argv;
        private String cwd;
        private List<String> ancestorNames;
        private long[] ancestorPids;
        private int tty = -1;
        private int sid = -1;
        private long capEffective = -1;
        private int uid = -1;
        private int gid = -1;
        private String userName;
        private Boolean upper;
        private Boolean memfd;
        private String containerId;
        private String runtime;
        private ContainerIdentity identity;
        private HostEvent.Fd fd;
        private String args;
        private Long res;
        private Integer status;
        private Integer signal;

        Builder event(String type, long time) {
            this.type = type;
            this.time = time;
            return this;
        }

        Builder sensor(String sensor) {
            this.sensor = sensor;
            return this;
        }

        Builder process(int pid, int ppid, String name, String exepath, List<String> argv, String cwd) {
            this.pid = pid;
            this.ppid = ppid;
            this.name = name;
            this.exepath = exepath;
            this.argv = argv;
            this.cwd = cwd;
            return this;
        }

        Builder ancestors(List<String> names, long[] pids) {
            this.ancestorNames = names;
            this.ancestorPids = pids;
            return this;
        }

        Builder user(int uid, int gid, String userName) {
            this.uid = uid;
            this.gid = gid;
            this.userName = userName;
            return this;
        }

        Builder session(int tty, int sid, long capEffective) {
            this.tty = tty;
            this.sid = sid;
            this.capEffective = capEffective;
            return this;
        }

        Builder exe(Boolean upperLayer, Boolean fromMemfd) {
            this.upper = upperLayer;
            this.memfd = fromMemfd;
            return this;
        }

        Builder container(String id, String runtime, ContainerIdentity identity) {
            this.containerId = id;
            this.runtime = runtime;
            this.identity = identity;
            return this;
        }

        Builder onHost() {
            return container(null, null, null);
        }

        Builder fd(int num, char typechar, String fdName, String l4proto, String cip, int cport, String sip, int sport,
                   String openFlags) {
            this.fd = new HostEvent.Fd(num, typechar, fdName, l4proto, cip, cport, sip, sport, openFlags);
            return this;
        }

        Builder file(int num, String path, String openFlags) {
            this.fd = HostEvent.Fd.file(num, path, openFlags);
            return this;
        }

        Builder args(String args) {
            this.args = args;
            return this;
        }

        Builder result(long res) {
            this.res = res;
            return this;
        }

        Builder exit(int status, int signal) {
            this.status = status;
            this.signal = signal;
            return this;
        }

        HostEvent event() {
            HostEvent.Process p = new HostEvent.Process(pid, ppid, name, exepath, argv, cwd, ancestorNames, ancestorPids,
                    tty, -1, uid, gid, userName, sid, capEffective, 0, 0, 0, null, upper, memfd);
            HostEvent.Container c = containerId == null ? null : new HostEvent.Container(containerId, runtime, identity);
            return new HostEvent(type, time, sensor, p, c, fd, args, res, status, signal);
        }

        HostContext bind(HostContext ctx) {
            return ctx.bind(event());
        }
    }
}
