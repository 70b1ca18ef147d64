package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;

/**
 * One TLS handshake, as a line of Zeek's {@code ssl} log, plus Vigil's fingerprints ({@code ja3},
 * {@code ja3s}, {@code ja4}), the client's offered {@code alpn} list and the leaf certificate's
 * {@code subject}/{@code issuer} when the handshake showed it in clear (TLS 1.2 and earlier).
 *
 * @param version Zeek's version name, e.g. {@code TLSv12}, {@code TLSv13}
 * @param cipher the IANA name of the selected cipher suite
 * @param curve the key exchange group, e.g. {@code x25519}
 * @param nextProtocol the ALPN protocol the server selected
 * @param alpn the ALPN protocols the client offered, in order
 */
public record SslRecord(double ts, String uid, ConnId id, String version, String cipher, String curve,
        String serverName, Boolean resumed, String lastAlert, String nextProtocol, Boolean established,
        List<String> alpn, String ja3, String ja3s, String ja4, String subject, String issuer)
        implements LogRecord {

    public SslRecord {
        alpn = alpn == null ? null : List.copyOf(alpn);
    }

    @Override
    public String log() {
        return "ssl";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("version", version).string("cipher", cipher).string("curve", curve)
                .string("server_name", serverName).bool("resumed", resumed).string("last_alert", lastAlert)
                .string("next_protocol", nextProtocol).bool("established", established)
                .strings("alpn", alpn).string("ja3", ja3).string("ja3s", ja3s).string("ja4", ja4)
                .string("subject", subject).string("issuer", issuer);
    }
}
