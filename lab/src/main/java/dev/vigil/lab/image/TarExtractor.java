package dev.vigil.lab.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Unpacks a layer tarball (as written by {@link TarWriter}: ustar with pax {@code path}/
 * {@code linkpath} records) into a directory used as an overlayfs lower layer, keeping numeric
 * owners and full modes (setuid, sticky). Entries that would escape the target directory are
 * rejected.
 *
 * <p>Limits: {@link #MAX_PAX_BYTES} per pax header.
 */
final class TarExtractor {

    /** Largest pax extended header accepted. */
    static final int MAX_PAX_BYTES = 64 * 1024;

    private static final int BLOCK = 512;

    private TarExtractor() {
    }

    static void extract(InputStream in, Path target) throws IOException {
        Files.createDirectories(target);
        Deque<PendingMode> dirModes = new ArrayDeque<>();
        String paxPath = null;
        String paxLink = null;
        byte[] h = new byte[BLOCK];
        while (true) {
            if (!readFully(in, h)) {
                break;
            }
            if (isZero(h)) {
                break;
            }
            String name = field(h, 0, 100);
            String prefix = field(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            int mode = (int) octal(h, 100, 8);
            int uid = (int) octal(h, 108, 8);
            int gid = (int) octal(h, 116, 8);
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            String link = field(h, 157, 100);
            if (type == 'x') {
                if (size > MAX_PAX_BYTES) {
                    throw new IOException("pax header of " + size + " bytes exceeds " + MAX_PAX_BYTES);
                }
                byte[] body = new byte[(int) size];
                if (!readFully(in, body)) {
                    throw new EOFException("truncated pax header");
                }
                skip(in, padding(size));
                for (String rec : new String(body, StandardCharsets.UTF_8).split("\n")) {
                    int sp = rec.indexOf(' ');
                    int eq = rec.indexOf('=');
                    if (sp < 0 || eq < sp) {
                        continue;
                    }
                    String key = rec.substring(sp + 1, eq);
                    String value = rec.substring(eq + 1);
                    if (key.equals("path")) {
                        paxPath = value;
                    } else if (key.equals("linkpath")) {
                        paxLink = value;
                    }
                }
                continue;
            }
            if (paxPath != null) {
                name = paxPath;
            }
            if (paxLink != null) {
                link = paxLink;
            }
            paxPath = null;
            paxLink = null;
            Path dest = safeResolve(target, name);
            switch (type) {
                case '5' -> {
                    Files.createDirectories(dest);
                    owner(dest, uid, gid);
                    dirModes.push(new PendingMode(dest, mode));
                }
                case '2' -> {
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(link));
                    owner(dest, uid, gid);
                }
                case '1' -> {
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createLink(dest, safeResolve(target, link));
                }
                case '0', '\0' -> {
                    Files.createDirectories(dest.getParent());
                    try (OutputStream out = Files.newOutputStream(dest)) {
                        copy(in, out, size);
                    }
                    skip(in, padding(size));
                    owner(dest, uid, gid);
                    Files.setAttribute(dest, "unix:mode", mode);
                }
                default -> throw new IOException("unsupported tar entry type '" + type + "' for " + name);
            }
        }
        while (!dirModes.isEmpty()) {
            PendingMode d = dirModes.pop();
            Files.setAttribute(d.dir(), "unix:mode", d.mode());
        }
    }

    /** Directory modes are applied last so read-only directories can still be filled. */
    private record PendingMode(Path dir, int mode) {
    }

    private static Path safeResolve(Path target, String name) throws IOException {
        Path p = target.resolve(name).normalize();
        if (!p.startsWith(target) || name.startsWith("/")) {
            throw new IOException("tar entry escapes the target directory: " + name);
        }
        return p;
    }

    private static void owner(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("tar entry truncated, " + left + " bytes missing");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static long padding(long size) {
        long rem = size % BLOCK;
        return rem == 0 ? 0 : BLOCK - rem;
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar padding truncated");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("tar header truncated");
            }
            off += n;
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = h[i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
            } else if (c == 0 || (c == ' ' && v > 0)) {
                break;
            }
        }
        return v;
    }
}
