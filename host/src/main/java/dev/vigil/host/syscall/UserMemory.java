package dev.vigil.host.syscall;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

/**
 * Reads NUL-terminated strings from a process's memory through {@code /proc/<pid>/mem}, for syscall
 * arguments ftrace shows only as pointers (paths of symlink/link/mount, memfd names). The read comes
 * after the call, so it is best effort: the process may have gone or reused the memory, in which case
 * the result is null. At most {@link #MAX_STRING} bytes are read.
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
                        return new String(buf, 0, i, StandardCharsets.UTF_8);
                    }
                }
                n += r;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
