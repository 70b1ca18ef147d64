package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;
import java.util.List;

/**
 * An attack scenario of the lab: a real technique performed with real tools against lab
 * addresses only, from a source pod, with the detections Vigil should raise for it.
 *
 * @param defaultSource where it runs unless {@code --from} says otherwise
 * @param expectedRules the rule names of the detections it should raise, the main one first (see
 *                      {@link Scenarios})
 */
public record Scenario(String name, String description, SourceRef defaultSource, List<String> expectedRules,
                       Technique technique) {

    public Scenario {
        expectedRules = List.copyOf(expectedRules);
    }

    /** Performs the scenario from {@code source} in the running {@code lab}. */
    public ScenarioResult run(LabStatus lab, Source source, AttackListener listener) {
        return AttackRun.execute(this, lab, source, listener);
    }

    /** Performs the scenario from its default source. */
    public ScenarioResult run(LabStatus lab, AttackListener listener) {
        return run(lab, defaultSource.resolve(lab), listener);
    }
}
