package dev.vigil.host.syscall;

import java.util.List;

/**
 * The system calls the syscall sensor traces, with the in-kernel filter of each (ftrace filter
 * syntax over the fields of {@code events/syscalls/sys_enter_X/format}), and the argument names the
 * parser recognises. Names are kept as byte arrays so that lines are matched without allocating.
 */
public final class Syscalls {

    private Syscalls() {
    }

    public static final int CONNECT = 0;
    public static final int PTRACE = 1;
    public static final int INIT_MODULE = 2;
    public static final int FINIT_MODULE = 3;
    public static final int MEMFD_CREATE = 4;
    public static final int UNSHARE = 5;
    public static final int SETNS = 6;
    public static final int MOUNT = 7;
    public static final int SOCKET = 8;
    public static final int DUP2 = 9;
    public static final int DUP3 = 10;
    public static final int SYMLINK = 11;
    public static final int SYMLINKAT = 12;
    public static final int LINK = 13;
    public static final int LINKAT = 14;
    public static final int BPF = 15;

    /** Syscall names, indexed by the constants above. */
    public static final List<String> NAMES = List.of("connect", "ptrace", "init_module", "finit_module",
            "memfd_create", "unshare", "setns", "mount", "socket", "dup2", "dup3", "symlink", "symlinkat", "link",
            "linkat", "bpf");

    static final byte[][] NAME_BYTES = NAMES.stream().map(n -> ("sys_" + n).getBytes()).toArray(byte[][]::new);

    /**
     * The in-kernel filter of each {@code sys_enter} event (null: none). ptrace: attach, seize,
     * traceme and pokes (PTRACE_POKETEXT/POKEDATA 4/5, ATTACH 16, SEIZE 0x4206, TRACEME 0); socket:
     * AF_PACKET (17); dup2/dup3 onto 0..2; bpf: BPF_PROG_LOAD (5); connect: the lengths of
     * sockaddr_in (16) and sockaddr_in6 (28).
     */
    public static final List<String> ENTER_FILTERS = java.util.Arrays.asList(
            "addrlen == 16 || addrlen == 28",
            "request == 16 || request == 16902 || request == 0 || request == 4 || request == 5",
            null, null, null, null, null, null,
            "family == 17",
            "newfd <= 2",
            "newfd <= 2",
            null, null, null, null,
            "cmd == 5");

    /** connect is also traced on exit (successful or in progress) to read the peer once it is set. */
    public static final String CONNECT_EXIT_FILTER = "ret == 0 || ret == -115";

    /** Argument names the parser knows, indexed as in {@link TraceRecord#argName}. */
    public static final List<String> ARG_NAMES = List.of("fd", "uservaddr", "addrlen", "request", "pid", "addr",
            "data", "uname", "flags", "unshare_flags", "nstype", "dev_name", "dir_name", "type", "family",
            "protocol", "oldfd", "newfd", "oldname", "newname", "newdfd", "olddfd", "cmd", "uattr", "size",
            "umod", "len", "uargs");

    static final byte[][] ARG_BYTES = ARG_NAMES.stream().map(String::getBytes).toArray(byte[][]::new);

    public static final int ARG_FD = ARG_NAMES.indexOf("fd");
    public static final int ARG_REQUEST = ARG_NAMES.indexOf("request");
    public static final int ARG_PID = ARG_NAMES.indexOf("pid");
    public static final int ARG_UNAME = ARG_NAMES.indexOf("uname");
    public static final int ARG_FLAGS = ARG_NAMES.indexOf("flags");
    public static final int ARG_UNSHARE_FLAGS = ARG_NAMES.indexOf("unshare_flags");
    public static final int ARG_FAMILY = ARG_NAMES.indexOf("family");
    public static final int ARG_TYPE = ARG_NAMES.indexOf("type");
    public static final int ARG_OLDFD = ARG_NAMES.indexOf("oldfd");
    public static final int ARG_NEWFD = ARG_NAMES.indexOf("newfd");
    public static final int ARG_OLDNAME = ARG_NAMES.indexOf("oldname");
    public static final int ARG_NEWNAME = ARG_NAMES.indexOf("newname");
    public static final int ARG_CMD = ARG_NAMES.indexOf("cmd");
    public static final int ARG_PROTOCOL = ARG_NAMES.indexOf("protocol");
    public static final int ARG_DIR_NAME = ARG_NAMES.indexOf("dir_name");
    public static final int ARG_DEV_NAME = ARG_NAMES.indexOf("dev_name");
}
