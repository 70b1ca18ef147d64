package dev.vigil.host.proc;

import dev.vigil.host.linux.Native;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code /proc/<pid>/…} files and links into one reused buffer with plain system calls, so that
 * enriching an exec costs a handful of syscalls and no garbage beyond the strings it reports. One
 * instance per thread. Files larger than {@link #MAX_FILE} bytes are truncated (the read says so
 * through {@link #truncated()}).
 *
 * <p>{@link #enter(int)} opens {@code /proc/<pid>} once; until {@link #leave()}, reads of that pid are
 * made relative to it — one path walk instead of one per file, and every file from the same process
 * even if the pid is reused meanwhile (the reads then fail instead of describing a newcomer).
 */
public final class ProcFs {

    private static final int PAGE = 4096;

    /** Largest file content read; longer content is cut. */
    public static final int MAX_FILE = 64 * 1024;

    private final Native sys;
    private final String root;
    private final MemorySegment path;
    private final MemorySegment buf;
    private final byte[] bytes = new byte[MAX_FILE];
    private final MemorySegment relative;
    private final MemorySegment slice;
    private final MemorySegment linkBuf;
    private int length;
    private boolean truncated;
    private int dirfd = -1;
    private int dirPid = -1;

    /** Reads the real {@code /proc}. */
    public ProcFs(Native sys) {
        this(sys, "/proc");
    }

    /** Reads a tree laid out like {@code /proc} under {@code root} (tests use a directory of files). */
    public ProcFs(Native sys, String root) {
        this.sys = sys;
        this.root = root;
        this.path = sys.allocate(Native.MAX_PATH);
        this.buf = sys.allocate(MAX_FILE);
        this.relative = sys.allocate(Native.MAX_PATH);
        this.slice = buf;
        this.linkBuf = buf.asSlice(0, Native.MAX_PATH);
    }

    /** Opens {@code /proc/<pid>} for the reads that follow; false when the process is gone. */
    public boolean enter(int pid) {
        leave();
        if (!buildPath(pid, "")) {
            return false;
        }
        int fd = sys.open(path, Native.O_PATH | Native.O_DIRECTORY);
        if (fd < 0) {
            return false;
        }
        dirfd = fd;
        dirPid = pid;
        return true;
    }

    /** Closes what {@link #enter} opened. */
    public void leave() {
        if (dirfd >= 0) {
            sys.close(dirfd);
        }
        dirfd = -1;
        dirPid = -1;
    }

    /** The name relative to the entered directory, NUL-terminated in {@link #relative}; false when too long. */
    private boolean relativeName(String file) {
        if (file.length() + 1 >= Native.MAX_PATH) {
            return false;
        }
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            relative.set(ValueLayout.JAVA_BYTE, i, (byte) c);
        }
        relative.set(ValueLayout.JAVA_BYTE, file.length(), (byte) 0);
        return true;
    }

    /** The bytes of the last read; valid up to {@link #length()} until the next read. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public boolean truncated() {
        return truncated;
    }

    private boolean buildPath(int pid, String file) {
        int at = 0;
        at = put(root, at);
        if (at < 0) {
            return false;
        }
        path.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');
        if (pid >= 0) {
            at = putInt(pid, at);
            path.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');
        }
        at = put(file, at);
        if (at < 0) {
            return false;
        }
        path.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
        return true;
    }

    private int put(String s, int at) {
        if (at + s.length() + 16 >= Native.MAX_PATH) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            path.set(ValueLayout.JAVA_BYTE, at++, (byte) c);
        }
        return at;
    }

    private int putInt(int v, int at) {
        if (v == 0) {
            path.set(ValueLayout.JAVA_BYTE, at, (byte) '0');
            return at + 1;
        }
        int digits = 0;
        for (int t = v; t > 0; t /= 10) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            path.set(ValueLayout.JAVA_BYTE, at + i, (byte) ('0' + v % 10));
            v /= 10;
        }
        return at + digits;
    }

    /**
     * Reads {@code /proc/<pid>/<file>} (or {@code /proc/<file>} when pid is negative) into
     * {@link #bytes()}; returns the length or {@code -errno} (ENOENT/ESRCH when the process is gone).
     */
    public int read(int pid, String file) {
        length = 0;
        truncated = false;
        int fd;
        if (pid == dirPid && dirfd >= 0) {
            if (!relativeName(file)) {
                return -Native.ENAMETOOLONG;
            }
            fd = sys.openat(dirfd, relative, Native.O_RDONLY);
        } else {
            if (!buildPath(pid, file)) {
                return -Native.ENAMETOOLONG;
            }
            fd = sys.open(path, Native.O_RDONLY);
        }
        if (fd < 0) {
            return fd;
        }
        try {
            long total = 0;
            while (total < MAX_FILE) {
                long r = sys.read(fd, total == 0 ? slice : buf.asSlice(total), MAX_FILE - total);
                if (r == -Native.EINTR) {
                    continue;
                }
                if (r < 0) {
                    return (int) r;
                }
                if (r == 0) {
                    break;
                }
                total += r;
                if (r < PAGE) {
                    // procfs hands out whole records of up to a page per read: a shorter read is the end,
                    // which saves the read that would return 0 (a third of the syscalls of a small file).
                    break;
                }
            }
            if (total == MAX_FILE) {
                truncated = true;
            }
            length = (int) total;
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
            return length;
        } finally {
            sys.close(fd);
        }
    }

    /** Reads the link {@code /proc/<pid>/<link>} into {@link #bytes()}; returns its length or -errno. */
    public int readlink(int pid, String link) {
        length = 0;
        truncated = false;
        long r;
        if (pid == dirPid && dirfd >= 0) {
            if (!relativeName(link)) {
                return -Native.ENAMETOOLONG;
            }
            r = sys.readlinkat(dirfd, relative, linkBuf);
        } else {
            if (!buildPath(pid, link)) {
                return -Native.ENAMETOOLONG;
            }
            r = sys.readlink(path, linkBuf);
        }
        if (r < 0) {
            return (int) r;
        }
        length = (int) r;
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
        return length;
    }

    /** The link's target as text, or null when it cannot be read. */
    public String link(int pid, String link) {
        int n = readlink(pid, link);
        return n < 0 ? null : new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** The file's content as text, or null when it cannot be read. */
    public String text(int pid, String file) {
        int n = read(pid, file);
        return n < 0 ? null : new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The inode number of a namespace link ({@code ns/mnt} reads {@code mnt:[4026531841]}), 0 when it
     * cannot be read or parsed.
     */
    public long namespaceInode(int pid, String nsLink) {
        int n = readlink(pid, nsLink);
        return n < 0 ? 0 : ProcParsers.bracketedNumber(bytes, n);
    }
}
