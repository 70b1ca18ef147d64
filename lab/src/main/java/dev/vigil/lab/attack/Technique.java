package dev.vigil.lab.attack;

/** What a scenario does: the technique, performed through an {@link AttackRun}, which checks its effect. */
@FunctionalInterface
public interface Technique {

    /** Performs the technique; throws {@link AttackException} when a step fails or its effect is not observed. */
    void perform(AttackRun run) throws Exception;
}
