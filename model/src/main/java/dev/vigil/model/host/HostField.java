package dev.vigil.model.host;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.record.FieldSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fields of a {@link HostEvent} by Falco name, with their type: the one place that decides how an
 * event is rendered and how a rule engine reads it. Unknown values read as null and are not written.
 * {@code proc.aname[N]} and {@code proc.apid[N]} are indexed (1 is the parent, as in Falco) and
 * written for every known ancestor from 2 on; {@code proc.aname} without index is the parent.
 */
public enum HostField {
    EVT_TYPE("evt.type", Kind.STRING, HostEvent::type),
    EVT_TIME("evt.time", Kind.STRING, e -> isoTime(e.timeNanos())),
    EVT_RAWTIME("evt.rawtime", (ToLongFunction<HostEvent>) HostEvent::timeNanos),
    EVT_ARGS("evt.args", Kind.STRING, HostEvent::args),
    EVT_RES("evt.res", (ToLongFunction<HostEvent>) e -> e.res() == null ? HostField.ABSENT : e.res()),
    EVT_IS_OPEN_READ("evt.is_open_read", Kind.BOOL, e -> openFlag(e, 'r')),
    EVT_IS_OPEN_WRITE("evt.is_open_write", Kind.BOOL, e -> openFlag(e, 'w')),
    EVT_IS_OPEN_EXEC("evt.is_open_exec", Kind.BOOL, e -> openFlag(e, 'x')),
    EVT_ARG_STATUS("evt.arg.status", (ToLongFunction<HostEvent>) e -> e.status() == null ? HostField.ABSENT : e.status()),
    EVT_ARG_SIG("evt.arg.sig", (ToLongFunction<HostEvent>) e -> e.signal() == null ? HostField.ABSENT : e.signal()),
    VIGIL_SENSOR("vigil.sensor", Kind.STRING, HostEvent::sensor),
    PROC_PID("proc.pid", (ToLongFunction<HostEvent>) e -> known(e.proc().pid())),
    PROC_PPID("proc.ppid", (ToLongFunction<HostEvent>) e -> known(e.proc().ppid())),
    PROC_NAME("proc.name", Kind.STRING, e -> e.proc().name()),
    PROC_EXE("proc.exe", Kind.STRING, e -> e.proc().args() == null || e.proc().args().isEmpty()
            ? null : e.proc().args().getFirst()),
    PROC_EXEPATH("proc.exepath", Kind.STRING, e -> e.proc().exepath()),
    PROC_CMDLINE("proc.cmdline", Kind.STRING, e -> e.proc().cmdline()),
    PROC_ARGS("proc.args", Kind.STRING, e -> e.proc().argsText()),
    PROC_CWD("proc.cwd", Kind.STRING, e -> e.proc().cwd()),
    PROC_PNAME("proc.pname", Kind.STRING, e -> e.proc().parentName()),
    PROC_ANAME("proc.aname", Kind.INDEXED_STRING, e -> e.proc().ancestorNames()),
    PROC_APID("proc.apid", Kind.INDEXED_NUMBER, e -> e.proc().ancestorPids()),
    PROC_TTY("proc.tty", (ToLongFunction<HostEvent>) e -> known(e.proc().tty())),
    PROC_SID("proc.sid", (ToLongFunction<HostEvent>) e -> known(e.proc().sid())),
    PROC_PID_TS("proc.pid.ts", (ToLongFunction<HostEvent>) e -> known(e.proc().startNanos())),
    PROC_IS_EXE_UPPER_LAYER("proc.is_exe_upper_layer", Kind.BOOL, e -> e.proc().exeUpperLayer()),
    PROC_IS_EXE_FROM_MEMFD("proc.is_exe_from_memfd", Kind.BOOL, e -> e.proc().exeFromMemfd()),
    THREAD_CAP_EFFECTIVE("thread.cap_effective", (ToLongFunction<HostEvent>) e -> known(e.proc().capEffective())),
    PROC_NS_MNT("proc.ns.mnt", (ToLongFunction<HostEvent>) e -> positive(e.proc().mntNs())),
    PROC_NS_PID("proc.ns.pid", (ToLongFunction<HostEvent>) e -> positive(e.proc().pidNs())),
    PROC_NS_NET("proc.ns.net", (ToLongFunction<HostEvent>) e -> positive(e.proc().netNs())),
    PROC_CGROUP("proc.cgroup", Kind.STRING, e -> e.proc().cgroup()),
    USER_UID("user.uid", (ToLongFunction<HostEvent>) e -> known(e.proc().uid())),
    USER_NAME("user.name", Kind.STRING, e -> e.proc().userName()),
    GROUP_GID("group.gid", (ToLongFunction<HostEvent>) e -> known(e.proc().gid())),
    CONTAINER_ID("container.id", Kind.STRING, e -> e.container() == null ? "host" : e.container().shortId()),
    CONTAINER_FULL_ID("container.full_id", Kind.STRING, e -> e.container() == null ? null : e.container().id()),
    CONTAINER_TYPE("container.type", Kind.STRING, e -> e.container() == null ? null : e.container().runtime()),
    CONTAINER_NAME("container.name", Kind.STRING, e -> id(e) == null ? null : id(e).container()),
    CONTAINER_IMAGE("container.image", Kind.STRING, e -> id(e) == null ? null : id(e).image()),
    CONTAINER_IMAGE_REPOSITORY("container.image.repository", Kind.STRING,
            e -> id(e) == null ? null : id(e).imageRepository()),
    CONTAINER_IMAGE_DIGEST("container.image.digest", Kind.STRING, e -> id(e) == null ? null : id(e).imageDigest()),
    K8S_NS_NAME("k8s.ns.name", Kind.STRING, e -> id(e) == null ? null : id(e).namespace()),
    K8S_POD_NAME("k8s.pod.name", Kind.STRING, e -> id(e) == null ? null : id(e).pod()),
    K8S_POD_UID("k8s.pod.uid", Kind.STRING, e -> id(e) == null ? null : id(e).podUid()),
    FD_NUM("fd.num", (ToLongFunction<HostEvent>) e -> e.fd() == null ? HostField.ABSENT : known(e.fd().num())),
    FD_TYPECHAR("fd.typechar", Kind.STRING, e -> e.fd() == null ? null : String.valueOf(e.fd().typechar())),
    FD_NAME("fd.name", Kind.STRING, e -> e.fd() == null ? null : e.fd().name()),
    FD_L4PROTO("fd.l4proto", Kind.STRING, e -> e.fd() == null ? null : e.fd().l4proto()),
    FD_CIP("fd.cip", Kind.STRING, e -> e.fd() == null ? null : e.fd().cip()),
    FD_CPORT("fd.cport", (ToLongFunction<HostEvent>) e -> e.fd() == null ? HostField.ABSENT : known(e.fd().cport())),
    FD_SIP("fd.sip", Kind.STRING, e -> e.fd() == null ? null : e.fd().sip()),
    FD_SPORT("fd.sport", (ToLongFunction<HostEvent>) e -> e.fd() == null ? HostField.ABSENT : known(e.fd().sport()));

    /** How a field's value is typed. */
    public enum Kind {
        /** A {@link String}. */
        STRING,
        /** A {@link Long}. */
        NUMBER,
        /** A {@link Boolean}. */
        BOOL,
        /** A string per index ({@code proc.aname[N]}); the unindexed value is index 1. */
        INDEXED_STRING,
        /** A number per index ({@code proc.apid[N]}). */
        INDEXED_NUMBER
    }

    private static final Map<String, HostField> BY_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(HostField::falcoName, f -> f));

    private final String falcoName;
    private final Kind kind;
    private final Function<HostEvent, Object> getter;
    private final ToLongFunction<HostEvent> numberGetter;
    private volatile String[] indexedNames;

    private static final int PRECOMPUTED_INDEXES = 16;
    /** The number getters' value for "unknown". */
    private static final long ABSENT = Long.MIN_VALUE;

    HostField(String falcoName, Kind kind, Function<HostEvent, Object> getter) {
        this.falcoName = falcoName;
        this.kind = kind;
        this.getter = getter;
        this.numberGetter = null;
    }

    /** A number field; {@link #ABSENT} stands for an unknown value so that writing never boxes. */
    HostField(String falcoName, ToLongFunction<HostEvent> numberGetter) {
        this.falcoName = falcoName;
        this.kind = Kind.NUMBER;
        this.getter = null;
        this.numberGetter = numberGetter;
    }

    public String falcoName() {
        return falcoName;
    }

    public Kind kind() {
        return kind;
    }

    /** The field of this name (without an index), or null. */
    public static HostField byName(String falcoName) {
        return BY_NAME.get(falcoName);
    }

    /**
     * The value of {@code event}'s field {@code falcoName}, which may carry an index for indexed
     * fields ({@code proc.aname[2]}); null when unknown or absent.
     */
    public static Object value(HostEvent event, String falcoName) {
        int bracket = falcoName.indexOf('[');
        int index = 1;
        String name = falcoName;
        if (bracket > 0 && falcoName.endsWith("]")) {
            name = falcoName.substring(0, bracket);
            try {
                index = Integer.parseInt(falcoName.substring(bracket + 1, falcoName.length() - 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        HostField f = BY_NAME.get(name);
        if (f == null) {
            return null;
        }
        return f.kind == Kind.INDEXED_STRING || f.kind == Kind.INDEXED_NUMBER ? f.indexed(event, index) : f.get(event);
    }

    /** This field's value of {@code event}; indexed fields give index 1 (the parent). */
    public Object get(HostEvent event) {
        if (kind == Kind.INDEXED_STRING || kind == Kind.INDEXED_NUMBER) {
            return indexed(event, 1);
        }
        if (kind == Kind.NUMBER) {
            long v = numberGetter.applyAsLong(event);
            return v == ABSENT ? null : v;
        }
        return getter.apply(event);
    }

    private Object indexed(HostEvent event, int index) {
        Object all = getter.apply(event);
        if (index < 1) {
            return null;
        }
        if (all instanceof List<?> list) {
            return index <= list.size() ? list.get(index - 1) : null;
        }
        if (all instanceof long[] nums) {
            return index <= nums.length ? nums[index - 1] : null;
        }
        return null;
    }

    void write(HostEvent event, FieldSink sink) {
        switch (kind) {
            case STRING -> sink.string(falcoName, (String) getter.apply(event));
            case NUMBER -> {
                long v = numberGetter.applyAsLong(event);
                if (v != ABSENT) {
                    sink.number(falcoName, v);
                }
            }
            case BOOL -> sink.bool(falcoName, (Boolean) getter.apply(event));
            case INDEXED_STRING -> {
                if (getter.apply(event) instanceof List<?> names) {
                    for (int i = 2; i <= names.size(); i++) {
                        sink.string(indexedName(i), (String) names.get(i - 1));
                    }
                }
            }
            case INDEXED_NUMBER -> {
                if (getter.apply(event) instanceof long[] nums) {
                    for (int i = 1; i <= nums.length; i++) {
                        sink.number(indexedName(i), nums[i - 1]);
                    }
                }
            }
        }
    }

    /** {@code name[i]}, precomputed for the first {@link #PRECOMPUTED_INDEXES} indexes. */
    private String indexedName(int i) {
        if (indexedNames == null) {
            String[] n = new String[PRECOMPUTED_INDEXES + 1];
            for (int k = 1; k <= PRECOMPUTED_INDEXES; k++) {
                n[k] = falcoName + "[" + k + "]";
            }
            indexedNames = n;
        }
        return i <= PRECOMPUTED_INDEXES ? indexedNames[i] : falcoName + "[" + i + "]";
    }

    private static ContainerIdentity id(HostEvent e) {
        return e.container() == null ? null : e.container().identity();
    }

    private static long known(long v) {
        return v < 0 ? ABSENT : v;
    }

    private static long positive(long v) {
        return v <= 0 ? ABSENT : v;
    }

    private static Boolean openFlag(HostEvent e, char flag) {
        return e.fd() == null || e.fd().openFlags() == null ? null : e.fd().openFlags().indexOf(flag) >= 0;
    }

    private static String isoTime(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
}
