package dev.vigil.detect.baseline;

/** The outcome of checking an observation against a workload's baseline. */
public enum Verdict {
    /** Already in the baseline. */
    KNOWN,
    /** New, and added: the workload is learning. */
    LEARNED,
    /** New, in monitor mode: raise an alert. */
    DEVIATION,
    /** New, in protect mode: raise an alert and stop it. */
    BLOCK,
    /** Not checked: the workload or the set is beyond its bound (counted in {@link Baselines.Stats}). */
    UNTRACKED;

    /** True for {@link #DEVIATION} and {@link #BLOCK}. */
    public boolean deviates() {
        return this == DEVIATION || this == BLOCK;
    }
}
