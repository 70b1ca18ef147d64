package dev.vigil.cli.lab;

import dev.vigil.cli.UserError;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.lab.attack.AttackListener;
import dev.vigil.lab.attack.Scenario;
import dev.vigil.lab.attack.ScenarioResult;
import dev.vigil.lab.attack.Scenarios;
import dev.vigil.lab.attack.Source;
import dev.vigil.lab.attack.SourceRef;
import dev.vigil.lab.attack.Step;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code vigil lab attack SCENARIO [--from NAMESPACE/POD]}: performs a real attack technique inside
 * the running lab, against lab addresses only, printing every step (what ran, where, exit code,
 * time) and the evidence that it took effect. Exits 1 when a scenario could not be performed.
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = {"Perform real attack techniques inside the running lab (lab addresses only) and show that each took effect.",
                "Run `vigil lab attack --list` for what each scenario does, from where, and what should detect it."})
public final class LabAttackCommand implements Callable<Integer> {

    /** Scenario names for picocli's help and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Scenarios.names().iterator();
        }
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", completionCandidates = Names.class,
            description = "The scenario: ${COMPLETION-CANDIDATES} (`all`: every one in order).")
    String scenario;

    @Option(names = "--from", paramLabel = "NAMESPACE/POD",
            description = "Perform it from this pod (pod or workload name, like shop-data/cache) instead of the scenario's default.")
    String from;

    @Option(names = {"-c", "--container"}, paramLabel = "CONTAINER",
            description = "Container of the --from pod (default: its first container).")
    String container;

    @Option(names = "--pause", paramLabel = "SECONDS", defaultValue = "2",
            description = "Pause between scenarios of `all`, in seconds (default: ${DEFAULT-VALUE}).")
    double pause;

    @Option(names = "--json", description = "Print each scenario's result (steps with nanosecond timestamps, evidence) as a JSON line"
            + " on stdout; steps go to stderr as they happen.")
    boolean json;

    @Option(names = "--list", description = "List the scenarios with their default source pods and expected detections.")
    boolean list;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (Scenario s : Scenarios.all()) {
                out.printf("%-13s %s%n%-13s   from %s; expected: %s%n", s.name(), s.description(), "", s.defaultSource(),
                        String.join(", ", s.expectedRules()));
            }
            return 0;
        }
        if (scenario == null) {
            throw new UserError("name a scenario: " + String.join(", ", Scenarios.names()) + " (see `vigil lab attack --list`)",
                    CommandLine.ExitCode.USAGE);
        }
        List<Scenario> chosen = scenario.equals(Scenarios.ALL) ? Scenarios.all()
                : List.of(Scenarios.named(scenario).orElseThrow(() -> new UserError("no scenario " + scenario + "; choose one of "
                        + String.join(", ", Scenarios.names()), CommandLine.ExitCode.USAGE)));
        SourceRef source;
        try {
            source = from == null ? null : SourceRef.parse(from, container);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), CommandLine.ExitCode.USAGE);
        }
        if (source == null && container != null) {
            throw new UserError("--container needs --from NAMESPACE/POD", CommandLine.ExitCode.USAGE);
        }
        if (pause < 0) {
            throw new UserError("--pause must be 0 or more seconds (got " + pause + ")", CommandLine.ExitCode.USAGE);
        }
        if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
            throw new UserError("attacks run in the lab's containers and namespaces, which needs root: sudo ./vigil lab attack " + scenario);
        }
        LabStatus lab = Lab.status().orElseThrow(() -> new UserError("no lab is running: start one with `sudo ./vigil lab up`"));

        PrintWriter steps = json ? spec.commandLine().getErr() : out;
        JsonMapper mapper = JsonMapper.builder().build();
        List<ScenarioResult> results = Scenarios.run(chosen, lab, source, Duration.ofMillis((long) (pause * 1000)),
                new Printer(steps));
        for (ScenarioResult r : results) {
            if (json) {
                out.println(mapper.writeValueAsString(r));
            }
        }
        if (results.size() > 1) {
            summary(steps, results);
        }
        List<ScenarioResult> failed = results.stream().filter(r -> !r.performed()).toList();
        if (!failed.isEmpty()) {
            StringBuilder why = new StringBuilder();
            failed.forEach(r -> why.append("\n  ").append(r.scenario()).append(" from ").append(r.source()).append(": ")
                    .append(r.failure()));
            throw new UserError(failed.size() + " of " + results.size() + " scenarios could not be performed:" + why);
        }
        return 0;
    }

    private static void summary(PrintWriter w, List<ScenarioResult> results) {
        w.printf("%n%-13s %-10s %7s  %-44s %s%n", "SCENARIO", "RESULT", "TIME", "SOURCE", "EXPECTED DETECTIONS");
        for (ScenarioResult r : results) {
            w.printf("%-13s %-10s %6.1fs  %-44s %s%n", r.scenario(), r.performed() ? "performed" : "FAILED",
                    r.durationNanos() / 1e9, r.source(), String.join(", ", r.expectedRules()));
        }
        w.flush();
    }

    /** Prints a run as it happens: a header per scenario, each step with its command, evidence, and the outcome. */
    private static final class Printer implements AttackListener {
        private final PrintWriter w;

        Printer(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void scenarioStarting(Scenario scenario, Source source) {
            w.printf("%n== %s from %s: %s%n", scenario.name(), source, scenario.description());
            w.flush();
        }

        @Override
        public void starting(String action, String where) {
            w.printf("  %s  %s: %s …%n", CLOCK.format(Instant.now()), where, action);
            w.flush();
        }

        @Override
        public void finished(Step step) {
            if (step.command().isEmpty()) {
                String said = step.output().strip().lines().findFirst().orElse("");
                w.printf("  %s  %s: %s, %.2f s%s%n", CLOCK.format(Instant.ofEpochSecond(0, step.endNanos())), step.where(),
                        step.action(), step.durationNanos() / 1e9, said.isEmpty() ? "" : ": " + said);
            } else {
                w.printf("      $ %s%n      exit %d in %.2f s%n", step.commandLine().replace("\n", "\\n"), step.exitCode(),
                        step.durationNanos() / 1e9);
            }
            w.flush();
        }

        @Override
        public void evidence(String line) {
            w.printf("  evidence: %s%n", line);
            w.flush();
        }

        @Override
        public void scenarioDone(ScenarioResult result) {
            if (result.performed()) {
                w.printf("  %s performed in %.1f s; expected detections: %s%n", result.scenario(), result.durationNanos() / 1e9,
                        String.join(", ", result.expectedRules()));
            } else {
                w.printf("  %s FAILED: %s%n", result.scenario(), result.failure());
            }
            result.remains().forEach(r -> w.printf("  left behind: %s%n", r));
            w.flush();
        }
    }
}
