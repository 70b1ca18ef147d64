package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * A finding of network analysis, Zeek's {@code notice.log} record, e.g. {@code Scan::Port_Scan}.
 * The connection fields ({@code uid}, {@code id.*}) name the connection that crossed the threshold.
 *
 * @param note the notice type, {@code Scan::Port_Scan}, {@code Scan::Address_Scan}, {@code Scan::Ping_Sweep}
 * @param msg  human-readable text, Zeek's wording
 * @param src  the scanning (acting) address
 * @param dst  the single victim address, or null when many
 * @param p    the single port, or null when many ({@code proto} tells its transport)
 * @param n    the count that crossed the threshold (ports, hosts)
 */
public record NoticeRecord(double ts, String uid, ConnId id, String note, String msg, String src, String dst,
                           Integer p, long n) implements LogRecord {

    @Override
    public String log() {
        return "notice";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        if (id != null) {
            id.writeTo(sink);
        }
        sink.string("note", note).string("msg", msg).string("src", src).string("dst", dst);
        if (p != null) {
            sink.number("p", p.longValue());
        }
        sink.number("n", n);
    }
}
