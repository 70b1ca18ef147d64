package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One HTTP/2 stream (request and response) as a line of the {@code http2} log. Zeek has no built-in
 * HTTP/2 log, so the names are the pseudo-headers' ({@code method}, {@code authority}, {@code path},
 * {@code status}) plus Zeek's {@code user_agent} and body lengths; gRPC calls (content type
 * {@code application/grpc…}) add {@code grpc_service}, {@code grpc_method} (from the path) and
 * {@code grpc_status}, {@code grpc_message} (from the trailers).
 */
public record Http2Record(double ts, String uid, ConnId id, long streamId, String method, String authority,
        String path, Integer status, String contentType, String userAgent, long requestBodyLen,
        long responseBodyLen, String grpcService, String grpcMethod, Integer grpcStatus, String grpcMessage)
        implements LogRecord {

    @Override
    public String log() {
        return "http2";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.number("stream_id", streamId).string("method", method).string("authority", authority)
                .string("path", path).number("status", status == null ? null : Long.valueOf(status))
                .string("content_type", contentType).string("user_agent", userAgent)
                .number("request_body_len", requestBodyLen).number("response_body_len", responseBodyLen)
                .string("grpc_service", grpcService).string("grpc_method", grpcMethod)
                .number("grpc_status", grpcStatus == null ? null : Long.valueOf(grpcStatus))
                .string("grpc_message", grpcMessage);
    }
}
