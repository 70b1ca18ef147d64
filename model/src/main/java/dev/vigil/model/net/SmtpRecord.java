package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;

/**
 * One SMTP mail transaction as a line of Zeek's {@code smtp.log}: the envelope ({@code helo},
 * {@code mailfrom}, {@code rcptto}), the message headers Zeek keeps, the server's {@code last_reply},
 * the transfer {@code path} (responder, originator, then the addresses in {@code Received} headers)
 * and whether the session switched to TLS.
 */
public record SmtpRecord(double ts, String uid, ConnId id, int transDepth, String helo, String mailfrom,
        List<String> rcptto, String date, String from, List<String> to, List<String> cc, String replyTo,
        String msgId, String inReplyTo, String subject, String xOriginatingIp, String firstReceived,
        String secondReceived, String lastReply, List<String> path, String userAgent, boolean tls)
        implements LogRecord {

    public SmtpRecord {
        rcptto = rcptto == null ? null : List.copyOf(rcptto);
        to = to == null ? null : List.copyOf(to);
        cc = cc == null ? null : List.copyOf(cc);
        path = path == null ? null : List.copyOf(path);
    }

    @Override
    public String log() {
        return "smtp";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.number("trans_depth", transDepth).string("helo", helo).string("mailfrom", mailfrom)
                .strings("rcptto", rcptto).string("date", date).string("from", from).strings("to", to)
                .strings("cc", cc).string("reply_to", replyTo).string("msg_id", msgId).string("in_reply_to", inReplyTo)
                .string("subject", subject).string("x_originating_ip", xOriginatingIp)
                .string("first_received", firstReceived).string("second_received", secondReceived)
                .string("last_reply", lastReply).strings("path", path).string("user_agent", userAgent)
                .bool("tls", tls);
    }
}
