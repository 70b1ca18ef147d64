package dev.vigil.lab.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host program ({@code ip}, {@code runc}, {@code mount}, {@code openssl} …) to completion
 * and captures its output. A failure names the command, its exit code and what it printed, so lab
 * errors say what went wrong without a debugger.
 */
public final class Command {

    /** Default limit on one command's run time. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Exit code, standard output and standard error of a finished command. */
    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {

        /** True when the command exited 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final List<String> argv;
    private final Map<String, String> env = new LinkedHashMap<>();
    private byte[] input = new byte[0];
    private boolean allowFailure;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Command(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv);
    }

    /** Returns the result instead of throwing when the exit code is not 0. */
    public Command allowFailure() {
        this.allowFailure = true;
        return this;
    }

    public Command timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Command env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Command input(String text) {
        return input(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes written to the program's standard input, which is then closed. */
    public Command input(byte[] bytes) {
        this.input = bytes.clone();
        return this;
    }

    /** Runs the command; throws {@link CommandException} on a non-zero exit unless failures are allowed. */
    public Result run() {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CommandException("cannot run " + argv.getFirst() + ": " + e.getMessage()
                    + " — install the system packages in scripts/system-packages.txt (sudo apt-get install …)", e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(input);
        } catch (IOException ignored) {
            // the program closed its input early; its exit code tells the story
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new CommandException(String.join(" ", argv) + ": no result after " + timeout.toSeconds() + " s; killed");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException(String.join(" ", argv) + ": interrupted", e);
        }
        Result r = new Result(argv, p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
        if (!r.ok() && !allowFailure) {
            throw new CommandException(describe(r));
        }
        return r;
    }

    /** One line naming the command, its exit code and the start of what it printed. */
    public static String describe(Result r) {
        String said = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        if (said.length() > 2000) {
            said = said.substring(0, 2000) + " …";
        }
        return String.join(" ", r.argv()) + " exited " + r.exitCode() + (said.isEmpty() ? "" : ": " + said);
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    /** The argument list, for messages. */
    public List<String> argv() {
        return new ArrayList<>(argv);
    }
}
