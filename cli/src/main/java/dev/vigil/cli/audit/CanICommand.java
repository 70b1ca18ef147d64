package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.rbac.Principal;
import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.rbac.Request;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code vigil audit rbac can-i VERB RESOURCE --as SUBJECT}: yes (exit 0) or no (exit 1), like kubectl. */
@Command(name = "can-i", mixinStandardHelpOptions = true,
        description = "Answer whether a subject may make a request, as the Kubernetes RBAC authorizer would. "
                + "Prints yes (exit 0) or no (exit 1).")
public final class CanICommand implements Callable<Integer> {

    /** JSON output of the RBAC question commands. */
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameters(index = "0", description = "Verb: get, list, watch, create, update, patch, delete, bind, impersonate, …")
    String verb;

    @Parameters(index = "1", description = "RESOURCE[.GROUP][/SUBRESOURCE] (pods, deployments.apps, pods/exec) or a non-resource URL (/healthz).")
    String resource;

    @Option(names = "--as", required = true, paramLabel = "SUBJECT",
            description = "Who asks: system:serviceaccount:NS:NAME, user:NAME (or NAME), group:NAME, system:anonymous.")
    String as;

    @Option(names = "--as-group", paramLabel = "GROUP", description = "Further groups of the subject (repeatable), as kubectl's --as-group.")
    List<String> groups = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, description = "Namespace of the request (none: cluster-wide).")
    String namespace;

    @Option(names = "--subresource", description = "Subresource of the request (exec, log, scale, …).")
    String subresource;

    @Option(names = "--name", description = "Name of the object the request is about.")
    String name;

    @Option(names = "--format", defaultValue = "table", description = "table (yes/no) or json. Default: ${DEFAULT-VALUE}.")
    String format;

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
        Request req = RbacCommand.request(verb, resource, subresource, name, namespace);
        RbacPolicy policy = RbacCommand.load(input, false, spec.commandLine().getErr()).policy();
        RbacPolicy.Decision d = policy.authorize(principal, req);
        PrintWriter out = spec.commandLine().getOut();
        if (json(format)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("allowed", d.allowed());
            m.put("user", principal.name());
            m.put("groups", principal.groups());
            m.put("request", req.describe());
            m.put("reason", d.reason());
            out.println(JSON.writeValueAsString(m));
        } else {
            out.println(d.allowed() ? "yes" : "no");
            spec.commandLine().getErr().println("vigil: " + principal.describe() + " " + req.describe() + ": " + d.reason());
        }
        out.flush();
        return d.allowed() ? 0 : 1;
    }

    static boolean json(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "table" -> false;
            default -> throw new UserError("unknown --format '" + format + "': use table or json");
        };
    }
}
