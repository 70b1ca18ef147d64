package dev.vigil.net.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Zeek's names for TLS code points: protocol versions ({@code TLSv12}, {@code TLSv13-draft28}),
 * cipher suites (IANA names, loaded from {@code cipher-suites.txt}), named groups and alerts. Unknown
 * values render as {@code unknown-N}, as in Zeek.
 */
final class TlsNames {

    private static final String[] CIPHERS = loadCiphers();

    private TlsNames() {
    }

    /** True for the GREASE values of RFC 8701 ({@code 0x?a?a} with equal bytes). */
    static boolean grease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
    }

    static String version(int v) {
        return switch (v) {
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv10";
            case 0x0302 -> "TLSv11";
            case 0x0303 -> "TLSv12";
            case 0x0304 -> "TLSv13";
            case 0xfeff -> "DTLSv10";
            case 0xfefd -> "DTLSv12";
            case 0xfefc -> "DTLSv13";
            default -> (v >> 8) == 0x7f ? "TLSv13-draft" + (v & 0xff) : "unknown-" + v;
        };
    }

    static String cipher(int code) {
        String name = code >= 0 && code < CIPHERS.length ? CIPHERS[code] : null;
        return name != null ? name : "unknown-" + code;
    }

    static String group(int code) {
        return switch (code) {
            case 1 -> "sect163k1";
            case 2 -> "sect163r1";
            case 3 -> "sect163r2";
            case 4 -> "sect193r1";
            case 5 -> "sect193r2";
            case 6 -> "sect233k1";
            case 7 -> "sect233r1";
            case 8 -> "sect239k1";
            case 9 -> "sect283k1";
            case 10 -> "sect283r1";
            case 11 -> "sect409k1";
            case 12 -> "sect409r1";
            case 13 -> "sect571k1";
            case 14 -> "sect571r1";
            case 15 -> "secp160k1";
            case 16 -> "secp160r1";
            case 17 -> "secp160r2";
            case 18 -> "secp192k1";
            case 19 -> "secp192r1";
            case 20 -> "secp224k1";
            case 21 -> "secp224r1";
            case 22 -> "secp256k1";
            case 23 -> "secp256r1";
            case 24 -> "secp384r1";
            case 25 -> "secp521r1";
            case 26 -> "brainpoolP256r1";
            case 27 -> "brainpoolP384r1";
            case 28 -> "brainpoolP512r1";
            case 29 -> "x25519";
            case 30 -> "x448";
            case 31 -> "brainpoolP256r1tls13";
            case 32 -> "brainpoolP384r1tls13";
            case 33 -> "brainpoolP512r1tls13";
            case 34 -> "GC256A";
            case 35 -> "GC256B";
            case 36 -> "GC256C";
            case 37 -> "GC256D";
            case 38 -> "GC512A";
            case 39 -> "GC512B";
            case 40 -> "GC512C";
            case 41 -> "curveSM2";
            case 256 -> "ffdhe2048";
            case 257 -> "ffdhe3072";
            case 258 -> "ffdhe4096";
            case 259 -> "ffdhe6144";
            case 260 -> "ffdhe8192";
            case 512 -> "MLKEM512";
            case 513 -> "MLKEM768";
            case 514 -> "MLKEM1024";
            case 4587 -> "SecP256r1MLKEM768";
            case 4588 -> "X25519MLKEM768";
            case 4589 -> "SecP384r1MLKEM1024";
            case 25497 -> "X25519Kyber768Draft00";
            case 25498 -> "SecP256r1Kyber768Draft00";
            case 0xff01 -> "arbitrary_explicit_prime_curves";
            case 0xff02 -> "arbitrary_explicit_char2_curves";
            default -> "unknown-" + code;
        };
    }

    static String alert(int description) {
        return switch (description) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 21 -> "decryption_failed";
            case 22 -> "record_overflow";
            case 30 -> "decompression_failure";
            case 40 -> "handshake_failure";
            case 41 -> "no_certificate";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 60 -> "export_restriction";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 111 -> "certificate_unobtainable";
            case 112 -> "unrecognized_name";
            case 113 -> "bad_certificate_status_response";
            case 114 -> "bad_certificate_hash_value";
            case 115 -> "unknown_psk_identity";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            case 121 -> "ech_required";
            default -> "unknown-" + description;
        };
    }

    private static String[] loadCiphers() {
        String[] names = new String[0x10000];
        try (InputStream in = TlsNames.class.getResourceAsStream("cipher-suites.txt")) {
            if (in == null) {
                throw new IllegalStateException("cipher-suites.txt missing from the vigil-net jar: rebuild the module");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                int space = line.indexOf(' ');
                names[Integer.parseInt(line, 0, space, 16)] = line.substring(space + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
