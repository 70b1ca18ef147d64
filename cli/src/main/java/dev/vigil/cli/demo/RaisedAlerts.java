package dev.vigil.cli.demo;

import dev.vigil.agent.AgentListener;
import dev.vigil.model.alert.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every alert the in-process agent raises (before folding), with the wall-clock time it was raised,
 * so the tour can tell which scenario's rules fired and how fast: the latency of an alert is from
 * the action's own timestamp ({@link Alert#timeNanos()}: the kernel's time of a host event, the
 * packet time of a network record) to the moment it was raised. An alert on a connection's summary
 * (its {@code conn} record: bytes and service are known when the connection ends) is timed from the
 * connection's last packet. Thread-safe.
 */
final class RaisedAlerts implements AgentListener {

    /** An alert and when it was raised, epoch nanoseconds. */
    record Raised(Alert alert, long atNanos) {
        /** From the action's timestamp (a connection summary's last packet) to the alert. */
        long latencyNanos() {
            return atNanos - evidenceCompleteNanos(alert);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** When the alert's evidence was complete: the end of a conn record it was raised on, else its own time. */
    static long evidenceCompleteNanos(Alert alert) {
        if (alert.evidence().size() == 1) {
            JsonNode record = JSON.readTree(alert.evidence().getFirst());
            if ("conn".equals(record.path("log").asString(null)) && record.path("duration").isNumber()) {
                return alert.timeNanos() + Math.round(record.path("duration").asDouble() * 1e9);
            }
        }
        return alert.timeNanos();
    }

    private final List<Raised> raised = new CopyOnWriteArrayList<>();

    static long nowNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public void raised(Alert alert) {
        raised.add(new Raised(alert, nowNanos()));
    }

    /** How many alerts were raised so far; a mark to look from. */
    int mark() {
        return raised.size();
    }

    /** Alerts matching {@code p} raised at or after mark {@code from}. */
    List<Raised> since(int from, Predicate<Alert> p) {
        List<Raised> out = new ArrayList<>();
        for (int i = from; i < raised.size(); i++) {
            if (p.test(raised.get(i).alert())) {
                out.add(raised.get(i));
            }
        }
        return out;
    }
}
