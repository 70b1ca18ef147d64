package dev.vigil.cli.audit;

import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.rbac.RbacPolicy.SubjectAccess;
import dev.vigil.posture.rbac.Request;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil audit rbac who-can VERB RESOURCE}: the subjects whose bindings allow a request. */
@Command(name = "who-can", mixinStandardHelpOptions = true,
        description = {"List the users, groups and service accounts that RBAC allows to make a request, "
                + "with the bindings and roles that allow it.",
                "Without -n the request is cluster-wide (all namespaces, or a cluster-scoped resource): only "
                        + "ClusterRoleBindings grant it."})
public final class WhoCanCommand implements Callable<Integer> {

    @Mixin
    RequestOptions question;

    @Mixin
    InputOptions input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Request req = question.request();
        RbacPolicy policy = RbacCommand.load(input, false, spec.commandLine().getErr()).policy();
        List<SubjectAccess> answer = policy.whoCan(req);
        PrintWriter out = spec.commandLine().getOut();
        if (question.json()) {
            List<Map<String, Object>> subjects = new ArrayList<>();
            for (SubjectAccess a : answer) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("kind", a.subject().kind());
                s.put("name", a.subject().name());
                s.put("namespace", a.subject().namespace().isEmpty() ? null : a.subject().namespace());
                s.put("via", a.via().stream().map(v -> {
                    Map<String, String> via = new LinkedHashMap<>();
                    via.put("binding", ref(v.binding().kind(), v.binding().namespace(), v.binding().name()));
                    via.put("role", ref(v.role().kind(), v.role().namespace(), v.role().name()));
                    return via;
                }).toList());
                subjects.add(s);
            }
            out.println(AnswerFormat.JSON.writeValueAsString(Map.of("subjects", subjects)));
        } else if (answer.isEmpty()) {
            out.println("no subject may " + req.describe());
        } else {
            out.printf("%-15s %-20s %-40s %s%n", "KIND", "NAMESPACE", "NAME", "VIA");
            for (SubjectAccess a : answer) {
                out.printf("%-15s %-20s %-40s %s%n", a.subject().kind(), a.subject().namespace(), a.subject().name(),
                        String.join(", ", a.via().stream().map(v -> v.binding().describe() + " → " + v.role().describe()).toList()));
            }
        }
        out.flush();
        return 0;
    }

    /** {@code RoleBinding/shop/web} or {@code ClusterRole/edit}, kubectl's kind/name form. */
    static String ref(String kind, String namespace, String name) {
        return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
