package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One PostgreSQL frontend request and the backend's answer, as a line of Zeek's {@code postgresql}
 * log ({@code frontend} {@code ssl_request}, {@code startup}, {@code simple_query}, {@code terminate};
 * Vigil adds {@code parse} for failed prepares and {@code execute} for the extended query protocol),
 * plus Vigil's {@code server_version} (from ParameterStatus) and {@code auth_mechanism} (the SASL
 * mechanism the client chose).
 *
 * @param backendArg e.g. the authentication methods requested ({@code SASL,SASLContinue,SASLFinal}) or error fields
 * @param rows rows returned (DataRow messages) or affected (CommandComplete tag)
 */
public record PostgresqlRecord(double ts, String uid, ConnId id, String user, String database,
        String applicationName, String frontend, String frontendArg, String backend, String backendArg,
        Boolean success, Long rows, String serverVersion, String authMechanism) implements LogRecord {

    @Override
    public String log() {
        return "postgresql";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("user", user).string("database", database).string("application_name", applicationName)
                .string("frontend", frontend).string("frontend_arg", frontendArg).string("backend", backend)
                .string("backend_arg", backendArg).bool("success", success).number("rows", rows)
                .string("server_version", serverVersion).string("auth_mechanism", authMechanism);
    }
}
