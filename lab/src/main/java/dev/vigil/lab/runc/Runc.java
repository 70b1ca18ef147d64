package dev.vigil.lab.runc;

import dev.vigil.lab.command.Command;
import dev.vigil.lab.command.CommandException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives Debian's {@code runc} with a state root of the lab's own ({@value #ROOT_PATH}), so
 * {@code runc list} there shows lab containers only and cleanup never touches anything else.
 */
public final class Runc {

    /** runc's state directory for lab containers. */
    public static final String ROOT_PATH = "/run/vigil-lab/runc";
    public static final Path ROOT = Path.of(ROOT_PATH);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Runc() {
    }

    /**
     * Writes {@code config.json} into {@code bundle} and starts the container detached, its
     * standard output and error appended to {@code log}. Returns the container's init pid.
     */
    public static long run(ContainerSpec spec, Path bundle, Path log) {
        try {
            Files.createDirectories(bundle);
            Files.write(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(RuntimeConfig.render(spec)));
            Path pidFile = bundle.resolve("init.pid");
            Files.deleteIfExists(pidFile);
            ProcessBuilder pb = new ProcessBuilder(List.of("runc", "--root", ROOT_PATH, "run", "--detach",
                    "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), spec.id()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process p = pb.start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CommandException("runc run " + spec.id() + " did not return within 30 s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new CommandException("runc run " + spec.id() + " exited " + p.exitValue() + ": "
                        + tail(log) + " (bundle " + bundle + ")");
            }
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start container " + spec.id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while starting container " + spec.id(), e);
        }
    }

    /** The argv that runs {@code command} inside a running container. */
    public static List<String> execArgv(String containerId, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("runc", "--root", ROOT_PATH, "exec", containerId));
        argv.addAll(command);
        return argv;
    }

    /** Kills (SIGKILL) and deletes a container; absent ones are ignored. */
    public static void remove(String containerId) {
        Command.of("runc", "--root", ROOT_PATH, "kill", containerId, "KILL").allowFailure().run();
        Command.of("runc", "--root", ROOT_PATH, "delete", "--force", containerId)
                .timeout(Duration.ofSeconds(20)).allowFailure().run();
    }

    /** Ids of every container in the lab's runc root. */
    public static List<String> list() {
        if (!Files.isDirectory(ROOT)) {
            return List.of();
        }
        Command.Result r = Command.of("runc", "--root", ROOT_PATH, "list", "--quiet").allowFailure().run();
        return r.ok() ? r.stdout().lines().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
