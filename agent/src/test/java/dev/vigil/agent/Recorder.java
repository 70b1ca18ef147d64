package dev.vigil.agent;

import dev.vigil.model.alert.Alert;
import dev.vigil.model.host.EnforcementAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** An {@link AgentListener} for tests: every raised alert with the wall-clock time it arrived, audits, log lines. */
final class Recorder implements AgentListener {

    /** An alert and when the listener heard it, epoch nanoseconds. */
    record Heard(Alert alert, long atNanos) {
        /** From the action's own timestamp (the kernel's event time, the packet's time) to the alert. */
        long latencyNanos() {
            return atNanos - alert.timeNanos();
        }
    }

    final List<Heard> raised = new CopyOnWriteArrayList<>();
    final List<Alert> written = new CopyOnWriteArrayList<>();
    final List<EnforcementAudit> audits = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    private final boolean echo;

    Recorder(boolean echo) {
        this.echo = echo;
    }

    static long now() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public void raised(Alert alert) {
        raised.add(new Heard(alert, now()));
    }

    @Override
    public void written(Alert alert) {
        written.add(alert);
    }

    @Override
    public void enforced(EnforcementAudit audit) {
        audits.add(audit);
    }

    @Override
    public void log(String line) {
        log.add(line);
        if (echo) {
            System.err.println("agent: " + line);
        }
    }

    /** Raised alerts matching {@code p} since index {@code from}. */
    List<Heard> since(int from, Predicate<Alert> p) {
        List<Heard> out = new ArrayList<>();
        for (int i = from; i < raised.size(); i++) {
            if (p.test(raised.get(i).alert())) {
                out.add(raised.get(i));
            }
        }
        return out;
    }

    /** Waits until an alert matching {@code p} was raised at or after index {@code from}; null on timeout. */
    Heard await(int from, Predicate<Alert> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<Heard> found = since(from, p);
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            Thread.sleep(10);
        }
        return null;
    }
}
