package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One SSH connection as a line of Zeek's {@code ssh} log: the version banners, the algorithms both
 * sides negotiated from their KEXINIT messages, the server host key's MD5 fingerprint, and the HASSH
 * fingerprints of each side's offer ({@code hassh}, {@code hasshServer}, as the Salesforce HASSH Zeek
 * package names them).
 *
 * @param version the SSH major version in use (1 or 2)
 * @param client the client's version banner, e.g. {@code SSH-2.0-OpenSSH_9.6}
 * @param server the server's version banner
 * @param hostKey MD5 of the server host key blob, as colon-separated hex
 */
public record SshRecord(double ts, String uid, ConnId id, Integer version, String client, String server,
        String cipherAlg, String macAlg, String compressionAlg, String kexAlg, String hostKeyAlg, String hostKey,
        String hassh, String hasshServer) implements LogRecord {

    @Override
    public String log() {
        return "ssh";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.number("version", version == null ? null : Long.valueOf(version)).string("client", client)
                .string("server", server).string("cipher_alg", cipherAlg).string("mac_alg", macAlg)
                .string("compression_alg", compressionAlg).string("kex_alg", kexAlg)
                .string("host_key_alg", hostKeyAlg).string("host_key", hostKey).string("hassh", hassh)
                .string("hasshServer", hasshServer);
    }
}
