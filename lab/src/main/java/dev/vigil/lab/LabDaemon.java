package dev.vigil.lab;

import dev.vigil.lab.topology.DefaultTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lab's supervisor process, started detached ({@code setsid}) by {@link Lab#up}: it takes the
 * one-lab-per-machine lock, sweeps leftovers of a crashed lab, brings the lab up, serves the
 * Kubernetes API, and on SIGTERM (or, for an owned lab, when its starter dies) tears everything
 * down. Progress lines go to its log as {@code vigil-lab: …}, which the starter relays.
 *
 * <p>Arguments: lab directory, starter pid, owned ({@code true}: the lab ends with the starter),
 * lock timeout in seconds, log file.
 */
public final class LabDaemon {

    static final String PREFIX = "vigil-lab: ";
    static final String READY = "ready";
    static final String FAILED = "failed: ";
    static final String CONTINUED = "| ";

    private LabDaemon() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long starter = Long.parseLong(args[1]);
        boolean owned = Boolean.parseBoolean(args[2]);
        Duration lockTimeout = Duration.ofSeconds(Long.parseLong(args[3]));
        String log = args[4];
        long self = ProcessHandle.current().pid();

        String holder = "pid " + self + " (lab at " + dir + ", since " + Instant.now()
                + (owned ? ", owned by pid " + starter + " and ends with it" : ", started by `vigil lab up`") + ")";
        LabLock lock = LabLock.acquire(holder, lockTimeout, () -> !alive(starter), LabDaemon::say);
        if (lock == null) {
            say(FAILED + (alive(starter) ? "the lab lock " + LabLock.PATH + " was not released within "
                    + lockTimeout.toSeconds() + " s (held by " + LabLock.holder() + "); stop that lab with `sudo ./vigil lab down`"
                    : "the process that asked for the lab has gone"));
            System.exit(1);
        }
        List<String> leftovers = Sweeper.sweep(LabState.read(), m -> say("cleaning a previous lab: " + m));
        if (!leftovers.isEmpty()) {
            say("cleaning a previous lab left: " + leftovers);
        }

        LabState state = new LabState();
        state.dir = dir.toAbsolutePath().toString();
        state.daemonPid = self;
        state.starterPid = starter;
        state.owned = owned;
        state.log = log;
        LabRuntime.ensureDir(dir);
        state.save();

        AtomicBoolean stopping = new AtomicBoolean();
        ReentrantLock upMutex = new ReentrantLock();
        LabRuntime runtime = new LabRuntime(dir, state, DefaultTopology.create(), LabDaemon::say, stopping::get);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            upMutex.lock();
            try {
                say("tearing down");
                state.phase = "stopping";
                state.save();
                runtime.close();
                List<String> stuck = Sweeper.sweep(state, LabDaemon::say);
                say(stuck.isEmpty() ? "down" : "down, but could not remove: " + stuck);
            } finally {
                lock.close();
                upMutex.unlock();
            }
        }, "vigil-lab-teardown"));

        boolean up = false;
        upMutex.lock();
        try {
            runtime.up();
            up = true;
            say(READY);
        } catch (Exception e) {
            if (!stopping.get()) {
                say(FAILED + (e.getMessage() != null ? e.getMessage() : e.toString()));
                e.printStackTrace(System.out);
            }
        } finally {
            upMutex.unlock();
        }
        if (!up) {
            if (!stopping.get()) {
                System.exit(1);
            }
            return;
        }
        while (!stopping.get()) {
            Thread.sleep(500);
            if (owned && !alive(starter)) {
                say("pid " + starter + ", which owns this lab, has ended");
                System.exit(0);
            }
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Writes a progress line; further lines of a multi-line message are prefixed {@value #CONTINUED}. */
    private static synchronized void say(String message) {
        String[] lines = message.split("\n");
        System.out.println(PREFIX + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            System.out.println(PREFIX + CONTINUED + lines[i]);
        }
        System.out.flush();
    }
}
