package dev.vigil.net.app;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;

/** An {@link AppContext} for benchmarks: counts what analyzers emit and report, keeps nothing. */
public final class CountingContext implements AppContext {

    private final ConnId id;
    public long records;
    public long anomalies;
    public long services;

    public CountingContext(ConnId id) {
        this.id = id;
    }

    @Override
    public ConnId id() {
        return id;
    }

    @Override
    public String uid() {
        return "CbenchUid";
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
        services++;
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
        throw new UnsupportedOperationException("benchmarks do not switch analyzers");
    }
}
