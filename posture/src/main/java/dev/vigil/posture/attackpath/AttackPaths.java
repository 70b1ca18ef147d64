package dev.vigil.posture.attackpath;

import dev.vigil.posture.attackpath.AttackGraph.Edge;
import dev.vigil.posture.attackpath.AttackGraph.Kind;
import dev.vigil.posture.attackpath.AttackGraph.Node;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import dev.vigil.posture.report.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranked attack paths: for every entry point (the internet, anonymous requests, any authenticated
 * user, every workload as a compromised pod) the shortest path to each critical target
 * (cluster-admin equivalence, all secrets, root on a node). One breadth-first search backwards from
 * each target finds every entry's shortest path at once, so the cost is targets × (nodes + edges).
 * Paths rank by length, then by how reachable the entry is (internet, anonymous, authenticated,
 * pod), then by target (cluster-admin, all secrets, node root).
 */
public final class AttackPaths {

    /** Paths reported when the caller does not say. */
    public static final int DEFAULT_MAX_PATHS = 25;

    private static final List<String> TARGETS = List.of(AttackGraph.CLUSTER_ADMIN, AttackGraph.ALL_SECRETS, AttackGraph.NODE_ROOT);

    private AttackPaths() {
    }

    /** A path from an entry point to a critical target. */
    public record AttackPath(Node entry, Node target, List<Edge> steps) {
        public AttackPath {
            steps = List.copyOf(steps);
        }

        /** {@code internet → Deployment shop/web [T1190 exposed by …] → …}. */
        public String describe() {
            StringBuilder b = new StringBuilder(entry.label());
            for (Edge e : steps) {
                b.append(" → ").append(e.to().label()).append(" [").append(e.technique().id()).append(' ')
                        .append(e.reason()).append(']');
            }
            return b.toString();
        }
    }

    /** The ranked shortest paths, at most {@code maxPaths}. */
    public static List<AttackPath> find(AttackGraph g, int maxPaths) {
        Map<String, List<Edge>> into = new HashMap<>();
        for (Edge e : g.edges()) {
            into.computeIfAbsent(e.to().id(), k -> new ArrayList<>()).add(e);
        }
        List<AttackPath> paths = new ArrayList<>();
        for (String target : TARGETS) {
            Map<String, Edge> next = new HashMap<>();
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(target));
            Set<String> seen = new LinkedHashSet<>(List.of(target));
            while (!queue.isEmpty()) {
                String at = queue.poll();
                for (Edge e : into.getOrDefault(at, List.of())) {
                    if (seen.add(e.from().id())) {
                        next.put(e.from().id(), e);
                        queue.add(e.from().id());
                    }
                }
            }
            for (Node n : g.nodes()) {
                if ((n.kind() == Kind.ENTRY || n.kind() == Kind.WORKLOAD) && next.containsKey(n.id())) {
                    List<Edge> steps = new ArrayList<>();
                    for (String at = n.id(); !at.equals(target); at = next.get(at).to().id()) {
                        steps.add(next.get(at));
                    }
                    paths.add(new AttackPath(n, g.node(target), steps));
                }
            }
        }
        paths.sort(Comparator.comparingInt((AttackPath p) -> p.steps().size())
                .thenComparingInt(p -> entryRank(p.entry()))
                .thenComparingInt(p -> TARGETS.indexOf(p.target().id()))
                .thenComparing(p -> p.entry().label()));
        return paths.size() > maxPaths ? List.copyOf(paths.subList(0, maxPaths)) : paths;
    }

    /** One finding per path: CRITICAL from the internet or any user, HIGH from a compromised pod. */
    public static List<Finding> findings(List<AttackPath> paths) {
        List<Finding> out = new ArrayList<>();
        for (AttackPath p : paths) {
            boolean fromPod = p.entry().kind() == Kind.WORKLOAD;
            Resource res = fromPod ? workloadResource(p.entry()) : new Resource("Entry", null, p.entry().label(), null);
            List<String> mitre = List.copyOf(new LinkedHashSet<>(p.steps().stream().map(e -> e.technique().id()).toList()));
            out.add(new Finding("attack-path." + p.target().id().substring("target:".length()),
                    "Attack path to " + p.target().label(), fromPod ? Severity.HIGH : Severity.CRITICAL, res,
                    p.steps().size() + (p.steps().size() == 1 ? " step: " : " steps: ") + p.describe(),
                    "Remove any one step to break the path; the first is: " + p.steps().getFirst().reason(),
                    List.of(), mitre, null));
        }
        return out;
    }

    private static Resource workloadResource(Node n) {
        String[] parts = n.id().substring("workload:".length()).split("/", 3);
        return new Resource(parts[0], parts[1], parts[2], null);
    }

    private static int entryRank(Node n) {
        return switch (n.id()) {
            case AttackGraph.INTERNET -> 0;
            case AttackGraph.ANONYMOUS -> 1;
            case AttackGraph.AUTHENTICATED -> 2;
            default -> 3;
        };
    }
}
