package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;

/**
 * On seeded random clusters (wildcards, subresources, resourceNames, non-resource URLs, Role and
 * ClusterRole references, missing roles, service accounts with and without namespaces, implicit
 * groups), the indexed authorizer agrees with {@link ReferenceAuthorizer}, and who-can lists exactly
 * the binding subjects for which a principal matching only that subject is allowed.
 */
class RbacEquivalenceTest {

    static final String[] VERBS = {"get", "list", "create", "update", "*"};
    static final String[] GROUPS = {"", "apps", "*"};
    static final String[] RESOURCES = {"pods", "pods/exec", "*/exec", "*", "deployments", "deployments/scale", "*/scale", "secrets"};
    static final String[] NAMES = {"a", "b"};
    static final String[] URLS = {"/healthz", "/logs/*", "*", "/api"};
    static final String[] NAMESPACES = {"n0", "n1"};
    static final String[] USERS = {"u0", "u1", "u2"};
    static final String[] GROUP_NAMES = {"g0", "g1", "system:authenticated", "system:serviceaccounts", "system:serviceaccounts:n0", "system:unauthenticated"};

    @RepeatedTest(300)
    void indexedAuthorizerAndWhoCanAgreeWithTheReference(RepetitionInfo info) {
        long seed = 0x5eed_0000L + info.getCurrentRepetition();
        SplittableRandom rnd = new SplittableRandom(seed);
        RbacPolicy policy = randomPolicy(rnd);
        for (int q = 0; q < 60; q++) {
            Request req = randomRequest(rnd);
            Principal p = randomPrincipal(rnd);
            assertThat(policy.authorize(p, req).allowed())
                    .as("seed %d: %s as %s", seed, req.describe(), p.describe())
                    .isEqualTo(ReferenceAuthorizer.allows(policy, p, req));

            Set<Subject> expected = new LinkedHashSet<>();
            for (Binding b : policy.bindings()) {
                for (Subject s : b.subjects()) {
                    Subject r = s.resolvedIn(b.namespace());
                    if (RbacPolicy.subjectKey(r) != null && ReferenceAuthorizer.allows(policy, only(r), req)) {
                        expected.add(r);
                    }
                }
            }
            assertThat(policy.whoCan(req)).extracting(RbacPolicy.SubjectAccess::subject)
                    .as("seed %d: who-can %s", seed, req.describe())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** A principal that matches {@code s} and no other subject kind. */
    static Principal only(Subject s) {
        return switch (s.kind()) {
            case Subject.USER -> new Principal(s.name(), List.of());
            case Subject.GROUP -> new Principal("nobody-in-particular", List.of(s.name()));
            default -> new Principal(Principal.SERVICE_ACCOUNT_PREFIX + s.namespace() + ":" + s.name(), List.of());
        };
    }

    static RbacPolicy randomPolicy(SplittableRandom rnd) {
        RbacPolicy.Builder b = RbacPolicy.builder();
        List<String> clusterRoles = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(6); i++) {
            String name = "cr" + i;
            clusterRoles.add(name);
            b.role(new PolicyRole(PolicyRole.CLUSTER_ROLE, "", name, randomRules(rnd), false), Map.of());
        }
        for (int i = 0; i < rnd.nextInt(5); i++) {
            String ns = pick(rnd, NAMESPACES);
            roles.add("r" + i);
            b.role(new PolicyRole(PolicyRole.ROLE, ns, "r" + i, randomRules(rnd), false), Map.of());
        }
        for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
            boolean cluster = rnd.nextBoolean();
            String roleKind = rnd.nextInt(4) == 0 ? "Role" : "ClusterRole";
            String roleName = roleKind.equals("Role")
                    ? (roles.isEmpty() || rnd.nextInt(5) == 0 ? "missing" : roles.get(rnd.nextInt(roles.size())))
                    : (rnd.nextInt(8) == 0 ? "missing" : clusterRoles.get(rnd.nextInt(clusterRoles.size())));
            List<Subject> subjects = new ArrayList<>();
            for (int s = 0; s < 1 + rnd.nextInt(3); s++) {
                subjects.add(switch (rnd.nextInt(3)) {
                    case 0 -> new Subject(Subject.USER, pick(rnd, USERS), "");
                    case 1 -> new Subject(Subject.GROUP, pick(rnd, GROUP_NAMES), "");
                    default -> new Subject(Subject.SERVICE_ACCOUNT, "sa" + rnd.nextInt(2),
                            rnd.nextBoolean() ? "" : pick(rnd, NAMESPACES));
                });
            }
            b.binding(new Binding(cluster ? Binding.CLUSTER_ROLE_BINDING : Binding.ROLE_BINDING,
                    cluster ? "" : pick(rnd, NAMESPACES), "b" + i, roleKind, roleName,
                    "rbac.authorization.k8s.io", subjects));
        }
        return b.build();
    }

    static List<Rule> randomRules(SplittableRandom rnd) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
            if (rnd.nextInt(5) == 0) {
                rules.add(new Rule(some(rnd, VERBS), List.of(), List.of(), List.of(), some(rnd, URLS)));
            } else {
                rules.add(new Rule(some(rnd, VERBS), some(rnd, GROUPS), some(rnd, RESOURCES),
                        rnd.nextInt(3) == 0 ? some(rnd, NAMES) : List.of(), List.of()));
            }
        }
        return rules;
    }

    static Request randomRequest(SplittableRandom rnd) {
        if (rnd.nextInt(6) == 0) {
            return Request.nonResource(pick(rnd, new String[] {"get", "post"}),
                    pick(rnd, new String[] {"/healthz", "/logs/x", "/logs", "/api", "/apis"}));
        }
        String resource = pick(rnd, new String[] {"pods", "deployments", "secrets", "statefulsets"});
        String sub = pick(rnd, new String[] {"", "", "exec", "scale", "status"});
        return Request.resource(pick(rnd, new String[] {"get", "list", "create", "update", "delete"}),
                pick(rnd, new String[] {"", "apps"}), resource, sub, pick(rnd, new String[] {"", "a", "c"}),
                pick(rnd, new String[] {"", "n0", "n1"}));
    }

    static Principal randomPrincipal(SplittableRandom rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> Principal.serviceAccount(pick(rnd, NAMESPACES), "sa" + rnd.nextInt(2), List.of());
            case 1 -> Principal.anonymous();
            default -> Principal.user(pick(rnd, USERS), rnd.nextBoolean() ? List.of(pick(rnd, GROUP_NAMES)) : List.of());
        };
    }

    static List<String> some(SplittableRandom rnd, String[] from) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < 1 + rnd.nextInt(2); i++) {
            out.add(pick(rnd, from));
        }
        return List.copyOf(out);
    }

    static String pick(SplittableRandom rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }
}
