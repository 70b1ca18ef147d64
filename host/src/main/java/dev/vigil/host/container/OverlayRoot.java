package dev.vigil.host.container;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The overlay filesystem a container's root is mounted from: its writable upper layer and the image
 * layers below it, read from the root entry ({@code /}) of {@code /proc/<pid>/mountinfo}. A file that
 * exists in {@link #upperDir()} was written into the container after it started (or modified there);
 * a file only in {@link #lowerDirs()} comes from the image. That distinction is drift detection.
 *
 * <p>Parsing is tolerant: malformed or truncated content yields null. At most {@link #MAX_LINES}
 * lines and {@link #MAX_LOWER_DIRS} lower layers are read.
 *
 * @param upperDir  the host path of the writable layer
 * @param lowerDirs the host paths of the read-only layers, topmost first
 */
public record OverlayRoot(String upperDir, List<String> lowerDirs) {

    /** Most mountinfo lines scanned for the root entry. */
    public static final int MAX_LINES = 10_000;
    /** Most lower layers kept. */
    public static final int MAX_LOWER_DIRS = 500;

    /** The overlay behind the mount at {@code /} in {@code mountinfo}, or null when the root is not an overlay. */
    public static OverlayRoot parse(String mountinfo) {
        int lines = 0;
        OverlayRoot found = null;
        for (String line : mountinfo.split("\n", MAX_LINES + 1)) {
            if (++lines > MAX_LINES) {
                break;
            }
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 5 || dash < 0 || dash + 3 >= f.length || !f[4].equals("/")) {
                continue;
            }
            // The last mount on "/" is the one visible (mounts stack).
            found = f[dash + 1].equals("overlay") ? fromOptions(f[dash + 3]) : null;
        }
        return found;
    }

    private static OverlayRoot fromOptions(String superOptions) {
        String upper = null;
        List<String> lower = new ArrayList<>();
        for (String opt : splitOptions(superOptions)) {
            if (opt.startsWith("upperdir=")) {
                upper = unescape(opt.substring("upperdir=".length()));
            } else if (opt.startsWith("lowerdir=")) {
                for (String dir : opt.substring("lowerdir=".length()).split("(?<!\\\\):")) {
                    if (!dir.isEmpty() && lower.size() < MAX_LOWER_DIRS) {
                        lower.add(unescape(dir.replace("\\:", ":")));
                    }
                }
            } else if (opt.startsWith("lowerdir+=") && lower.size() < MAX_LOWER_DIRS) {
                lower.add(unescape(opt.substring("lowerdir+=".length())));
            }
        }
        return upper == null ? null : new OverlayRoot(upper, List.copyOf(lower));
    }

    private static List<String> splitOptions(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Undoes mountinfo's octal escapes ({@code \040} for a space). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8) & 0xff);
                i += 3;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int at) {
        if (at + 3 > s.length()) {
            return false;
        }
        for (int i = at; i < at + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
