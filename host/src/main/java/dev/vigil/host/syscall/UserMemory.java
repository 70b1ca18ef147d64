package dev.vigil.host.syscall;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

/**
 * Reads NUL-terminated strings from a process's memory through {@code /proc/<pid>/mem}, for syscall
 * arguments ftrace shows only as pointers (paths of symlink/link/mount, memfd names). The read comes
 * after the call, so it is best effort: the process may have gone or reused the memory, in which case
 * the result is null. A string with control characters or invalid UTF-8 is taken for memory reused
 * by another program image (the process exec'd since) and also answers null. At most
 * {@link #MAX_STRING} bytes are read.
 */
final class UserMemory {

    /** Longest string read. */
    static final int MAX_STRING = 4096;

    private UserMemory() {
    }

    static String string(int pid, long address) {
        if (address <= 0) {
            return null;
        }
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            byte[] buf = new byte[256];
            int n = 0;
            while (n < MAX_STRING) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_STRING));
                }
                int r = mem.read(buf, n, Math.min(buf.length - n, 256 - (int) ((address + n) & 255)));
                if (r <= 0) {
                    return null;
                }
                for (int i = n; i < n + r; i++) {
                    if (buf[i] == 0) {
                        return text(buf, i);
                    }
                }
                n += r;
            }
            return text(buf, n);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if ((b[i] >= 0 && b[i] < 0x20) || b[i] == 0x7f) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b, 0, len)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
