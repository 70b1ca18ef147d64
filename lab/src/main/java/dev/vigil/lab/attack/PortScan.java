package dev.vigil.lab.attack;

import dev.vigil.lab.topology.DefaultTopology;
import dev.vigil.lab.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code port-scan}: nmap's TCP connect scan ({@code -sT}) and SYN scan ({@code -sS}, raw
 * packets: the container's {@code CAP_NET_RAW}) of the api pod (of the frontend when the scan runs
 * from the api: a pod's scan of its own address never leaves its loopback), and a UDP scan
 * ({@code -sU}) of the cluster DNS pod. nmap is dropped into the source container when its image lacks it. The
 * effect: nmap lists each target's serving ports as open.
 */
final class PortScan implements Technique {

    /** TCP ports probed: the well-known range plus the lab's service ports. */
    static final String TCP_PORTS = "1-1024,5432,6379,8080,8443";
    /** UDP ports probed (each closed one costs an ICMP reply, which the kernel rate-limits). */
    static final String UDP_PORTS = "53,67,69,123,137,161,500,514,1900,5353";

    private static final Pattern OPEN = Pattern.compile("(?m)^(\\d+/(?:tcp|udp))\\s+open\\s");

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        Source tcpTarget = run.pod("shop-api", "api", null);
        if (tcpTarget.pod().uid().equals(from.pod().uid())) {
            tcpTarget = run.pod("shop-web", "frontend", null);
        }
        Source udpTarget = run.pod("kube-system", "coredns", null);
        String nmap = run.toolkit().ensure(from, "nmap");
        String tcpIp = LabAddresses.requireLab(tcpTarget.pod().ip());
        String udpIp = LabAddresses.requireLab(udpTarget.pod().ip());

        for (String type : List.of("-sT", "-sS")) {
            AttackRun.Ran scan = run.command(from, nmap, "-n", "-Pn", type, "-T4", "--max-retries", "1", "-p", TCP_PORTS, tcpIp)
                    .run((type.equals("-sT") ? "TCP connect scan" : "TCP SYN scan") + " of " + tcpTarget.pod().name() + " " + tcpIp);
            expectOpen(run, scan, "nmap " + type, tcpIp, servedPorts(tcpTarget, "TCP"));
        }
        AttackRun.Ran udp = run.command(from, nmap, "-n", "-Pn", "-sU", "-T4", "--max-retries", "1", "-p", UDP_PORTS, udpIp)
                .run("UDP scan of " + udpTarget.pod().name() + " " + udpIp);
        expectOpen(run, udp, "nmap -sU", udpIp, servedPorts(udpTarget, "UDP"));
    }

    /** The ports the target's containers serve, from the lab topology ({@code 8080/tcp}). */
    static List<String> servedPorts(Source target, String protocol) {
        Topology.PodDef def = DefaultTopology.create().pod(target.pod().namespace(), target.pod().workload());
        return def.containers().stream().flatMap(c -> c.ports().stream()).filter(p -> p.protocol().equals(protocol))
                .map(p -> p.port() + "/" + protocol.toLowerCase()).toList();
    }

    private static void expectOpen(AttackRun run, AttackRun.Ran scan, String scanner, String ip, List<String> served) {
        List<String> open = new ArrayList<>();
        Matcher m = OPEN.matcher(scan.stdout());
        while (m.find()) {
            open.add(m.group(1));
        }
        run.check(open.containsAll(served), "nmap did not report " + served + " open on " + ip + " (it reported " + open + ")");
        run.evidence(scanner + " " + ip + ": open " + open);
    }
}
