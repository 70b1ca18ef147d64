package dev.vigil.detect.detector;

import dev.vigil.detect.baseline.Verdict;
import dev.vigil.model.identity.WorkloadRef;

/** How baseline detectors word a deviation, the same on the host and the network side. */
final class Deviations {

    private Deviations() {
    }

    /** "not in the baseline of Deployment shop/web (monitor mode)", for a deviation protect mode stops. */
    static String notInBaseline(WorkloadRef w, Verdict v) {
        return wording(w, v, "blocking");
    }

    /** The same for a deviation nothing can stop once seen (a file written, a token read, a name looked up). */
    static String notInBaselineAlertOnly(WorkloadRef w, Verdict v) {
        return wording(w, v, "alert only, nothing to stop");
    }

    private static String wording(WorkloadRef w, Verdict v, String protectAction) {
        return "not in the baseline of " + w.kind() + " " + w.qualifiedName()
                + (v == Verdict.BLOCK ? " (protect mode: " + protectAction + ")" : " (monitor mode)");
    }
}
