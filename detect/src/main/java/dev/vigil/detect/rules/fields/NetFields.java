package dev.vigil.detect.rules.fields;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.model.record.LogRecord;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The {@code vigil_net} source: network log records as rule fields named {@code <log>.<zeek field>}
 * ({@code conn.id.resp_p}, {@code http.uri}, {@code dns.query}, {@code ssl.version}), plus the
 * identities enrichment attaches to both ends. Fields are derived from each log's record class:
 * every component becomes a field under Zeek's snake_case name, nested records (the connection id)
 * are flattened with dots as Zeek does ({@code id.orig_h}; the id's {@code proto} is the log's
 * {@code proto}), and the accessor is bound once through {@link LambdaMetafactory}, so reading a
 * field is a direct method call, never a lookup by name. Names resolve case-insensitively, which
 * also accepts Zeek's capitals ({@code dns.AA}, {@code dns.TTLs}). String, whole-number, boolean and
 * string-list components are exposed; decimals ({@code duration}, {@code rtt}) are not. A negative
 * whole number reads as absent: the records use -1 for "none" ({@code vlan}), as Zeek omits the field.
 *
 * <p>Identity fields, per log as enrichment writes them into each record ({@code conn.orig_pod},
 * {@code conn.resp_namespace}, {@code http.resp_service} …, see {@code IdentityFieldWriter}), and
 * for rules across logs: {@code k8s.ns.name}, {@code k8s.pod.name}, {@code k8s.workload.kind},
 * {@code k8s.workload.name}, {@code k8s.ns.label[KEY]}, {@code orig.type}, {@code orig.name} for the
 * originator; the same under {@code peer.} ({@code peer.k8s.ns.name}, {@code peer.k8s.svc.name},
 * {@code peer.k8s.ns.label[vigil.dev/encryption]}, {@code peer.type}, {@code peer.name},
 * {@code peer.dns}) for the responder. {@code evt.type} is the log name: the rule set indexes rules
 * by it, and a field of one log never matches a record of another.
 */
public final class NetFields {

    /** The source name rules give in {@code source:}. */
    public static final String SOURCE_NAME = "vigil_net";

    private NetFields() {
    }

    /**
     * Application logs whose record classes are looked up by name in {@code dev.vigil.model.net}
     * ({@code ssl} → {@code SslRecord}), so each log becomes available to rules as soon as its
     * analyzer's record is in the model.
     */
    static final List<String> APPLICATION_LOGS = List.of("http", "http2", "dns", "ssl", "ssh", "smtp", "postgresql",
            "mysql", "redis", "kafka", "mongodb", "stratum");

    /** The source over the model's logs ({@link #modelLogs()}); shared, immutable. */
    public static final FieldSource<NetContext> SOURCE = source(modelLogs());

    /**
     * The model's log records by log name: {@code conn}, {@code notice}, {@code weird}, and each
     * application log of {@link #APPLICATION_LOGS} whose record class is on the class path.
     */
    public static Map<String, Class<? extends Record>> modelLogs() {
        Map<String, Class<? extends Record>> logs = new LinkedHashMap<>();
        logs.put("conn", ConnRecord.class);
        logs.put("notice", NoticeRecord.class);
        logs.put("weird", WeirdRecord.class);
        for (String log : APPLICATION_LOGS) {
            String simple = Character.toUpperCase(log.charAt(0)) + log.substring(1) + "Record";
            try {
                Class<?> c = Class.forName(ConnRecord.class.getPackageName() + "." + simple, false,
                        NetFields.class.getClassLoader());
                if (c.isRecord() && LogRecord.class.isAssignableFrom(c)) {
                    logs.put(log, c.asSubclass(Record.class));
                }
            } catch (ClassNotFoundException e) {
                // that analyzer's records are not in the model (yet): its log has no fields
            }
        }
        return logs;
    }

    /** The source over {@code logs} (log name → record class implementing that log). */
    public static FieldSource<NetContext> source(Map<String, Class<? extends Record>> logs) {
        FieldSource.Builder<NetContext> b = FieldSource.<NetContext>builder(SOURCE_NAME, "evt.type").caseInsensitive()
                .produces(logs.keySet());
        b.str("evt.type", "The network log of the record: conn, http, dns, ssl, …", ctx -> ctx.record.log());
        identity(b, "", ctx -> ctx.orig, ctx -> ctx.origNamespaceLabels, "originator");
        identity(b, "peer.", ctx -> ctx.peer, ctx -> ctx.peerNamespaceLabels, "responder");
        b.str("peer.dns", "The DNS name observed for an external responder", ctx ->
                ctx.peer instanceof Endpoint.External e ? e.dnsName() : null);
        b.str("peer.k8s.svc.name", "The Service a responder address belongs to", ctx ->
                ctx.peer instanceof Endpoint.Service s ? s.name() : null);
        for (Map.Entry<String, Class<? extends Record>> log : logs.entrySet()) {
            Class<? extends Record> type = log.getValue();
            Function<Object, Object> root = r -> type.isInstance(r) ? r : null;
            flatten(b, log.getKey(), log.getKey() + ".", type, root);
            side(b, log.getKey(), "orig_", ctx -> type.isInstance(ctx.record) ? ctx.orig : null);
            side(b, log.getKey(), "resp_", ctx -> type.isInstance(ctx.record) ? ctx.peer : null);
        }
        return b.build();
    }

    /**
     * One end of a log's record under the names enrichment writes into the record itself
     * ({@code IdentityFieldWriter}: {@code orig_namespace}, {@code orig_pod}, {@code orig_workload},
     * {@code orig_workload_kind}, {@code orig_service}, {@code orig_node}, {@code orig_name}, and
     * {@code resp_} likewise), so {@code conn.resp_namespace} reads what the conn line shows.
     */
    private static void side(FieldSource.Builder<NetContext> b, String log, String prefix,
                             Function<NetContext, Endpoint> end) {
        String p = log + "." + prefix;
        String side = prefix.equals("orig_") ? "originator" : "responder";
        b.str(p + "namespace", log, "Namespace of the " + side + " pod or Service", ctx -> switch (end.apply(ctx)) {
            case Endpoint.Pod pod -> pod.namespace();
            case Endpoint.Service svc -> svc.namespace();
            case null, default -> null;
        });
        b.str(p + "pod", log, "The " + side + " pod", ctx -> end.apply(ctx) instanceof Endpoint.Pod pod ? pod.name() : null);
        b.str(p + "workload", log, "The " + side + " pod's root owner as namespace/name", ctx ->
                end.apply(ctx) instanceof Endpoint.Pod pod && pod.workload() != null ? pod.workload().qualifiedName() : null);
        b.str(p + "workload_kind", log, "Kind of the " + side + " pod's root owner", ctx ->
                end.apply(ctx) instanceof Endpoint.Pod pod && pod.workload() != null ? pod.workload().kind() : null);
        b.str(p + "service", log, "The " + side + " Service", ctx ->
                end.apply(ctx) instanceof Endpoint.Service svc ? svc.name() : null);
        b.str(p + "node", log, "The " + side + " node", ctx -> end.apply(ctx) instanceof Endpoint.Node n ? n.name() : null);
        b.str(p + "name", log, "DNS name of an external " + side, ctx ->
                end.apply(ctx) instanceof Endpoint.External x ? x.dnsName() : null);
    }

    private static void identity(FieldSource.Builder<NetContext> b, String prefix, Function<NetContext, Endpoint> end,
                                 Function<NetContext, Map<String, String>> labels, String side) {
        b.str(prefix + "k8s.ns.name", "Namespace of the " + side + " (pod or Service)", ctx -> switch (end.apply(ctx)) {
            case Endpoint.Pod p -> p.namespace();
            case Endpoint.Service s -> s.namespace();
            case null, default -> null;
        });
        b.str(prefix + "k8s.pod.name", "Pod of the " + side, ctx ->
                end.apply(ctx) instanceof Endpoint.Pod p ? p.name() : null);
        b.str(prefix + "k8s.workload.kind", "Kind of the " + side + " pod's root owner", ctx -> {
            WorkloadRef w = end.apply(ctx) instanceof Endpoint.Pod p ? p.workload() : null;
            return w == null ? null : w.kind();
        });
        b.str(prefix + "k8s.workload.name", "Name of the " + side + " pod's root owner", ctx -> {
            WorkloadRef w = end.apply(ctx) instanceof Endpoint.Pod p ? p.workload() : null;
            return w == null ? null : w.name();
        });
        String labelField = prefix + "k8s.ns.label";
        b.define(new FieldSource.Definition<>(labelField, "string", FieldSource.Arg.REQUIRED, true,
                "A label of the " + side + "'s namespace, e.g. " + labelField + "[vigil.dev/encryption]", key ->
                new Field.Str<>(labelField + "[" + key + "]", ctx -> {
                    Map<String, String> l = labels.apply(ctx);
                    return l == null ? null : l.get(key);
                }, null)));
        String typeName = prefix.isEmpty() ? "orig." : prefix;
        b.str(typeName + "type", "What the " + side + " address is: pod, service, node or external", ctx ->
                switch (end.apply(ctx)) {
                    case Endpoint.Pod p -> "pod";
                    case Endpoint.Service s -> "service";
                    case Endpoint.Node n -> "node";
                    case Endpoint.External e -> "external";
                    case null -> null;
                });
        b.str(typeName + "name", "The " + side + " as a label: ns/pod, svc:ns/name, node:name, DNS name or IP", ctx -> {
            Endpoint e = end.apply(ctx);
            return e == null ? null : e.label();
        });
    }

    private static void flatten(FieldSource.Builder<NetContext> b, String log, String prefix, Class<?> type,
                                Function<Object, Object> path) {
        for (RecordComponent c : type.getRecordComponents()) {
            Class<?> t = c.getType();
            String name = ConnId.class.equals(type) && c.getName().equals("proto")
                    ? prefix.substring(0, prefix.length() - "id.".length()) + "proto"
                    : prefix + snake(c.getName());
            String doc = "Zeek's " + log + " log field " + name.substring(log.length() + 1);
            if (t == String.class) {
                Function<Object, Object> get = objectGetter(type, c);
                b.str(name, log, doc, ctx -> {
                    Object o = path.apply(ctx.record);
                    return o == null ? null : (CharSequence) get.apply(o);
                });
            } else if (t == int.class || t == long.class || t == short.class || t == byte.class) {
                ToLongFunction<Object> get = longGetter(type, c);
                b.num(name, log, doc, ctx -> {
                    Object o = path.apply(ctx.record);
                    long v = o == null ? -1 : get.applyAsLong(o);
                    return v < 0 ? NumAccessor.ABSENT : v;
                });
            } else if (t == Integer.class || t == Long.class || t == Short.class) {
                Function<Object, Object> get = objectGetter(type, c);
                b.num(name, log, doc, ctx -> {
                    Object o = path.apply(ctx.record);
                    Object v = o == null ? null : get.apply(o);
                    return v == null ? NumAccessor.ABSENT : ((Number) v).longValue();
                });
            } else if (t == boolean.class) {
                Predicate<Object> get = boolGetter(type, c);
                b.bool(name, log, doc, ctx -> {
                    Object o = path.apply(ctx.record);
                    return o == null ? NumAccessor.ABSENT : get.test(o) ? 1 : 0;
                });
            } else if (t == Boolean.class) {
                Function<Object, Object> get = objectGetter(type, c);
                b.bool(name, log, doc, ctx -> {
                    Object o = path.apply(ctx.record);
                    Object v = o == null ? null : get.apply(o);
                    return v == null ? NumAccessor.ABSENT : (Boolean) v ? 1 : 0;
                });
            } else if (t == List.class && isStringList(c.getGenericType())) {
                Function<Object, Object> get = objectGetter(type, c);
                b.define(new FieldSource.Definition<>(name, "strings", FieldSource.Arg.NONE, false, doc,
                        arg -> new Field.MultiStr<>(name, new MultiStrAccessor<>() {
                            @Override
                            public int count(NetContext ctx) {
                                Object o = path.apply(ctx.record);
                                List<?> l = o == null ? null : (List<?>) get.apply(o);
                                return l == null ? 0 : l.size();
                            }

                            @Override
                            public CharSequence get(NetContext ctx, int i) {
                                return (CharSequence) ((List<?>) get.apply(path.apply(ctx.record))).get(i);
                            }
                        }, log)));
            } else if (t.isRecord()) {
                Function<Object, Object> get = objectGetter(type, c);
                flatten(b, log, prefix + snake(c.getName()) + ".", t, o -> {
                    Object parent = path.apply(o);
                    return parent == null ? null : get.apply(parent);
                });
            }
        }
    }

    private static boolean isStringList(Type generic) {
        return generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class;
    }

    /** {@code origH} → {@code orig_h}, {@code userAgent} → {@code user_agent}. */
    static String snake(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Function<Object, Object> objectGetter(Class<?> type, RecordComponent c) {
        return (Function<Object, Object>) getter(type, c, Function.class);
    }

    @SuppressWarnings("unchecked")
    private static ToLongFunction<Object> longGetter(Class<?> type, RecordComponent c) {
        return (ToLongFunction<Object>) getter(type, c, ToLongFunction.class);
    }

    @SuppressWarnings("unchecked")
    private static Predicate<Object> boolGetter(Class<?> type, RecordComponent c) {
        return (Predicate<Object>) getter(type, c, Predicate.class);
    }

    /**
     * A functional-interface implementation calling the component's accessor directly: spun once by
     * {@link LambdaMetafactory}, so the call costs what a hand-written lambda costs.
     */
    private static Object getter(Class<?> type, RecordComponent c, Class<?> iface) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle accessor = lookup.unreflect(c.getAccessor());
            String sam;
            MethodType erased;
            MethodType instantiated;
            if (iface == ToLongFunction.class) {
                sam = "applyAsLong";
                erased = MethodType.methodType(long.class, Object.class);
                instantiated = MethodType.methodType(long.class, type);
            } else if (iface == Predicate.class) {
                sam = "test";
                erased = MethodType.methodType(boolean.class, Object.class);
                instantiated = MethodType.methodType(boolean.class, type);
            } else {
                sam = "apply";
                erased = MethodType.methodType(Object.class, Object.class);
                instantiated = MethodType.methodType(c.getType(), type);
            }
            return LambdaMetafactory.metafactory(lookup, sam, MethodType.methodType(iface), erased, accessor,
                    instantiated).getTarget().invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot bind accessor " + type.getName() + "." + c.getName()
                    + " (the record class and its accessor must be public): " + e, e);
        }
    }
}
