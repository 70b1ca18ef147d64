package dev.vigil.lab.attack;

/** Hears a scenario run as it happens: the command prints steps live, tests may collect them. */
public interface AttackListener {

    /** Does nothing. */
    AttackListener SILENT = new AttackListener() {
    };

    /** A scenario is about to start from {@code source}. */
    default void scenarioStarting(Scenario scenario, Source source) {
    }

    /** A scenario ended, performed or not. */
    default void scenarioDone(ScenarioResult result) {
    }

    /** A step is about to run. */
    default void starting(String action, String where) {
    }

    /** A step finished (also when it failed). */
    default void finished(Step step) {
    }

    /** The technique's effect was observed. */
    default void evidence(String line) {
    }
}
