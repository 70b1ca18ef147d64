package dev.vigil.cli.policy;

import dev.vigil.detect.baseline.WorkloadPolicy;
import dev.vigil.model.alert.Rfc3339;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vigil policy list}: one line per workload with its mode, learning times and what it learned. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the workloads with a baseline: mode, since when it learns, last change and counts of learned facts.")
public final class ListCommand implements Runnable {

    private static final String[] HEADER = {"NAMESPACE", "KIND", "NAME", "MODE", "LEARNING SINCE", "LAST CHANGE",
            "CONTAINERS", "PROCESSES", "PEERS", "PORTS", "DNS", "FILE DIRS"};

    @Mixin
    StateDirOption state;

    @Override
    public void run() {
        List<WorkloadPolicy> policies = state.readAll();
        PrintWriter out = state.out();
        if (policies.isEmpty()) {
            out.println("no workload policies in " + state.store().directory()
                    + " (the agent writes them as it learns; or load some with: vigil policy import FILE)");
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (WorkloadPolicy p : policies) {
            int processes = p.containers().stream().mapToInt(c -> c.processes().size()).sum();
            int dirs = p.containers().stream().mapToInt(c -> c.filesWritten().size()).sum();
            rows.add(new String[] {p.workload().namespace(), p.workload().kind(), p.workload().name(), p.mode().label(),
                    seconds(p.learningStartedNanos()), seconds(p.lastChangeNanos()),
                    Integer.toString(p.containers().size()), Integer.toString(processes),
                    Integer.toString(p.peers().size()), Integer.toString(p.listening().size()),
                    Integer.toString(p.dnsNames().size()), Integer.toString(dirs)});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line);
        }
        out.flush();
    }

    /** RFC 3339 to the second: the table is for people. */
    private static String seconds(long nanos) {
        String t = Rfc3339.format(nanos);
        return t.substring(0, t.indexOf('.')) + "Z";
    }
}
