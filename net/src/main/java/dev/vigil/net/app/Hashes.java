package dev.vigil.net.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lower-case hex MD5 and SHA-256, as protocol fingerprints (JA3, JA4, HASSH, host keys) print them.
 * Each thread keeps one digest per algorithm: looking a provider up costs more than hashing a
 * fingerprint's few hundred bytes.
 */
public final class Hashes {

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> instance("MD5"));
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> instance("SHA-256"));

    private Hashes() {
    }

    public static String md5(String ascii) {
        return md5(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    public static String md5(byte[] bytes) {
        return HEX.formatHex(digest("MD5", bytes));
    }

    public static String sha256(String ascii) {
        return HEX.formatHex(digest("SHA-256", ascii.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The raw digest; {@code algorithm} is {@code MD5} or {@code SHA-256}. */
    public static byte[] digest(String algorithm, byte[] bytes) {
        MessageDigest digest = switch (algorithm) {
            case "MD5" -> MD5.get();
            case "SHA-256" -> SHA_256.get();
            default -> throw new IllegalArgumentException("digest " + algorithm + ": only MD5 and SHA-256 are used");
        };
        return digest.digest(bytes);
    }

    private static MessageDigest instance(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
