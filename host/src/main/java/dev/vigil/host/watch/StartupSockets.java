package dev.vigil.host.watch;

import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.ProcFs;
import dev.vigil.host.proc.ProcParsers;
import dev.vigil.host.proc.SocketTable;
import dev.vigil.model.host.HostEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The sockets open in each pod's network namespace when the sensor starts: listening sockets
 * ({@code listen}) and established connections ({@code accept} when the local port is a listening
 * one — or, its listener closed, a non-ephemeral port facing an ephemeral one — else
 * {@code connect}), each attributed to the process holding it through the socket inode
 * ({@code /proc/<pid>/fd/N → socket:[inode]}). Read from {@code /proc/<pid>/net/{tcp,tcp6,udp,udp6}}
 * of one process per namespace. At most {@link #MAX_FDS_PER_PROCESS} descriptors are examined per
 * process.
 */
final class StartupSockets {

    /** Descriptors examined per process. */
    static final int MAX_FDS_PER_PROCESS = 65_536;

    private StartupSockets() {
    }

    /** Reports the sockets of the namespaces of {@code processes} (container processes seen at start-up). */
    static void report(List<HostEvent> processes, Consumer<HostEvent> sink) {
        Native sys = new Native();
        try {
            ProcFs fs = new ProcFs(sys);
            Map<Long, List<HostEvent>> byNs = new HashMap<>();
            for (HostEvent p : processes) {
                if (p.container() != null && p.proc().netNs() > 0) {
                    byNs.computeIfAbsent(p.proc().netNs(), k -> new ArrayList<>()).add(p);
                }
            }
            for (List<HostEvent> members : byNs.values()) {
                reportNamespace(fs, members, sink);
            }
        } finally {
            sys.release();
        }
    }

    private static void reportNamespace(ProcFs fs, List<HostEvent> members, Consumer<HostEvent> sink) {
        Map<Long, HostEvent> owner = new HashMap<>();
        Map<Long, Integer> fdOf = new HashMap<>();
        for (HostEvent p : members) {
            for (int fd : descriptors(p.proc().pid())) {
                int n = fs.readlink(p.proc().pid(), "fd/" + fd);
                if (n > 0 && ProcParsers.startsWith(fs.bytes(), 0, n, "socket:[")) {
                    long inode = ProcParsers.bracketedNumber(fs.bytes(), n);
                    owner.putIfAbsent(inode, p);
                    fdOf.putIfAbsent(inode, fd);
                }
            }
        }
        int reader = members.getFirst().proc().pid();
        List<SocketTable.Socket> sockets = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            sockets.addAll(SocketTable.parse(fs.text(reader, "net/" + table), table));
        }
        Set<Integer> listening = new HashSet<>();
        for (SocketTable.Socket s : sockets) {
            if (s.state() == SocketTable.LISTEN) {
                listening.add(s.localPort());
            }
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        for (SocketTable.Socket s : sockets) {
            HostEvent p = owner.get(s.inode());
            if (p == null) {
                continue;
            }
            boolean listen = s.state() == SocketTable.LISTEN
                    || (s.proto().equals("udp") && s.remotePort() == 0);
            boolean established = s.proto().equals("tcp") ? s.state() == SocketTable.ESTABLISHED : s.remotePort() != 0;
            String type;
            HostEvent.Fd fd;
            char typechar = s.ipv6() ? '6' : '4';
            int num = fdOf.get(s.inode());
            if (listen) {
                type = "listen";
                fd = new HostEvent.Fd(num, typechar, s.localIp() + ":" + s.localPort(), s.proto(), null, -1,
                        s.localIp(), s.localPort(), null);
            } else if (established && (listening.contains(s.localPort())
                    || (!SocketTable.ephemeral(s.localPort()) && SocketTable.ephemeral(s.remotePort())))) {
                type = "accept";
                fd = new HostEvent.Fd(num, typechar, s.remoteIp() + ":" + s.remotePort() + "->" + s.localIp() + ":"
                        + s.localPort(), s.proto(), s.remoteIp(), s.remotePort(), s.localIp(), s.localPort(), null);
            } else if (established) {
                type = "connect";
                fd = new HostEvent.Fd(num, typechar, s.localIp() + ":" + s.localPort() + "->" + s.remoteIp() + ":"
                        + s.remotePort(), s.proto(), s.localIp(), s.localPort(), s.remoteIp(), s.remotePort(), null);
            } else {
                continue;
            }
            sink.accept(new HostEvent(type, now, "startup", p.proc(), p.container(), fd, null, null, null, null));
        }
    }

    private static int[] descriptors(int pid) {
        try (var list = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/fd"))) {
            return list.limit(MAX_FDS_PER_PROCESS).map(f -> f.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .mapToInt(Integer::parseInt).toArray();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return new int[0];
        }
    }
}
