package dev.vigil.cli.demo;

import dev.vigil.lab.LabStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;

/**
 * One part of {@code vigil demo}'s output. The demo prints its sections in order, once the lab is
 * up; later features (the live traffic count by protocol, detections) join as further sections
 * in {@link DemoCommand#sections()}.
 */
public interface DemoSection {

    /** What the demo is looking at: the lab's own facts and a client of its API server. */
    record Context(LabStatus lab, KubernetesClient api) {
    }

    /** The section heading. */
    String title();

    /** Prints the section body. */
    void render(Context context, PrintWriter out);
}
