package dev.vigil.lab.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes POSIX tar (ustar, with a pax extended header for names longer than the ustar fields) with
 * fixed modification times and numeric owners only, so that equal input gives byte-identical
 * layers and therefore stable digests. Entries are written in the order given; callers sort them.
 *
 * <p>Limits: {@link #MAX_NAME_BYTES} per path (longer is rejected), ustar numeric fields as
 * octal (sizes up to {@link #MAX_SIZE}).
 */
final class TarWriter implements Closeable {

    /** Modification time stamped on every entry (2024-01-01T00:00:00Z), as SOURCE_DATE_EPOCH would. */
    static final long MTIME = 1_704_067_200L;
    /** Longest path accepted, in bytes (Linux PATH_MAX). */
    static final int MAX_NAME_BYTES = 4096;
    /** Largest file size that fits the 11-digit octal size field. */
    static final long MAX_SIZE = 077777777777L;

    private static final int BLOCK = 512;
    private static final int USTAR_NAME = 100;

    private final OutputStream out;
    private long written;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name, int mode, int uid, int gid) throws IOException {
        header(name.endsWith("/") ? name : name + "/", '5', mode, uid, gid, 0, "");
    }

    void symlink(String name, String target, int uid, int gid) throws IOException {
        header(name, '2', 0777, uid, gid, 0, target);
    }

    void file(String name, int mode, int uid, int gid, byte[] content) throws IOException {
        header(name, '0', mode, uid, gid, content.length, "");
        write(content, content.length);
        pad(content.length);
    }

    void file(String name, int mode, int uid, int gid, Path source) throws IOException {
        long size = Files.size(source);
        header(name, '0', mode, uid, gid, size, "");
        long copied = 0;
        try (InputStream in = Files.newInputStream(source)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while (copied < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - copied))) > 0) {
                write(buf, n);
                copied += n;
            }
        }
        if (copied != size) {
            throw new IOException(source + " changed while archiving (expected " + size + " bytes, read " + copied + ")");
        }
        pad(size);
    }

    long bytesWritten() {
        return written;
    }

    /** Ends the archive with the two zero blocks POSIX requires. */
    @Override
    public void close() throws IOException {
        write(new byte[2 * BLOCK], 2 * BLOCK);
        out.flush();
    }

    private void header(String name, char type, int mode, int uid, int gid, long size, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > MAX_NAME_BYTES || linkBytes.length > MAX_NAME_BYTES) {
            throw new IOException("tar entry name longer than " + MAX_NAME_BYTES + " bytes: " + name);
        }
        if (size > MAX_SIZE) {
            throw new IOException("tar entry " + name + " is " + size + " bytes, above the ustar limit " + MAX_SIZE);
        }
        if (nameBytes.length > USTAR_NAME || linkBytes.length > USTAR_NAME) {
            StringBuilder pax = new StringBuilder();
            if (nameBytes.length > USTAR_NAME) {
                pax.append(paxRecord("path", name));
            }
            if (linkBytes.length > USTAR_NAME) {
                pax.append(paxRecord("linkpath", link));
            }
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            String paxName = "PaxHeaders/" + truncate(name, USTAR_NAME - 11);
            rawHeader(paxName.getBytes(StandardCharsets.UTF_8), 'x', 0644, 0, 0, body.length, new byte[0]);
            write(body, body.length);
            pad(body.length);
        }
        rawHeader(truncateBytes(nameBytes), type, mode, uid, gid, size, truncateBytes(linkBytes));
    }

    private void rawHeader(byte[] name, char type, int mode, int uid, int gid, long size, byte[] link) throws IOException {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, USTAR_NAME));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, MTIME);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        System.arraycopy(link, 0, h, 157, Math.min(link.length, USTAR_NAME));
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        write(h, BLOCK);
    }

    private static String paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) {
            total++;
        }
        return total + body;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    private static byte[] truncateBytes(byte[] b) {
        return b.length <= USTAR_NAME ? b : Arrays.copyOf(b, USTAR_NAME);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) {
            write(new byte[BLOCK - rem], BLOCK - rem);
        }
    }

    private void write(byte[] b, int n) throws IOException {
        out.write(b, 0, n);
        written += n;
    }
}
