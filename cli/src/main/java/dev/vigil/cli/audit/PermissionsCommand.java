package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.rbac.Binding;
import dev.vigil.posture.rbac.Principal;
import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.rbac.Rule;
import dev.vigil.posture.rbac.Subject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil audit rbac permissions}: the effective permissions of one subject ({@code --as}) or
 * of every subject named in a binding — each rule with where it applies and the binding it comes
 * through, implicit groups ({@code system:authenticated}, {@code system:serviceaccounts[:NS]})
 * included.
 */
@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "Show effective permissions: every rule a subject holds, where, and through which binding.")
public final class PermissionsCommand implements Callable<Integer> {

    @Option(names = "--as", paramLabel = "SUBJECT",
            description = "Only this subject: system:serviceaccount:NS:NAME, user:NAME, group:NAME, system:anonymous. Default: every bound subject.")
    String as;

    @Option(names = "--format", defaultValue = "table", description = "table or json (one object per subject per line). Default: ${DEFAULT-VALUE}.")
    String format;

    @Mixin
    InputOptions input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RbacPolicy policy = RbacCommand.load(input, false, spec.commandLine().getErr()).policy();
        Map<String, Principal> principals = new LinkedHashMap<>();
        if (as != null) {
            try {
                principals.put(as, Principal.parse(as, List.of()));
            } catch (IllegalArgumentException e) {
                throw new UserError("--as: " + e.getMessage());
            }
        } else {
            Set<Subject> subjects = new LinkedHashSet<>();
            for (Binding b : policy.bindings()) {
                b.subjects().forEach(s -> subjects.add(s.resolvedIn(b.namespace())));
            }
            subjects.stream().filter(s -> !s.kind().equals(Subject.SERVICE_ACCOUNT) || !s.namespace().isEmpty())
                    .forEach(s -> principals.put(s.describe(), s.principal()));
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean json = AnswerFormat.json(format);
        principals.forEach((label, p) -> {
            List<Map<String, Object>> grants = new ArrayList<>();
            for (RbacPolicy.Grant g : policy.grantsOf(p, null)) {
                for (Rule r : g.rules()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("scope", g.scope().isEmpty() ? "cluster" : g.scope());
                    m.put("binding", WhoCanCommand.ref(g.via().binding().kind(), g.via().binding().namespace(), g.via().binding().name()));
                    m.put("role", g.via().binding().describeRole());
                    m.put("via", g.via().subject().describe());
                    m.put("verbs", r.verbs());
                    m.put("apiGroups", r.apiGroups());
                    m.put("resources", r.resources());
                    m.put("resourceNames", r.resourceNames());
                    m.put("nonResourceURLs", r.nonResourceURLs());
                    grants.add(m);
                }
            }
            if (json) {
                out.println(AnswerFormat.JSON.writeValueAsString(Map.of("subject", label, "user", p.name(),
                        "groups", p.groups(), "rules", grants)));
            } else {
                out.println(label + " (" + p.describe() + ")");
                if (grants.isEmpty()) {
                    out.println("  no permissions");
                }
                for (var g : grants) {
                    out.printf("  %-12s %-45s %s%n", g.get("scope"), g.get("binding") + " → " + g.get("role"),
                            new Rule(cast(g.get("verbs")), cast(g.get("apiGroups")), cast(g.get("resources")),
                                    cast(g.get("resourceNames")), cast(g.get("nonResourceURLs"))).describe());
                }
            }
        });
        out.flush();
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<String> cast(Object o) {
        return (List<String>) o;
    }
}
