package dev.vigil.host.syscall;

import dev.vigil.host.linux.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private ftrace instance ({@code /sys/kernel/tracing/instances/<name>}) with syscall events
 * enabled under in-kernel filters, so that only interesting calls reach user space and other tracing
 * users are not disturbed. Mounts tracefs when it is absent. {@link #close()} disables the events and
 * removes the instance.
 *
 * <p>The instance records the thread group id of every task ({@code options/record-tgid}) and uses
 * {@code trace_clock=mono}, the clock of the proc connector, so events of both sensors compare. Its
 * per-CPU buffer is {@link #DEFAULT_BUFFER_KB} KiB unless configured. The owner closes it, also from a
 * shutdown hook (see {@link SyscallSensor}), after closing its {@code trace_pipe}: an instance whose pipe
 * is open cannot be removed.
 */
public final class FtraceInstance implements AutoCloseable {

    /** Where tracefs is mounted (and mounted by Vigil when absent). */
    public static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    /** Default per-CPU ring buffer size. */
    public static final int DEFAULT_BUFFER_KB = 4096;

    private final Path dir;
    private final List<String> enabled = new ArrayList<>();
    private final List<String> missing = new ArrayList<>();
    private boolean closed;

    /**
     * Creates the instance and enables {@code sys_enter_X} for each traced syscall with its filter, plus
     * {@code sys_exit_connect}. Syscalls the kernel has no tracepoint for are listed in {@link #missing()}.
     *
     * @throws IllegalStateException naming the fix when tracefs or the instance cannot be set up
     */
    public FtraceInstance(String name, int bufferKb) {
        if (!name.matches("vigil[A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("ftrace instance name: " + name + " must start with vigil");
        }
        ensureMounted();
        this.dir = TRACEFS.resolve("instances").resolve(name);
        if (Files.isDirectory(dir)) {
            // Left by a sensor that was killed with SIGKILL: take it over.
            removeInstance(dir);
        }
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create ftrace instance " + dir + ": " + e.getMessage()
                    + " — run as root with tracefs mounted (mount -t tracefs nodev " + TRACEFS + ")", e);
        }
        try {
            write("tracing_on", "0");
            write("options/record-tgid", "1");
            write("trace_clock", "mono");
            write("buffer_size_kb", Integer.toString(bufferKb));
            for (int i = 0; i < Syscalls.NAMES.size(); i++) {
                String event = "events/syscalls/sys_enter_" + Syscalls.NAMES.get(i);
                if (!Files.isDirectory(dir.resolve(event))) {
                    missing.add(Syscalls.NAMES.get(i));
                    continue;
                }
                String filter = Syscalls.ENTER_FILTERS.get(i);
                if (filter != null) {
                    write(event + "/filter", filter);
                }
                write(event + "/enable", "1");
                enabled.add(event);
            }
            String exit = "events/syscalls/sys_exit_connect";
            if (Files.isDirectory(dir.resolve(exit))) {
                write(exit + "/filter", Syscalls.CONNECT_EXIT_FILTER);
                write(exit + "/enable", "1");
                enabled.add(exit);
            }
            write("tracing_on", "1");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static void ensureMounted() {
        if (Files.isDirectory(TRACEFS.resolve("instances"))) {
            return;
        }
        Native sys = new Native();
        try {
            int r = sys.mount("nodev", TRACEFS.toString(), "tracefs");
            if (r < 0 || !Files.isDirectory(TRACEFS.resolve("instances"))) {
                throw new IllegalStateException("tracefs is not mounted at " + TRACEFS + " and mounting it failed: "
                        + Native.errnoName(r) + " — run as root, or: mount -t tracefs nodev " + TRACEFS);
            }
        } finally {
            sys.release();
        }
    }

    private void write(String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            String log = "";
            try {
                log = Files.readString(TRACEFS.resolve("error_log")).strip();
            } catch (IOException ignored) {
                // the message below is still useful without the kernel's log
            }
            throw new IllegalStateException("ftrace: writing '" + value + "' to " + dir.resolve(file) + " failed: "
                    + e.getMessage() + (log.isEmpty() ? "" : " (kernel error_log: " + log + ")"), e);
        }
    }

    /** The instance directory. */
    public Path dir() {
        return dir;
    }

    /** {@code trace_pipe} of the instance. */
    public Path pipe() {
        return dir.resolve("trace_pipe");
    }

    /** Traced syscalls this kernel has no tracepoint for. */
    public List<String> missing() {
        return List.copyOf(missing);
    }

    /**
     * Records the kernel overwrote or dropped before they were read, summed over CPUs from
     * {@code per_cpu/cpuN/stats} ({@code overrun} and {@code dropped events}).
     */
    public long lost() {
        long total = 0;
        try (var cpus = Files.list(dir.resolve("per_cpu"))) {
            for (Path cpu : cpus.toList()) {
                for (String line : Files.readAllLines(cpu.resolve("stats"))) {
                    if (line.startsWith("overrun:") || line.startsWith("dropped events:")) {
                        total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            }
        } catch (IOException | NumberFormatException | java.io.UncheckedIOException e) {
            return total;
        }
        return total;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeInstance(dir);
    }

    private static void removeInstance(Path dir) {
        try {
            Files.writeString(dir.resolve("tracing_on"), "0");
            Files.writeString(dir.resolve("events/enable"), "0");
        } catch (IOException ignored) {
            // removing the directory below still frees the instance
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                // EBUSY while a reader still holds trace_pipe open: it closes within its poll timeout.
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
