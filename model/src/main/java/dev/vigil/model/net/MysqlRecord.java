package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One MySQL command and its outcome, as a line of Zeek's {@code mysql} log ({@code cmd} is
 * {@code login}, {@code query}, {@code init_db}, {@code quit} …; {@code rows} the affected rows of an
 * OK packet; {@code response} the error message), plus Vigil's {@code server_version} (from the
 * greeting, on the login record) and {@code result_rows} (rows of a returned result set, which Zeek
 * does not count).
 */
public record MysqlRecord(double ts, String uid, ConnId id, String cmd, String arg, Boolean success, Long rows,
        String response, String serverVersion, Long resultRows) implements LogRecord {

    @Override
    public String log() {
        return "mysql";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("cmd", cmd).string("arg", arg).bool("success", success).number("rows", rows)
                .string("response", response).string("server_version", serverVersion).number("result_rows", resultRows);
    }
}
