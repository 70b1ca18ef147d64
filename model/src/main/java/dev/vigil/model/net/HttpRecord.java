package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;

/**
 * One HTTP/1.x request and its response, as a line of Zeek's {@code http.log} (same field names and
 * meaning: {@code uri} is the request target with percent-escapes decoded, {@code host} the Host
 * header as sent, {@code version} the response's when one was seen). Vigil adds {@code post_body}:
 * a bounded prefix of the request body (after chunked decoding), kept with the query string in
 * {@code uri} for injection detectors.
 */
public record HttpRecord(double ts, String uid, ConnId id, int transDepth, String method, String host, String uri,
        String referrer, String version, String userAgent, String origin, long requestBodyLen,
        long responseBodyLen, Integer statusCode, String statusMsg, Integer infoCode, String infoMsg,
        String username, List<String> proxied, String postBody) implements LogRecord {

    public HttpRecord {
        proxied = proxied == null ? null : List.copyOf(proxied);
    }

    @Override
    public String log() {
        return "http";
    }

    /** The query string of {@link #uri()} (after {@code ?}, before {@code #}), or null when it has none. */
    public String query() {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = uri.indexOf('#', q);
        return uri.substring(q + 1, hash < 0 ? uri.length() : hash);
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.number("trans_depth", transDepth).string("method", method).string("host", host).string("uri", uri)
                .string("referrer", referrer).string("version", version).string("user_agent", userAgent)
                .string("origin", origin).number("request_body_len", requestBodyLen)
                .number("response_body_len", responseBodyLen)
                .number("status_code", statusCode == null ? null : Long.valueOf(statusCode))
                .string("status_msg", statusMsg)
                .number("info_code", infoCode == null ? null : Long.valueOf(infoCode)).string("info_msg", infoMsg)
                .string("username", username).strings("proxied", proxied).string("post_body", postBody);
    }
}
