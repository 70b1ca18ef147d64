package dev.vigil.net.app;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@link AppContext} for tests, standing in for the flow engine: it records what analyzers
 * emit and report, swaps the orientation on {@link #flipRoles()}, and on {@link #switchTo} hands the
 * rest of the connection to the given analyzer or, for {@code null}, to a {@link Tunnel} that keeps
 * the bytes so tests can check what followed the switch point.
 */
public final class RecordingContext implements AppContext {

    private ConnId id;
    public final List<LogRecord> records = new ArrayList<>();
    public final List<String> services = new ArrayList<>();
    public final List<String> anomalies = new ArrayList<>();
    public final List<AppAnalyzer> switches = new ArrayList<>();
    public Boolean encrypted;
    public int flips;

    public RecordingContext(ConnId id) {
        this.id = id;
    }

    public static RecordingContext tcp(int respPort) {
        return new RecordingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", respPort, "tcp"));
    }

    public static RecordingContext udp(int respPort) {
        return new RecordingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", respPort, "udp"));
    }

    @Override
    public ConnId id() {
        return id;
    }

    @Override
    public String uid() {
        return "CtestUid1";
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
        if (!services.contains(service)) {
            services.add(service);
        }
    }

    @Override
    public void encrypted(boolean encrypted) {
        this.encrypted = encrypted;
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
        AppAnalyzer target = next == null ? new Tunnel() : next;
        switches.add(target);
        return target;
    }

    /** The JSON lines of every record emitted, in order. */
    public List<String> json() {
        return records.stream().map(LogRecord::toJson).toList();
    }

    /** Records of one type. */
    public <T extends LogRecord> List<T> records(Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Anomaly names without details. */
    public List<String> anomalyNames() {
        return anomalies.stream().map(a -> a.substring(0, a.indexOf(':'))).toList();
    }

    /** Keeps the bytes of each direction handed to it after {@code switchTo(null)}. */
    public static final class Tunnel implements AppAnalyzer {
        public final ByteArrayOutputStream orig = new ByteArrayOutputStream();
        public final ByteArrayOutputStream resp = new ByteArrayOutputStream();
        public boolean ended;

        @Override
        public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
            byte[] b = new byte[length];
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, offset, b, 0, length);
            (direction == Direction.ORIG ? orig : resp).writeBytes(b);
        }

        @Override
        public void gap(Direction direction, long length) {
        }

        @Override
        public void end(long tsMicros) {
            ended = true;
        }
    }
}
