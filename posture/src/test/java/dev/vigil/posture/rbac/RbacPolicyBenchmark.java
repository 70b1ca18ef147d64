package dev.vigil.posture.rbac;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * can-i and who-can on a synthetic policy of 10,000 roles and 50,000 bindings (the size of
 * {@code bench/posture-rbac.sh}): the subject and resource indexes keep both to the bindings and
 * roles that can matter. Run: {@code bench/jmh.sh posture 'RbacPolicy.*' -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RbacPolicyBenchmark {

    static final String[] VERBS = {"get", "list", "watch", "create", "update", "patch", "delete", "bind", "*"};
    static final String[] RESOURCES = {"pods", "pods/exec", "secrets", "configmaps", "services", "deployments",
            "deployments/scale", "*/scale", "nodes", "serviceaccounts/token", "*"};
    static final String[] GROUPS = {"", "apps", "batch", "*"};

    RbacPolicy policy;
    Principal sa;
    Request getSecret;
    Request execInNamespace;

    @Setup
    public void build() {
        policy = synthetic(10_000, 50_000, 42);
        sa = Principal.serviceAccount("ns-7", "sa-3", List.of());
        getSecret = Request.resource("get", "", "secrets", "", "db", "ns-7");
        execInNamespace = Request.resource("create", "", "pods", "exec", "", "ns-7");
    }

    @Benchmark
    public boolean canI() {
        return policy.authorize(sa, getSecret).allowed();
    }

    @Benchmark
    public int whoCan() {
        return policy.whoCan(execInNamespace).size();
    }

    /** A policy of {@code roles} roles (a fifth of them ClusterRoles) and {@code bindings} bindings in 200 namespaces. */
    static RbacPolicy synthetic(int roles, int bindings, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RbacPolicy.Builder b = RbacPolicy.builder();
        int clusterRoles = roles / 5;
        for (int i = 0; i < roles; i++) {
            List<Rule> rules = new ArrayList<>();
            for (int k = 0; k < 1 + rnd.nextInt(5); k++) {
                rules.add(new Rule(List.of(pick(rnd, VERBS), pick(rnd, VERBS)), List.of(pick(rnd, GROUPS)),
                        List.of(pick(rnd, RESOURCES), pick(rnd, RESOURCES)), List.of(), List.of()));
            }
            b.role(i < clusterRoles ? new PolicyRole(PolicyRole.CLUSTER_ROLE, "", "cr-" + i, rules, false)
                    : new PolicyRole(PolicyRole.ROLE, "ns-" + (i % 200), "r-" + i, rules, false), Map.of());
        }
        for (int i = 0; i < bindings; i++) {
            List<Subject> subjects = new ArrayList<>();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                subjects.add(switch (rnd.nextInt(3)) {
                    case 0 -> new Subject(Subject.USER, "user-" + rnd.nextInt(5000), "");
                    case 1 -> new Subject(Subject.GROUP, "group-" + rnd.nextInt(500), "");
                    default -> new Subject(Subject.SERVICE_ACCOUNT, "sa-" + rnd.nextInt(50), "ns-" + rnd.nextInt(200));
                });
            }
            boolean cluster = i < bindings / 10;
            String ns = "ns-" + rnd.nextInt(200);
            b.binding(new Binding(cluster ? Binding.CLUSTER_ROLE_BINDING : Binding.ROLE_BINDING, cluster ? "" : ns,
                    "b-" + i, "ClusterRole", "cr-" + rnd.nextInt(clusterRoles), "rbac.authorization.k8s.io", subjects));
        }
        return b.build();
    }

    private static String pick(SplittableRandom rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }
}
