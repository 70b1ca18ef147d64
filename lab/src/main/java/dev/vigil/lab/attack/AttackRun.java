package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;
import dev.vigil.lab.command.Command;
import dev.vigil.lab.command.CommandException;
import dev.vigil.lab.runc.Runc;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One scenario being performed: runs commands in lab containers (real container processes,
 * through {@code runc exec}, with a terminal when asked), records every step with its timestamps,
 * collects the evidence that the technique took effect, and undoes what it started (listeners,
 * servers, dropped tools) when the scenario ends, also on failure.
 */
public final class AttackRun {

    /** Default limit on one command. */
    public static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    /** Something to undo when the scenario ends. */
    @FunctionalInterface
    interface Cleanup {
        void run() throws Exception;
    }

    private record Pending(String what, Cleanup action) {
    }

    private final LabStatus lab;
    private final Source source;
    private final AttackListener listener;
    private final Toolkit toolkit = new Toolkit(this);
    private final List<Step> steps = Collections.synchronizedList(new ArrayList<>());
    private final List<String> evidence = Collections.synchronizedList(new ArrayList<>());
    private final List<String> remains = new ArrayList<>();
    private final Deque<Pending> cleanups = new ArrayDeque<>();
    private volatile boolean preparing;

    private AttackRun(LabStatus lab, Source source, AttackListener listener) {
        this.lab = lab;
        this.source = source;
        this.listener = listener;
    }

    /** Performs {@code scenario} from {@code source}; never throws for a failed technique: the result says why. */
    static ScenarioResult execute(Scenario scenario, LabStatus lab, Source source, AttackListener listener) {
        AttackRun run = new AttackRun(lab, source, listener);
        listener.scenarioStarting(scenario, source);
        long start = nowNanos();
        String failure = null;
        try {
            scenario.technique().perform(run);
        } catch (AttackException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            run.cleanUp();
        }
        long attackStart = run.steps.stream().filter(s -> !s.preparation()).mapToLong(Step::startNanos).findFirst().orElse(start);
        ScenarioResult result = new ScenarioResult(scenario.name(), source.toString(), scenario.expectedRules(), start, attackStart,
                nowNanos(), run.steps, run.evidence, run.remains, failure);
        listener.scenarioDone(result);
        return result;
    }

    /** Nanoseconds since the epoch, from the wall clock. */
    public static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public LabStatus lab() {
        return lab;
    }

    /** Where the technique runs ({@code --from} or the scenario's default). */
    public Source source() {
        return source;
    }

    /** Another container of the lab (a target), by namespace and workload or pod name. */
    public Source pod(String namespace, String workload, String container) {
        return Source.resolve(lab, namespace, workload, container);
    }

    Toolkit toolkit() {
        return toolkit;
    }

    /** A command to run in {@code where}; configure it, then {@link ContainerCommand#run}. */
    public ContainerCommand command(Source where, String... argv) {
        return new ContainerCommand(where, List.of(argv));
    }

    /** Records the observed effect of the technique. */
    public void evidence(String line) {
        evidence.add(line);
        listener.evidence(line);
    }

    /** Fails the scenario unless {@code condition} holds; {@code why} says what was not observed. */
    public void check(boolean condition, String why) {
        if (!condition) {
            throw new AttackException(why);
        }
    }

    /**
     * Marks the steps recorded until {@code close()} as preparation: setting the stage, not yet the
     * technique ({@code try (var p = run.preparation()) { … }}).
     */
    public Preparation preparation() {
        boolean outer = preparing;
        preparing = true;
        return () -> preparing = outer;
    }

    /** The scope of {@link #preparation()}. */
    public interface Preparation extends AutoCloseable {
        @Override
        void close();
    }

    /** Records a step done in Java (a listener's session, a file copy) that started at {@code startNanos}. */
    public Step record(String action, String where, long startNanos, String output) {
        Step step = new Step(action, where, List.of(), 0, startNanos, nowNanos(), output, preparing);
        steps.add(step);
        listener.finished(step);
        return step;
    }

    /** Announces a step before a long action in Java. */
    public void starting(String action, String where) {
        listener.starting(action, where);
    }

    /** Registers something to undo when the scenario ends (last registered, first undone). */
    void onCleanup(String what, Cleanup action) {
        cleanups.push(new Pending(what, action));
    }

    private void cleanUp() {
        while (!cleanups.isEmpty()) {
            Pending p = cleanups.pop();
            try {
                p.action().run();
            } catch (Exception e) {
                remains.add("could not " + p.what() + ": " + e.getMessage());
            }
        }
    }

    /** Runs {@code argv} on the host ({@code ip netns exec …}, {@code openssl req …}) and records it. */
    Ran host(String action, String where, List<String> argv, Duration timeout) {
        return execute(action, where, argv, argv, new byte[0], timeout, 0);
    }

    private Ran execute(String action, String where, List<String> shown, List<String> argv, byte[] input, Duration timeout,
                        int... allowedExits) {
        listener.starting(action, where);
        long start = nowNanos();
        Command.Result r;
        try {
            r = Command.of(argv).input(input).timeout(timeout).allowFailure().run();
        } catch (CommandException e) {
            Step failed = new Step(action, where, shown, -1, start, nowNanos(), e.getMessage(), preparing);
            steps.add(failed);
            listener.finished(failed);
            throw new AttackException(action + " in " + where + ": " + e.getMessage(), e);
        }
        String output = r.stderr().isBlank() ? r.stdout()
                : r.stdout() + (r.stdout().isEmpty() || r.stdout().endsWith("\n") ? "" : "\n") + r.stderr();
        Step step = new Step(action, where, shown, r.exitCode(), start, nowNanos(), output, preparing);
        steps.add(step);
        listener.finished(step);
        for (int allowed : allowedExits) {
            if (step.exitCode() == allowed) {
                return new Ran(step, r.stdout(), r.stderr());
            }
        }
        throw new AttackException(action + " in " + where + " exited " + step.exitCode() + ": " + step.commandLine() + tail(output));
    }

    private static String tail(String output) {
        String t = output.strip();
        if (t.isEmpty()) {
            return "";
        }
        return "\n  " + (t.length() > 2000 ? "… " + t.substring(t.length() - 2000) : t).replace("\n", "\n  ");
    }

    /** A finished command: its step and its standard output and error apart. */
    public record Ran(Step step, String stdout, String stderr) {
    }

    /** A command for a container: input, terminal, time limit and accepted exit codes, then {@link #run}. */
    public final class ContainerCommand {
        private final Source where;
        private final List<String> argv;
        private byte[] input = new byte[0];
        private boolean tty;
        private Duration timeout = STEP_TIMEOUT;
        private int[] allowedExits = {0};

        private ContainerCommand(Source where, List<String> argv) {
            this.where = where;
            this.argv = argv;
        }

        /** Bytes written to the command's standard input (then closed). */
        public ContainerCommand input(byte[] bytes) {
            this.input = bytes.clone();
            return this;
        }

        public ContainerCommand input(String text) {
            return input(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Runs with a terminal: {@code runc exec -t} under util-linux {@code script}, which gives
         * runc a pseudo-terminal, so the process in the container has a controlling tty.
         */
        public ContainerCommand tty() {
            this.tty = true;
            return this;
        }

        public ContainerCommand timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        /** Exit codes that count as success (default: 0 only). */
        public ContainerCommand allowExit(int... codes) {
            this.allowedExits = codes.clone();
            return this;
        }

        /** Runs to completion and records the step; a disallowed exit code fails the scenario. */
        public Ran run(String action) {
            List<String> runc = new ArrayList<>(List.of("runc", "--root", Runc.ROOT_PATH, "exec"));
            if (tty) {
                runc.add("-t");
            }
            for (String env : toolkit.env(where)) {
                runc.add("--env");
                runc.add(env);
            }
            runc.add(where.container().id());
            runc.addAll(argv);
            List<String> full = tty ? List.of("script", "-q", "-e", "-c", new Step("", "", runc, 0, 0, 0, "", false).commandLine(),
                    "/dev/null") : runc;
            return execute(action, where.toString(), argv, full, input, timeout, allowedExits);
        }

        /** Starts {@link #run} on a virtual thread, for a command that waits for a peer the scenario plays. */
        public CompletableFuture<Ran> start(String action) {
            CompletableFuture<Ran> f = new CompletableFuture<>();
            Thread.startVirtualThread(() -> {
                try {
                    f.complete(run(action));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }
    }

    /** Waits for a command started with {@link ContainerCommand#start}; its failure fails the scenario. */
    static Ran await(CompletableFuture<Ran> running, Duration limit) throws InterruptedException {
        try {
            return running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AttackException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new AttackException("no result after " + limit.toSeconds() + " s");
        }
    }
}
