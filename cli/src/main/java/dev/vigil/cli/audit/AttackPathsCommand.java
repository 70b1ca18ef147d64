package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.attackpath.AttackGraph;
import dev.vigil.posture.attackpath.AttackPaths;
import dev.vigil.posture.attackpath.AttackPaths.AttackPath;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil audit attack-paths}: ranked paths from entry points to critical targets. */
@Command(name = "attack-paths", mixinStandardHelpOptions = true,
        description = {"Find the shortest attack paths from entry points (the internet, anonymous requests, any "
                + "authenticated user, any compromised pod) to cluster-admin equivalence, all secrets or root on a node.",
                "Every step names its MITRE ATT&CK technique."})
public final class AttackPathsCommand implements Callable<Integer> {

    @Option(names = "--max-paths", defaultValue = "" + AttackPaths.DEFAULT_MAX_PATHS, paramLabel = "N",
            description = "Report at most N paths, shortest first. Default: ${DEFAULT-VALUE}.")
    int maxPaths;

    @Mixin
    ClusterInput input;

    @Mixin
    FindingOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxPaths < 1) {
            throw new UserError("--max-paths " + maxPaths + " must be at least 1");
        }
        AttackGraph.Builder b = AttackGraph.builder();
        input.read(b::add, spec.commandLine().getErr());
        AttackGraph graph = b.build();
        List<AttackPath> paths = AttackPaths.find(graph, maxPaths);
        spec.commandLine().getErr().printf("vigil: attack graph of %d nodes and %d steps; %d paths shown%n",
                graph.nodes().size(), graph.edges().size(), paths.size());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (AttackPath p : paths) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("entry", p.entry().label());
                m.put("target", p.target().label());
                m.put("steps", p.steps().stream().map(e -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("from", e.from().label());
                    s.put("to", e.to().label());
                    s.put("technique", e.technique().id());
                    s.put("techniqueName", e.technique().title());
                    s.put("reason", e.reason());
                    return s;
                }).toList());
                list.add(m);
            }
            out.println(FindingOutput.JSON.writeValueAsString(Map.of("paths", list)));
            out.flush();
            return exit(paths);
        }
        if (paths.isEmpty()) {
            out.println("no attack path reaches cluster-admin, all secrets or node root");
        }
        int n = 0;
        for (AttackPath p : paths) {
            out.printf("%d. %s ⇒ %s (%d steps)%n", ++n, p.entry().label(), p.target().label(), p.steps().size());
            for (var e : p.steps()) {
                out.printf("   → %-40s %-10s %s%n", e.to().label(), e.technique().id(), e.reason());
            }
        }
        out.flush();
        return exit(paths);
    }

    /** The {@code --fail-on} exit code, judged on the paths' findings (printed above in their own form). */
    private int exit(List<AttackPath> paths) {
        return output.print(AttackPaths.findings(paths), new PrintWriter(PrintWriter.nullWriter()));
    }
}
