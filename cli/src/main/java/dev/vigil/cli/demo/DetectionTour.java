package dev.vigil.cli.demo;

import dev.vigil.lab.LabStatus;
import dev.vigil.lab.attack.AttackListener;
import dev.vigil.lab.attack.Scenario;
import dev.vigil.lab.attack.ScenarioResult;
import dev.vigil.lab.attack.Source;
import dev.vigil.model.alert.Alert;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs attack scenarios of the lab against the in-process agent and tells, for each expected rule
 * of each scenario ({@link Scenario#expectedRules()}, the one table of expectations), whether it was
 * raised, how fast, and about which pod. A scenario's alerts are those raised after it started, about
 * something that happened after it started; they are waited for until every expected rule was seen or
 * {@link #grace} passed after the scenario ended.
 */
final class DetectionTour {

    /**
     * How far before a scenario's start an alert on its source pod may be timed (event clocks and the
     * wall clock differ a little). Alerts on other pods must be timed after the start: a windowed
     * detector's later finding about the previous scenario's source lands just after it ended.
     */
    static final long CLOCK_SLACK_NANOS = 1_000_000_000L;

    /** One expected rule of one scenario run: the first alert of the rule, or null when none came. */
    record Row(ScenarioResult result, String rule, RaisedAlerts.Raised first) {

        boolean detected() {
            return first != null;
        }

        /** {@code namespace/pod[:container]} the alert names, or empty. */
        String attributedTo() {
            if (first == null) {
                return "";
            }
            var f = first.alert().outputFields();
            String where = f.get("k8s.ns.name") == null ? "(node)" : f.get("k8s.ns.name") + "/" + f.get("k8s.pod.name");
            return f.get("container.name") == null ? where : where + ":" + f.get("container.name");
        }
    }

    private final LabStatus lab;
    private final RaisedAlerts alerts;
    private final Duration grace;

    DetectionTour(LabStatus lab, RaisedAlerts alerts, Duration grace) {
        this.lab = lab;
        this.alerts = alerts;
        this.grace = grace;
    }

    /** Performs {@code s} from {@code source} and returns one row per expected rule. */
    List<Row> run(Scenario s, Source source, AttackListener listener) throws InterruptedException {
        int from = alerts.mark();
        ScenarioResult r = s.run(lab, source, listener);
        long end = System.nanoTime() + grace.toNanos();
        List<Row> rows;
        do {
            rows = new ArrayList<>();
            for (String rule : s.expectedRules()) {
                rows.add(new Row(r, rule, alerts.since(from, a -> a.rule().equals(rule) && belongsToRun(a, r, source))
                        .stream().findFirst().orElse(null)));
            }
            if (rows.stream().allMatch(Row::detected)) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        return rows;
    }

    /** Whether {@code a} can be about this run of the scenario rather than an earlier one. */
    private static boolean belongsToRun(Alert a, ScenarioResult r, Source source) {
        boolean onSource = source.pod().namespace().equals(a.outputFields().get("k8s.ns.name"))
                && source.pod().name().equals(a.outputFields().get("k8s.pod.name"));
        return a.timeNanos() >= r.startNanos() - (onSource ? CLOCK_SLACK_NANOS : 0);
    }

    /** The summary table: scenario, expected rule, detected, latency, where. */
    static void print(PrintWriter out, List<Row> rows) {
        out.printf(Locale.ROOT, "%-13s %-44s %-9s %11s  %s%n", "SCENARIO", "EXPECTED RULE", "DETECTED", "LATENCY", "ATTRIBUTED TO");
        for (Row row : rows) {
            String detected = !row.result().performed() ? "not run" : row.detected() ? "yes" : "NO";
            String latency = row.detected() ? String.format(Locale.ROOT, "%.1f ms", row.first().latencyNanos() / 1e6) : "-";
            out.printf(Locale.ROOT, "%-13s %-44s %-9s %11s  %s%n", row.result().scenario(), row.rule(), detected, latency,
                    row.attributedTo());
        }
        long missed = rows.stream().filter(r -> !r.detected()).count();
        out.printf(Locale.ROOT, "%d of %d expected detections (latency: from the action's own timestamp — the kernel's event"
                + " time or the packet time, a connection summary's last packet — to the alert)%n", rows.size() - missed, rows.size());
        out.flush();
    }
}
