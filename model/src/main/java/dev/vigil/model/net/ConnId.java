package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;

/**
 * A connection's endpoints as Zeek's {@code conn_id}: the originator ({@code orig}) opened it, the
 * responder ({@code resp}) answered. Addresses are in canonical text form (RFC 5952 for IPv6).
 *
 * @param proto {@code tcp}, {@code udp} or {@code icmp} (Zeek's transport names)
 */
public record ConnId(String origH, int origP, String respH, int respP, String proto) {

    /** Writes {@code id.orig_h}, {@code id.orig_p}, {@code id.resp_h}, {@code id.resp_p}, {@code proto}. */
    public void writeTo(FieldSink sink) {
        sink.string("id.orig_h", origH).number("id.orig_p", origP)
                .string("id.resp_h", respH).number("id.resp_p", respP)
                .string("proto", proto);
    }
}
