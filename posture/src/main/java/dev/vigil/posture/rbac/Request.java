package dev.vigil.posture.rbac;

import java.util.Objects;

/**
 * The attributes of an API request that RBAC looks at: a resource request (verb, API group,
 * resource, subresource, name, namespace) or a non-resource request (verb, URL path). An empty
 * namespace asks cluster-wide (cluster-scoped resources, or all namespaces), which only
 * ClusterRoleBindings can grant; an empty name is a request without a name ({@code create},
 * {@code list}), which rules restricted by resourceNames never grant.
 */
public record Request(String verb, String apiGroup, String resource, String subresource, String name,
                      String namespace, String path) {

    public Request {
        Objects.requireNonNull(verb, "verb");
        apiGroup = Objects.requireNonNullElse(apiGroup, "");
        resource = Objects.requireNonNullElse(resource, "");
        subresource = Objects.requireNonNullElse(subresource, "");
        name = Objects.requireNonNullElse(name, "");
        namespace = Objects.requireNonNullElse(namespace, "");
    }

    public static Request resource(String verb, String apiGroup, String resource, String subresource,
                                   String name, String namespace) {
        return new Request(verb, apiGroup, resource, subresource, name, namespace, null);
    }

    public static Request nonResource(String verb, String path) {
        return new Request(verb, "", "", "", "", "", Objects.requireNonNull(path, "path"));
    }

    public boolean isResourceRequest() {
        return path == null;
    }

    /** {@code resource} or {@code resource/subresource}, the form rules name. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** As kubectl phrases it: {@code get pods/log "web" in namespace "shop"}. */
    public String describe() {
        if (!isResourceRequest()) {
            return verb + " " + path;
        }
        StringBuilder b = new StringBuilder(verb).append(' ').append(resource);
        if (!apiGroup.isEmpty()) {
            b.append('.').append(apiGroup);
        }
        if (!subresource.isEmpty()) {
            b.append('/').append(subresource);
        }
        if (!name.isEmpty()) {
            b.append(" \"").append(name).append('"');
        }
        b.append(namespace.isEmpty() ? " cluster-wide" : " in namespace \"" + namespace + "\"");
        return b.toString();
    }
}
