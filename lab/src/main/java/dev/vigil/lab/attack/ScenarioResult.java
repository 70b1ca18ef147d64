package dev.vigil.lab.attack;

import java.util.List;

/**
 * What a scenario run did and showed: its steps with their timestamps (nanoseconds since the
 * epoch; detection latency is measured from {@link #attackStartNanos} or from a step's start), the
 * evidence that the technique took effect (observed by lab means, independent of Vigil's
 * sensors), what stayed behind, and why it failed when it did.
 *
 * @param source  {@code namespace/pod:container} the technique ran in
 * @param attackStartNanos when the first step of the technique itself started, after any
 *                preparation steps; {@code startNanos} when there was none
 * @param remains what the run left in the lab (empty when it cleaned up everything)
 * @param failure null when the scenario was performed and its effect observed
 */
public record ScenarioResult(String scenario, String source, List<String> expectedRules, long startNanos,
                             long attackStartNanos, long endNanos, List<Step> steps, List<String> evidence, List<String> remains, String failure) {

    public ScenarioResult {
        expectedRules = List.copyOf(expectedRules);
        steps = List.copyOf(steps);
        evidence = List.copyOf(evidence);
        remains = List.copyOf(remains);
    }

    /** True when every step ran and the effect was observed. */
    public boolean performed() {
        return failure == null;
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }
}
