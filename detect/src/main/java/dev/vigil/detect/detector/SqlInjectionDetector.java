package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.model.net.MysqlRecord;
import dev.vigil.model.net.PostgresqlRecord;
import java.util.List;
import java.util.Set;

/**
 * SQL injection ({@link SqlInjection}) in HTTP requests — the attack on a web workload, attributed to
 * the server that received it — and in the queries a workload sends PostgreSQL or MySQL — the sign
 * that the attack got through, attributed to the client application.
 */
public final class SqlInjectionDetector {

    private static final List<Mitre> EXPLOIT = List.of(new Mitre("T1190", "Exploit Public-Facing Application",
            "initial-access"));

    public static final BuiltinRule IN_HTTP = new BuiltinRule("SQL injection in HTTP request", Priority.CRITICAL,
            Alert.SOURCE_NET, EXPLOIT, List.of("network", "http", "sqli"));
    public static final BuiltinRule IN_QUERY = new BuiltinRule("SQL injection in database query", Priority.CRITICAL,
            Alert.SOURCE_NET, EXPLOIT, List.of("network", "database", "sqli"));

    /** PostgreSQL requests that carry SQL text. */
    static final Set<String> POSTGRES_SQL = Set.of("simple_query", "parse", "execute");
    private static final int SHOWN_CHARS = 200;

    private final AlertFactory alerts;
    private final DnsNames names;
    private final SqlInjection sqli = new SqlInjection();

    public SqlInjectionDetector(AlertFactory alerts, DnsNames names) {
        this.alerts = alerts;
        this.names = names;
    }

    public void http(HttpRecord r, Endpoint orig, Endpoint resp, Detections out) {
        SqlInjection.Finding f = sqli.inHttp(r.uri(), r.postBody());
        if (f == SqlInjection.Finding.NONE) {
            return;
        }
        AlertFactory.Builder a = alerts.alert(IN_HTTP, NetFacts.nanos(r.ts()));
        if (resp instanceof Endpoint.Pod p) {
            a.toPod(p);
        } else {
            a.text(" to " + NetFacts.peerLabel(resp, r.id().respH(), names, orig));
        }
        out.alert(a.text(" from " + AlertFactory.label(orig, r.id().origH()))
                .peer(AlertFactory.label(orig, r.id().origH()))
                .because(f.label() + " in \"" + shown(sqli.lastMatch()) + "\" (" + r.method() + " " + shown(r.uri()) + ")")
                .field("fd.cip", r.id().origH())
                .field("fd.sip", r.id().respH())
                .field("fd.sport", (long) r.id().respP())
                .field("http.method", r.method())
                .field("http.host", r.host())
                .field("http.uri", r.uri())
                .field("http.user_agent", r.userAgent())
                .field("vigil.sqli", f.label())
                .field("vigil.uid", r.uid())
                .evidence(r)
                .build());
    }

    public void postgresql(PostgresqlRecord r, Endpoint orig, Endpoint resp, Detections out) {
        if (r.frontend() != null && POSTGRES_SQL.contains(r.frontend()) && r.frontendArg() != null) {
            query(r.frontendArg(), r.ts(), r.id(), r.uid(), r, orig, resp, out);
        }
    }

    public void mysql(MysqlRecord r, Endpoint orig, Endpoint resp, Detections out) {
        if ("query".equals(r.cmd()) && r.arg() != null) {
            query(r.arg(), r.ts(), r.id(), r.uid(), r, orig, resp, out);
        }
    }

    private void query(String sql, double ts, dev.vigil.model.net.ConnId id, String uid,
                       dev.vigil.model.record.LogRecord record, Endpoint orig, Endpoint resp, Detections out) {
        SqlInjection.Finding f = sqli.inQuery(sql);
        if (f == SqlInjection.Finding.NONE) {
            return;
        }
        out.alert(alerts.alert(IN_QUERY, NetFacts.nanos(ts))
                .fromEndpoint(orig, id.origH())
                .to(NetFacts.peerLabel(resp, id.respH(), names, orig), id)
                .because(f.label() + " in \"" + shown(sql) + "\"")
                .field("vigil.sqli", f.label())
                .field("vigil.query", sql)
                .field("vigil.uid", uid)
                .evidence(record)
                .build());
    }

    private static String shown(String s) {
        return s == null ? "" : s.length() <= SHOWN_CHARS ? s : s.substring(0, SHOWN_CHARS) + "…";
    }
}
