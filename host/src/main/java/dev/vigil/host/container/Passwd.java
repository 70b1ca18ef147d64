package dev.vigil.host.container;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads uid → name from an {@code /etc/passwd} text, tolerating any content. At most
 * {@link #MAX_USERS} users are kept.
 */
final class Passwd {

    /** Most users read from one passwd file. */
    static final int MAX_USERS = 10_000;

    private Passwd() {
    }

    static Map<Integer, String> parse(String text) {
        Map<Integer, String> out = new HashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (out.size() >= MAX_USERS) {
                break;
            }
            String[] f = line.split(":", 4);
            if (f.length >= 3 && !f[0].isEmpty()) {
                try {
                    out.putIfAbsent(Integer.parseInt(f[2].trim()), f[0]);
                } catch (NumberFormatException ignored) {
                    // a malformed line names nobody
                }
            }
        }
        return out;
    }
}
