package dev.vigil.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the running (or crashed) lab created, saved to {@value #FILE} before each thing is created,
 * so {@code lab down} can remove everything even after a crash half-way through {@code up}.
 * Mutated only by the lab daemon; read by any process.
 */
final class LabState {

    /** The run directory of the one lab per machine. */
    static final Path RUN = Path.of("/run/vigil-lab");
    static final String FILE = "/run/vigil-lab/state.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public String dir;
    public long daemonPid;
    public long starterPid;
    public boolean owned;
    public String phase = "starting";
    public String log;
    public String kubeconfig;
    public String apiServer;
    public List<LabStatus.Pod> pods = new ArrayList<>();
    public List<String> netns = new ArrayList<>();
    public List<String> podUids = new ArrayList<>();
    public List<String> containers = new ArrayList<>();
    public List<String> mounts = new ArrayList<>();

    static LabState read() {
        Path f = Path.of(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return JSON.readValue(Files.readAllBytes(f), LabState.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    synchronized void save() {
        try {
            Files.createDirectories(RUN);
            Path tmp = RUN.resolve("state.json.tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            Files.move(tmp, Path.of(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the lab state to " + FILE, e);
        }
    }

    static void delete() {
        try {
            Files.deleteIfExists(Path.of(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + FILE, e);
        }
    }

    LabStatus status() {
        return new LabStatus(dir, kubeconfig, apiServer, pods);
    }
}
