package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ping-sweep}: one ICMP echo to every address of the source pod's /24 of the pod range,
 * with the image's own busybox ({@code xargs -P} running {@value #PARALLEL} pings at a time). The
 * effect: every lab pod of that /24 answered.
 */
final class PingSweep implements Technique {

    /** Pings in flight at once. */
    static final int PARALLEL = 64;

    private static final Pattern REPLY = Pattern.compile("bytes from (\\d+\\.\\d+\\.\\d+\\.\\d+)");

    @Override
    public void perform(AttackRun run) {
        Source from = run.source();
        String ip = from.pod().ip();
        String prefix = ip.substring(0, ip.lastIndexOf('.'));
        LabAddresses.requireLab(prefix + ".0");
        AttackRun.Ran sweep = run.command(from, "sh", "-c", "seq 1 254 | xargs -P " + PARALLEL + " -I{} ping -c 1 -W 1 " + prefix
                        + ".{} 2>/dev/null | grep 'bytes from'")
                .run("ICMP echo sweep of " + prefix + ".0/24");
        TreeSet<String> answered = new TreeSet<>();
        Matcher m = REPLY.matcher(sweep.stdout());
        while (m.find()) {
            answered.add(m.group(1));
        }
        List<String> pods = run.lab().pods().stream().map(LabStatus.Pod::ip).filter(p -> p.startsWith(prefix + ".")).toList();
        run.check(answered.containsAll(pods), "the sweep of " + prefix + ".0/24 did not reach every lab pod: answered " + answered
                + ", pods " + pods);
        run.evidence("254 addresses of " + prefix + ".0/24 pinged; " + answered.size() + " answered: " + answered);
    }
}
