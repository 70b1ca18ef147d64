package dev.vigil.net.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex MD5 and SHA-256, as protocol fingerprints (JA3, JA4, HASSH, host keys) print them. */
public final class Hashes {

    private static final HexFormat HEX = HexFormat.of();

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

    /** The raw digest. */
    public static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
