package dev.vigil.net.app;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link AppContext} that keeps everything an analyzer reports, for tests that drive analyzers
 * directly with TCP payloads. It follows {@link #switchTo} by remembering the new analyzer.
 */
public final class CapturingContext implements AppContext {

    private ConnId id;
    public final List<LogRecord> records = new ArrayList<>();
    public final Set<String> services = new LinkedHashSet<>();
    public final List<String> anomalies = new ArrayList<>();
    public Boolean encrypted;
    public int flips;
    public AppAnalyzer switchedTo;
    public int switches;

    public CapturingContext(ConnId id) {
        this.id = id;
    }

    public CapturingContext() {
        this(new ConnId("10.0.0.1", 40000, "10.0.0.2", 443, "tcp"));
    }

    @Override
    public ConnId id() {
        return id;
    }

    @Override
    public String uid() {
        return "CTest0000000000001";
    }

    @Override
    public int vlan() {
        return -1;
    }

    @Override
    public void emit(LogRecord record) {
        records.add(record);
    }

    @Override
    public void addService(String service) {
        services.add(service);
    }

    @Override
    public void encrypted(boolean value) {
        encrypted = value;
    }

    @Override
    public void anomaly(String name, String detail) {
        anomalies.add(name + ": " + detail);
    }

    @Override
    public void flipRoles() {
        flips++;
        id = new ConnId(id.respH(), id.respP(), id.origH(), id.origP(), id.proto());
    }

    @Override
    public AppAnalyzer switchTo(AppAnalyzer next) {
        switches++;
        switchedTo = next;
        return next;
    }

    /** Records of one type, in emission order. */
    public <T extends LogRecord> List<T> records(Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The records as JSON lines without {@code ts}, which depends on how the input was split into calls. */
    public List<String> jsonWithoutTs() {
        return records.stream().map(r -> r.toJson().replaceFirst(",\"ts\":[0-9.]+", "")).toList();
    }

    /** Everything observable, for comparing runs over the same input fed in different pieces. */
    public String outcome() {
        return jsonWithoutTs() + " services=" + services + " encrypted=" + encrypted + " anomalies=" + anomalies
                + " flips=" + flips + " switches=" + switches;
    }

    /** Anomaly names only. */
    public List<String> anomalyNames() {
        return anomalies.stream().map(a -> a.substring(0, a.indexOf(':'))).toList();
    }
}
