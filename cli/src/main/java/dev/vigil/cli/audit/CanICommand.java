package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.rbac.Principal;
import dev.vigil.posture.rbac.RbacPolicy;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil audit rbac can-i VERB RESOURCE --as SUBJECT}: yes (exit 0) or no (exit 1), like kubectl. */
@Command(name = "can-i", mixinStandardHelpOptions = true,
        description = "Answer whether a subject may make a request, as the Kubernetes RBAC authorizer would. "
                + "Prints yes (exit 0) or no (exit 1).")
public final class CanICommand implements Callable<Integer> {

    @Option(names = "--as", required = true, paramLabel = "SUBJECT",
            description = "Who asks: system:serviceaccount:NS:NAME, user:NAME (or NAME), group:NAME, system:anonymous.")
    String as;

    @Option(names = "--as-group", paramLabel = "GROUP", description = "Further groups of the subject (repeatable), as kubectl's --as-group.")
    List<String> groups = new ArrayList<>();

    @Mixin
    RequestOptions question;

    @Mixin
    InputOptions input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Principal principal;
        try {
            principal = Principal.parse(as, groups);
        } catch (IllegalArgumentException e) {
            throw new UserError("--as: " + e.getMessage());
        }
        Request req = question.request();
        RbacPolicy policy = RbacCommand.load(input, false, spec.commandLine().getErr()).policy();
        RbacPolicy.Decision d = policy.authorize(principal, req);
        PrintWriter out = spec.commandLine().getOut();
        if (question.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("allowed", d.allowed());
            m.put("user", principal.name());
            m.put("groups", principal.groups());
            m.put("request", req.describe());
            m.put("reason", d.reason());
            out.println(AnswerFormat.JSON.writeValueAsString(m));
        } else {
            out.println(d.allowed() ? "yes" : "no");
            spec.commandLine().getErr().println("vigil: " + principal.describe() + " " + req.describe() + ": " + d.reason());
        }
        out.flush();
        return d.allowed() ? 0 : 1;
    }
}
