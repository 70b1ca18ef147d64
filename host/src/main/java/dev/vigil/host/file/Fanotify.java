package dev.vigil.host.file;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Constants and the event layout of fanotify ({@code linux/fanotify.h}), shared by the file sensor
 * and the exec guard.
 */
public final class Fanotify {

    private Fanotify() {
    }

    public static final int FAN_CLOEXEC = 0x1;
    public static final int FAN_NONBLOCK = 0x2;
    public static final int FAN_CLASS_NOTIF = 0x0;
    public static final int FAN_CLASS_CONTENT = 0x4;

    public static final int FAN_MARK_ADD = 0x1;
    public static final int FAN_MARK_REMOVE = 0x2;
    public static final int FAN_MARK_MOUNT = 0x10;
    public static final int FAN_MARK_FLUSH = 0x80;

    public static final long FAN_OPEN = 0x20;
    public static final long FAN_CLOSE_WRITE = 0x8;
    public static final long FAN_OPEN_EXEC = 0x1000;
    public static final long FAN_Q_OVERFLOW = 0x4000;
    public static final long FAN_OPEN_EXEC_PERM = 0x40000;
    public static final long FAN_OPEN_PERM = 0x10000;
    public static final long FAN_EVENT_ON_CHILD = 0x08000000;

    public static final int FAN_ALLOW = 0x01;
    public static final int FAN_DENY = 0x02;

    /** Size of {@code struct fanotify_event_metadata}. */
    public static final int METADATA_LEN = 24;
    /** Size of {@code struct fanotify_response}. */
    public static final int RESPONSE_LEN = 8;
    /** The metadata version this code reads. */
    public static final int METADATA_VERSION = 3;

    /** {@code event_len} of the event at {@code at}. */
    public static int eventLength(MemorySegment buf, long at) {
        return buf.get(ValueLayout.JAVA_INT_UNALIGNED, at);
    }

    public static int version(MemorySegment buf, long at) {
        return buf.get(ValueLayout.JAVA_BYTE, at + 4) & 0xff;
    }

    public static long mask(MemorySegment buf, long at) {
        return buf.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8);
    }

    public static int fd(MemorySegment buf, long at) {
        return buf.get(ValueLayout.JAVA_INT_UNALIGNED, at + 16);
    }

    public static int pid(MemorySegment buf, long at) {
        return buf.get(ValueLayout.JAVA_INT_UNALIGNED, at + 20);
    }
}
