package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.rbac.Request;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The request an RBAC question is about, as kubectl spells it: {@code VERB RESOURCE[.GROUP][/SUBRESOURCE]}
 * or {@code VERB /non-resource/url}, with {@code -n}, {@code --subresource} and {@code --name}; and
 * the answer's {@code --format}. Shared by who-can and can-i.
 */
public final class RequestOptions {

    @Parameters(index = "0", description = "Verb: get, list, watch, create, update, patch, delete, bind, impersonate, …")
    String verb;

    @Parameters(index = "1", description = "RESOURCE[.GROUP][/SUBRESOURCE] (pods, deployments.apps, pods/exec) or a non-resource URL (/healthz).")
    String resource;

    @Option(names = {"-n", "--namespace"}, description = "Namespace of the request (none: cluster-wide, which only ClusterRoleBindings grant).")
    String namespace;

    @Option(names = "--subresource", description = "Subresource of the request (exec, log, scale, …).")
    String subresource;

    @Option(names = "--name", description = "Name of the object the request is about (rules with resourceNames need it).")
    String name;

    @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    String format;

    boolean json() {
        return AnswerFormat.json(format);
    }

    /** The request, or a {@link UserError} saying how to write it. */
    Request request() {
        if (resource.startsWith("/")) {
            if (subresource != null || name != null || namespace != null) {
                throw new UserError("non-resource URL " + resource + " takes no --subresource, --name or --namespace");
            }
            return Request.nonResource(verb, resource);
        }
        String res = resource;
        String sub = subresource;
        int slash = res.indexOf('/');
        if (slash >= 0) {
            if (sub != null) {
                throw new UserError("give the subresource once: either " + resource + " or --subresource " + sub);
            }
            sub = res.substring(slash + 1);
            res = res.substring(0, slash);
        }
        String group = "";
        int dot = res.indexOf('.');
        if (dot >= 0) {
            group = res.substring(dot + 1);
            res = res.substring(0, dot);
        }
        if (res.isEmpty() || (sub != null && sub.isEmpty()) || (dot >= 0 && group.isEmpty())) {
            throw new UserError("bad resource '" + resource + "': write RESOURCE[.GROUP][/SUBRESOURCE], e.g. pods/exec or deployments.apps");
        }
        return Request.resource(verb, group, res, sub, name, namespace);
    }
}
