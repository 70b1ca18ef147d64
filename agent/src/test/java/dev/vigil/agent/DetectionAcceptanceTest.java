package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lab.attack.AttackListener;
import dev.vigil.lab.attack.Scenario;
import dev.vigil.lab.attack.ScenarioResult;
import dev.vigil.lab.attack.Scenarios;
import dev.vigil.model.alert.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every attack scenario of the lab against the learned agent. */
class DetectionAcceptanceTest {

    @BeforeAll
    static void learned() throws Exception {
        LearnedLab.start();
    }

    @Test
    void everyScenarioOnce() throws Exception {
        Map<String, String> table = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        String only = System.getProperty("vigil.scenarios");
        for (Scenario s : Scenarios.all()) {
            if (only != null && !List.of(only.split(",")).contains(s.name())) {
                continue;
            }
            int from = LearnedLab.heard.raised.size();
            ScenarioResult r = s.run(LearnedLab.lab, AttackListener.SILENT);
            Thread.sleep(3000);
            List<Recorder.Heard> alerts = LearnedLab.heard.since(from, a -> true);
            StringBuilder b = new StringBuilder();
            b.append(r.performed() ? "performed" : "FAILED: " + r.failure()).append('\n');
            for (Recorder.Heard h : alerts) {
                Alert a = h.alert();
                b.append(String.format("   %-45s %-10s %-40s %7.1f ms %s%n", a.rule(), a.outputFields().get("k8s.ns.name"),
                        a.outputFields().get("k8s.pod.name"), h.latencyNanos() / 1e6,
                        s.expectedRules().contains(a.rule()) ? "EXPECTED" : ""));
            }
            for (String rule : s.expectedRules()) {
                if (alerts.stream().noneMatch(h -> h.alert().rule().equals(rule))) {
                    failures.add(s.name() + ": no " + rule);
                }
            }
            table.put(s.name(), b.toString());
            System.err.println("== " + s.name() + ": " + b);
        }
        assertThat(failures).isEmpty();
    }
}
