package dev.vigil.detect.rules;

import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Application log records with the shapes (component names and types, hence Zeek field names) of
 * the TLS, PostgreSQL and MySQL records the second L7 analyzer branch adds to the model, so the
 * network rules on them can be exercised before those records are in the model. {@link #logs()}
 * registers them under their log names next to the model's own logs (conn, notice, weird, http …).
 */
final class NetTestRecords {

    private NetTestRecords() {
    }

    /** The model's logs plus these, by log name. */
    static Map<String, Class<? extends Record>> logs() {
        Map<String, Class<? extends Record>> logs = new LinkedHashMap<>(NetFields.modelLogs());
        logs.put("ssl", Ssl.class);
        logs.put("postgresql", Postgresql.class);
        logs.put("mysql", Mysql.class);
        return logs;
    }

    static ConnId connId() {
        return new ConnId("10.244.1.5", 41000, "10.244.2.9", 5432, "tcp");
    }

    public record Ssl(double ts, String uid, ConnId id, String version, String cipher, String curve, String serverName,
                      Boolean resumed, String lastAlert, String nextProtocol, Boolean established, List<String> alpn,
                      String ja3, String ja3s, String ja4, String subject, String issuer) implements LogRecord {

        static Ssl of(String version) {
            return new Ssl(1.0, "CSsl1", connId(), version, "TLS_RSA_WITH_AES_128_CBC_SHA", null, "db.shop.local", false,
                    null, null, true, List.of("h2"), null, null, null, null, null);
        }

        @Override
        public String log() {
            return "ssl";
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.string("uid", uid);
            id.writeTo(sink);
            sink.string("version", version).string("cipher", cipher).string("server_name", serverName);
        }
    }

    public record Postgresql(double ts, String uid, ConnId id, String user, String database, String applicationName,
                             String frontend, String frontendArg, String backend, String backendArg, Boolean success,
                             Long rows, String serverVersion, String authMechanism) implements LogRecord {

        static Postgresql query(String sql) {
            return new Postgresql(1.0, "CPg1", connId(), "shop", "shop", "psql", "simple_query", sql, "command_complete",
                    "SELECT 1", true, 1L, "16.4", null);
        }

        @Override
        public String log() {
            return "postgresql";
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.string("uid", uid);
            id.writeTo(sink);
            sink.string("frontend", frontend).string("frontend_arg", frontendArg);
        }
    }

    public record Mysql(double ts, String uid, ConnId id, String cmd, String arg, Boolean success, Long rows,
                        String response, String serverVersion, Long resultRows) implements LogRecord {

        static Mysql query(String sql) {
            return new Mysql(1.0, "CMy1", connId(), "query", sql, true, 0L, null, null, 1L);
        }

        @Override
        public String log() {
            return "mysql";
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.string("uid", uid);
            id.writeTo(sink);
            sink.string("cmd", cmd).string("arg", arg);
        }
    }
}
