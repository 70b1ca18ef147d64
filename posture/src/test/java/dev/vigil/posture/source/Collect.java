package dev.vigil.posture.source;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it receives, for tests. */
final class Collect implements ObjectSink {
    final List<KubeObject> objects = new ArrayList<>();
    final List<Anomaly> anomalies = new ArrayList<>();

    @Override
    public void object(KubeObject object) {
        objects.add(object);
    }

    @Override
    public void anomaly(Anomaly anomaly) {
        anomalies.add(anomaly);
    }

    List<String> names() {
        return objects.stream().map(o -> o.kind() + "/" + o.name()).toList();
    }
}
