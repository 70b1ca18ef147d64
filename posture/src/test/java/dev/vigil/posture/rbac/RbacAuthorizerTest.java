package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * can-i answers on the crafted cluster {@code rbac/crafted.yaml}. Each expectation is derived by hand
 * from the rules of the Kubernetes RBAC authorizer (rbac.go RuleAllows, rule.go VisitRulesFor and
 * appliesToUser, the aggregation controller); the comment column says which rule decides.
 */
class RbacAuthorizerTest {

    static final RbacPolicy policy = CraftedCluster.policy();

    @ParameterizedTest(name = "[{index}] {0} {1} {2}/{3}/{4} name={5} ns={6} → {7} ({8})")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # as                             | verb   | group | resource   | sub   | name       | ns   | allowed | why
            alice                            | get    | ''    | pods       | ''    | ''         | shop | true    | RoleBinding to ClusterRole applies in its namespace
            alice                            | get    | ''    | pods       | ''    | ''         | ops  | false   | ... and only there
            alice                            | list   | ''    | pods       | ''    | ''         | ''   | false   | cluster-wide needs a ClusterRoleBinding
            bob                              | list   | ''    | pods       | ''    | ''         | ''   | true    | ClusterRoleBinding grants all namespaces
            bob                              | get    | ''    | pods       | ''    | web        | ops  | true    | no resourceNames: any name
            bob                              | get    | ''    | pods       | log   | ''         | ops  | false   | pods does not cover pods/log
            bob                              | get    | apps  | pods       | ''    | ''         | ops  | false   | group must match
            bob                              | delete | ''    | pods       | ''    | ''         | ops  | false   | verb must match
            group:devs                       | create | apps  | deployments| ''    | ''         | shop | true    | Group subject, Role in the binding's namespace
            group:devs                       | create | apps  | deployments| ''    | ''         | ops  | false   | Role grants only its namespace
            ivan+devs                        | create | apps  | deployments| ''    | ''         | shop | true    | user in group devs
            ivan                             | create | apps  | deployments| ''    | ''         | shop | false   | user not in group devs
            system:serviceaccount:shop:web   | create | ''    | pods       | exec  | ''         | shop | true    | SA subject without namespace defaults to the RoleBinding's
            system:serviceaccount:shop:web   | get    | ''    | pods       | exec  | ''         | shop | false   | verb get not granted
            system:serviceaccount:shop:web   | create | ''    | pods       | attach| ''         | shop | false   | pods/exec does not cover pods/attach
            system:serviceaccount:shop:web   | create | ''    | pods       | ''    | ''         | shop | false   | pods/exec does not cover pods
            system:serviceaccount:shop:web   | create | ''    | pods       | exec  | ''         | ops  | false   | RoleBinding scoped to shop
            system:serviceaccount:ops:web    | create | ''    | pods       | exec  | ''         | ops  | false   | a different SA of the same name
            system:serviceaccount:x:ghost    | create | ''    | pods       | exec  | ''         | x    | false   | SA subject without namespace in a ClusterRoleBinding matches nobody
            system:serviceaccount:shop:any   | get    | ''    | configmaps | ''    | app-config | shop | true    | system:serviceaccounts:shop group, named resource
            system:serviceaccount:shop:any   | get    | ''    | configmaps | ''    | other      | shop | false   | resourceNames excludes other names
            system:serviceaccount:shop:any   | list   | ''    | configmaps | ''    | ''         | shop | false   | list has no name: resourceNames rule never matches
            system:serviceaccount:shop:any   | create | ''    | configmaps | ''    | ''         | shop | false   | create has no name: resourceNames rule never matches
            system:serviceaccount:ops:any    | get    | ''    | configmaps | ''    | app-config | ops  | false   | group is per namespace
            alice                            | update | ''    | configmaps | ''    | app-config | shop | false   | users are not in system:serviceaccounts:shop
            carol                            | update | apps  | deployments| scale | ''         | ops  | true    | */scale matches any resource's scale
            carol                            | get    | apps  | statefulsets| scale| ''         | ops  | true    | */scale matches any resource's scale
            carol                            | update | apps  | deployments| ''    | ''         | ops  | false   | */scale does not match the parent resource
            carol                            | get    | ''    | deployments| scale | ''         | ops  | false   | group must match
            carol                            | get    | apps  | deployments| status| ''         | ops  | false   | */scale does not match other subresources
            carol                            | get    | apps  | deployments| scale | ''         | shop | false   | RoleBinding scoped to ops
            gina                             | delete | batch | jobs       | ''    | x          | ops  | true    | * on * on *
            gina                             | create | ''    | pods       | exec  | ''         | ops  | true    | * covers subresources
            gina                             | delete | batch | jobs       | ''    | ''         | shop | false   | RoleBinding scoped to ops
            gina                             | get    | ''    | nodes      | ''    | ''         | ''   | false   | RoleBinding never grants cluster-wide
            system:anonymous                 | get    | ''    | secrets    | ''    | ''         | shop | true    | system:unauthenticated bound to aggregated parent
            system:anonymous                 | list   | ''    | services   | ''    | ''         | ''   | true    | aggregated from child-b
            system:anonymous                 | get    | ''    | nodes      | ''    | ''         | ''   | false   | unlabelled role not aggregated
            alice                            | get    | ''    | secrets    | ''    | ''         | shop | false   | authenticated users are not system:unauthenticated
            dave                             | get    | ''    | secrets    | ''    | ''         | ''   | true    | grandparent aggregates parent which aggregates child-a
            dave                             | list   | ''    | services   | ''    | ''         | ''   | true    | transitive aggregation
            dave                             | delete | ''    | pods       | ''    | ''         | ''   | false   | stored * rules of an aggregated role are replaced
            erin                             | get    | ''    | nodes      | ''    | ''         | ''   | true    | matchExpressions In selects child-c
            erin                             | get    | ''    | secrets    | ''    | ''         | ''   | false   | child-a has no tier label
            frank                            | create | apps  | deployments| ''    | ''         | shop | false   | ClusterRoleBinding to a Role grants nothing
            hank                             | get    | ''    | pods       | ''    | ''         | shop | false   | Role looked up in the binding's namespace: missing
            hank                             | get    | ''    | pods       | ''    | ''         | ops  | false   | binding lives in shop
            system:serviceaccount:ops:robot  | get    | ''    | pods       | ''    | ''         | ops  | true    | User subject naming a SA username
            """)
    void resourceRequests(String as, String verb, String group, String resource, String sub, String name,
                          String ns, boolean allowed, String why) {
        Principal p = principal(as);
        var decision = policy.authorize(p, Request.resource(verb, group, resource, sub, name, ns));
        assertThat(decision.allowed()).as(why).isEqualTo(allowed);
        assertThat(decision.allowed()).as("reference authorizer").isEqualTo(ReferenceAuthorizer.allows(policy, p,
                Request.resource(verb, group, resource, sub, name, ns)));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} → {3} ({4})")
    @CsvSource(delimiter = '|', textBlock = """
            alice            | get  | /healthz       | true  | system:authenticated bound to urls
            alice            | get  | /healthz/      | false | exact URL only
            alice            | get  | /logs/kubelet  | true  | trailing * is a prefix match
            alice            | get  | /logs/         | true  | the prefix itself
            alice            | get  | /logs          | false | /logs/* needs the slash
            alice            | post | /healthz       | false | verb must match
            system:anonymous | get  | /healthz       | false | anonymous is not authenticated
            gina             | get  | /metrics       | false | RoleBindings never grant non-resource URLs
            """)
    void nonResourceRequests(String as, String verb, String path, boolean allowed, String why) {
        assertThat(policy.authorize(principal(as), Request.nonResource(verb, path)).allowed()).as(why).isEqualTo(allowed);
    }

    @Test
    void reasonNamesBindingRoleAndSubject() {
        var d = policy.authorize(principal("system:serviceaccount:shop:web"),
                Request.resource("create", "", "pods", "exec", "", "shop"));
        assertThat(d.reason()).isEqualTo(
                "allowed by RoleBinding shop/sa-exec of ClusterRole exec-only to ServiceAccount shop/web");
    }

    @Test
    void aggregatedRulesAreTheUnionInNameOrder() {
        assertThat(policy.clusterRole("parent").rules()).extracting(Rule::resources)
                .containsExactly(List.of("secrets"), List.of("services"));
        assertThat(policy.clusterRole("parent").aggregated()).isTrue();
        assertThat(policy.clusterRole("grandparent").rules()).extracting(Rule::resources)
                .containsExactly(List.of("secrets"), List.of("services"));
        assertThat(policy.anomalies()).isEmpty();
    }

    @Test
    void bindingsToMissingRolesAreListed() {
        assertThat(policy.bindingsToMissingRoles()).extracting(Binding::name)
                .containsExactlyInAnyOrder("crb-to-role", "missing", "cross-ns");
    }

    static Principal principal(String as) {
        String[] parts = as.split("\\+");
        List<String> groups = parts.length > 1 ? Arrays.asList(parts[1].split(";")) : List.of();
        return Principal.parse(parts[0].trim(), groups);
    }
}
