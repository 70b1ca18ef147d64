package dev.vigil.net.app;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;

/** An {@link AppContext} for benchmarks: counts what an analyzer reports and keeps nothing. */
public final class BenchContext implements AppContext {

    private static final ConnId ID = new ConnId("10.0.0.1", 40000, "10.0.0.2", 443, "tcp");

    public long records;
    public long anomalies;

    @Override
    public ConnId id() {
        return ID;
    }

    @Override
    public String uid() {
        return "CBench000000000001";
    }

    @Override
    public int vlan() {
        return -1;
    }

    @Override
    public void emit(LogRecord record) {
        records++;
    }

    @Override
    public void addService(String service) {
    }

    @Override
    public void encrypted(boolean encrypted) {
    }

    @Override
    public void anomaly(String name, String detail) {
        anomalies++;
    }

    @Override
    public void flipRoles() {
    }

    @Override
    public AppAnalyzer switchTo(AppAnalyzer next) {
        return next;
    }
}
