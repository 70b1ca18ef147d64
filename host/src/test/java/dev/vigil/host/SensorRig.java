package dev.vigil.host;

import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.proc.ProcessSensor;
import dev.vigil.testkit.Requirements;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture of the sensor tests: test pods, a catalog that knows them, a collector of events, and
 * the sensors under test; closes sensors (in reverse order) before the pods.
 */
public final class SensorRig implements AutoCloseable {

    public final List<TestPod> pods = new ArrayList<>();
    public final EventCollector events = new EventCollector();
    public final ContainerCatalog catalog;
    private final List<AutoCloseable> sensors = new ArrayList<>();

    private SensorRig(List<TestPod> started) {
        pods.addAll(started);
        catalog = new ContainerCatalog(TestPod.resolver(started.toArray(TestPod[]::new)));
    }

    /** Starts one pod per name (needs root, runc, gcc, ip, mount). */
    public static SensorRig start(String... podNames) {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "gcc", "ip", "mount");
        List<TestPod> started = new ArrayList<>();
        try {
            for (String name : podNames) {
                started.add(TestPod.start(name));
            }
        } catch (RuntimeException | Error e) {
            started.forEach(TestPod::close);
            throw e;
        }
        return new SensorRig(started);
    }

    /** The first pod. */
    public TestPod pod() {
        return pods.getFirst();
    }

    /**
     * Starts a process sensor on the rig's catalog: reporting into {@link #events} when {@code report}
     * (with start-up events), else silent, only teaching the catalog about processes for other sensors.
     */
    public ProcessSensor processes(boolean report) {
        ProcessSensor sensor = add(new ProcessSensor(ProcessSensor.Config.DEFAULT, catalog, report ? events : e -> { }));
        sensor.start(report);
        return sensor;
    }

    /** Registers a sensor to close with the rig. */
    public <T extends AutoCloseable> T add(T sensor) {
        sensors.add(sensor);
        return sensor;
    }

    @Override
    public void close() {
        for (int i = sensors.size() - 1; i >= 0; i--) {
            try {
                sensors.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        pods.forEach(TestPod::close);
    }
}
