package dev.vigil.posture.rbac;

/**
 * A subject of a RoleBinding or ClusterRoleBinding: {@code User}, {@code Group} or
 * {@code ServiceAccount}. A service account subject without a namespace means the binding's own
 * namespace in a RoleBinding and matches nobody in a ClusterRoleBinding, as in the authorizer's
 * {@code appliesToUser}.
 *
 * @param namespace for service accounts; empty otherwise (or when left out)
 */
public record Subject(String kind, String name, String namespace) {

    public static final String USER = "User";
    public static final String GROUP = "Group";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";

    public Subject {
        kind = kind == null ? "" : kind;
        name = name == null ? "" : name;
        namespace = namespace == null ? "" : namespace;
    }

    /** Whether this subject, in a binding of {@code bindingNamespace} ("" for cluster), applies to {@code p}. */
    public boolean appliesTo(Principal p, String bindingNamespace) {
        return switch (kind) {
            case USER -> p.name().equals(name);
            case GROUP -> p.groups().contains(name);
            case SERVICE_ACCOUNT -> {
                String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                yield !ns.isEmpty() && p.name().equals(Principal.SERVICE_ACCOUNT_PREFIX + ns + ":" + name);
            }
            default -> false;
        };
    }

    /** Whether any principal can match this subject (after {@link #resolvedIn}): a user, a group, or a service account with a namespace. */
    public boolean matchable() {
        return switch (kind) {
            case USER, GROUP -> true;
            case SERVICE_ACCOUNT -> !namespace.isEmpty();
            default -> false;
        };
    }

    /** This subject with a service account's namespace defaulted from its binding, as the authorizer reads it. */
    public Subject resolvedIn(String bindingNamespace) {
        return kind.equals(SERVICE_ACCOUNT) && namespace.isEmpty() && !bindingNamespace.isEmpty()
                ? new Subject(kind, name, bindingNamespace) : this;
    }

    /** The principal that this subject names: a service account or user with implicit groups, or a member of a group. */
    public Principal principal() {
        return switch (kind) {
            case SERVICE_ACCOUNT -> Principal.serviceAccount(namespace, name, java.util.List.of());
            case GROUP -> name.equals(Principal.UNAUTHENTICATED)
                    ? new Principal("", java.util.List.of(name))
                    : Principal.user("", java.util.List.of(name));
            default -> name.equals(Principal.ANONYMOUS) ? Principal.anonymous()
                    : Principal.user(name, java.util.List.of());
        };
    }

    /** {@code ServiceAccount shop/web}, {@code User alice}, {@code Group devs}. */
    public String describe() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
