package dev.vigil.model.host;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;

/**
 * One thing that happened on a node: a process started or ended, a selected system call, a file
 * access, or a sensor's own notice. Rendered as a {@code host} log record whose keys are Falco's
 * field names ({@code evt.type}, {@code proc.name}, {@code k8s.pod.name} …), so rules written for
 * Falco read it unchanged; {@link HostField} gives typed access by those names.
 *
 * @param type      Falco's {@code evt.type}: {@code execve}, {@code clone}, {@code procexit},
 *                  {@code open}, {@code connect}, {@code ptrace}, {@code memfd_create}, …
 * @param timeNanos when it happened, nanoseconds since the epoch
 * @param sensor    which sensor saw it: {@code proc}, {@code syscall}, {@code file}, {@code startup}
 * @param proc      the process that did it; never null, but fields it could not learn are null/-1
 * @param container the container the process runs in, or null on the host
 * @param fd        the file or socket concerned, or null
 * @param args      Falco's {@code evt.args}: the call's arguments as text, or null
 * @param res       Falco's {@code evt.res}/return value where known, or null
 * @param status    exit status of a {@code procexit}, or null
 * @param signal    terminating signal of a {@code procexit} (0 when none), or null
 */
public record HostEvent(
        String type,
        long timeNanos,
        String sensor,
        Process proc,
        Container container,
        Fd fd,
        String args,
        Long res,
        Integer status,
        Integer signal) implements LogRecord {

    /** The {@code log} name of host events. */
    public static final String LOG = "host";

    /**
     * A process as seen when the event happened.
     *
     * @param pid              {@code proc.pid} (the thread group id, in the host's pid namespace)
     * @param ppid             {@code proc.ppid}, -1 when unknown
     * @param name             {@code proc.name}: the kernel's comm (at most 15 characters)
     * @param exepath          {@code proc.exepath}: the executable as the process sees it, or null
     * @param args             argv including argv[0], or null when not read
     * @param cwd              {@code proc.cwd}, or null
     * @param ancestorNames    names of parent, grandparent … ({@code proc.pname}, {@code proc.aname[2]} …)
     * @param ancestorPids     pids matching {@code ancestorNames}
     * @param tty              {@code proc.tty}: controlling terminal device number, 0 when none, -1 unknown
     * @param startNanos       {@code proc.pid.ts}: start time, epoch nanoseconds, -1 unknown
     * @param uid              {@code user.uid} (effective), -1 unknown
     * @param gid              {@code group.gid} (effective), -1 unknown
     * @param userName         {@code user.name} from the container's (or host's) passwd, or null
     * @param sid              {@code proc.sid}, -1 unknown
     * @param capEffective     effective capability mask, -1 unknown
     * @param mntNs            mount namespace inode, 0 unknown
     * @param pidNs            pid namespace inode, 0 unknown
     * @param netNs            network namespace inode, 0 unknown
     * @param cgroup           the cgroup path that placed the process in its container, or null
     * @param exeUpperLayer    {@code proc.is_exe_upper_layer}: the executable lives in the container's
     *                         writable layer, not in the image; null when not determined
     * @param exeFromMemfd     {@code proc.is_exe_from_memfd}: the executable is a memfd or a deleted file
     */
    public record Process(
            int pid,
            int ppid,
            String name,
            String exepath,
            List<String> args,
            String cwd,
            List<String> ancestorNames,
            long[] ancestorPids,
            int tty,
            long startNanos,
            int uid,
            int gid,
            String userName,
            int sid,
            long capEffective,
            long mntNs,
            long pidNs,
            long netNs,
            String cgroup,
            Boolean exeUpperLayer,
            Boolean exeFromMemfd) {

        /** A process of which only the pid, parent and name are known (it ended before it could be read). */
        public static Process minimal(int pid, int ppid, String name, List<String> ancestorNames, long[] ancestorPids) {
            return new Process(pid, ppid, name, null, null, null, ancestorNames, ancestorPids, -1, -1,
                    -1, -1, null, -1, -1, 0, 0, 0, null, null, null);
        }

        /** {@code proc.pname}, or null. */
        public String parentName() {
            return ancestorNames != null && !ancestorNames.isEmpty() ? ancestorNames.getFirst() : null;
        }

        /** {@code proc.cmdline}: the name followed by the arguments, as Falco writes it. */
        public String cmdline() {
            if (args == null) {
                return null;
            }
            StringBuilder b = new StringBuilder(name != null ? name : "");
            for (int i = 1; i < args.size(); i++) {
                b.append(' ').append(args.get(i));
            }
            return b.toString();
        }

        /** {@code proc.args}: the arguments without argv[0], space-separated. */
        public String argsText() {
            if (args == null) {
                return null;
            }
            return args.size() <= 1 ? "" : String.join(" ", args.subList(1, args.size()));
        }
    }

    /**
     * The container of a process, with the cluster's names when identity resolution knew it.
     *
     * @param id       the full container id (64 hex characters for the usual runtimes)
     * @param runtime  {@code containerd}, {@code cri-o}, {@code docker}; null when unknown
     * @param identity the pod and image behind it, or null when the resolver did not know the id
     */
    public record Container(String id, String runtime, ContainerIdentity identity) {

        /** Falco's {@code container.id}: the first 12 characters of the id. */
        public String shortId() {
            return id.length() > 12 ? id.substring(0, 12) : id;
        }
    }

    /**
     * A file or socket.
     *
     * @param num      the descriptor number in the process, -1 when unknown
     * @param typechar Falco's {@code fd.typechar}: {@code f} file, {@code 4} IPv4, {@code 6} IPv6,
     *                 {@code u} unix, {@code m} memfd, {@code ?} unknown
     * @param name     {@code fd.name}: path, or {@code cip:cport->sip:sport} for sockets
     * @param l4proto  {@code fd.l4proto}: {@code tcp}, {@code udp}, or null
     * @param cip      client address (the connecting side), or null
     * @param cport    client port, -1 unknown
     * @param sip      server address, or null
     * @param sport    server port, -1 unknown
     * @param openFlags for file events: {@code r}, {@code w}, {@code x} (read, write, exec) as Falco's
     *                 {@code evt.is_open_read/write/exec}; null otherwise
     */
    public record Fd(int num, char typechar, String name, String l4proto, String cip, int cport, String sip, int sport,
                     String openFlags) {

        /** A file path. */
        public static Fd file(int num, String path, String openFlags) {
            return new Fd(num, 'f', path, null, null, -1, null, -1, openFlags);
        }
    }

    @Override
    public String log() {
        return LOG;
    }

    @Override
    public double ts() {
        return timeNanos / 1e9;
    }

    @Override
    public void writeTo(FieldSink sink) {
        for (HostField f : HostField.values()) {
            f.write(this, sink);
        }
    }

    /** The value of a field by Falco name ({@code proc.name}, {@code proc.aname[3]}), or null. */
    public Object field(String falcoName) {
        return HostField.value(this, falcoName);
    }
}
