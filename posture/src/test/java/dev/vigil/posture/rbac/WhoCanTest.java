package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** who-can on the crafted cluster: every subject whose bindings grant the request, with the bindings. */
class WhoCanTest {

    static final RbacPolicy policy = CraftedCluster.policy();

    @ParameterizedTest(name = "[{index}] {0} {1}/{2}/{3} name={4} ns={5}")
    @CsvSource(delimiter = '|', textBlock = """
            # verb | group | resource    | sub   | name       | ns   | subjects (kind ns/name <- binding)
            get    | ''    | pods        | ''    | ''         | shop | User alice <- RoleBinding shop/alice-pods; User bob <- ClusterRoleBinding bob-pods; User system:serviceaccount:ops:robot <- ClusterRoleBinding sa-as-user
            get    | ''    | pods        | ''    | ''         | ops  | User bob <- ClusterRoleBinding bob-pods; User gina <- RoleBinding ops/admin; User system:serviceaccount:ops:robot <- ClusterRoleBinding sa-as-user
            list   | ''    | pods        | ''    | ''         | ''   | User bob <- ClusterRoleBinding bob-pods; User system:serviceaccount:ops:robot <- ClusterRoleBinding sa-as-user
            create | ''    | pods        | exec  | ''         | shop | ServiceAccount shop/web <- RoleBinding shop/sa-exec
            create | ''    | pods        | exec  | ''         | x    | ''
            get    | ''    | secrets     | ''    | ''         | ''   | Group system:unauthenticated <- ClusterRoleBinding anonymous-parent; User dave <- ClusterRoleBinding grand
            get    | ''    | configmaps  | ''    | app-config | shop | Group system:serviceaccounts:shop <- RoleBinding shop/all-sas
            list   | ''    | configmaps  | ''    | ''         | shop | ''
            update | apps  | deployments | scale | ''         | ops  | User carol <- RoleBinding ops/scalers; User gina <- RoleBinding ops/admin
            create | apps  | deployments | ''    | ''         | shop | Group devs <- RoleBinding shop/deployers
            """)
    void answers(String verb, String group, String resource, String sub, String name, String ns, String expected) {
        var answer = policy.whoCan(Request.resource(verb, group, resource, sub, name, ns));
        String got = answer.stream().map(a -> a.subject().describe() + " <- "
                + a.via().stream().map(v -> v.binding().describe()).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        assertThat(got).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            get  | /healthz | Group system:authenticated
            get  | /logs/x  | Group system:authenticated
            post | /healthz | ''
            """)
    void nonResource(String verb, String path, String expected) {
        assertThat(policy.whoCan(Request.nonResource(verb, path)).stream().map(a -> a.subject().describe())
                .collect(Collectors.joining("; "))).isEqualTo(expected);
    }
}
