package dev.vigil.posture.rbac;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The authenticated identity of a request, as the API server's authenticators hand it to RBAC: a
 * user name and groups, including the implicit groups every authenticator adds —
 * {@code system:authenticated} for every authenticated user, {@code system:serviceaccounts} and
 * {@code system:serviceaccounts:<ns>} for service accounts, and user {@code system:anonymous} in
 * group {@code system:unauthenticated} for anonymous requests.
 *
 * <p>An empty name stands for "a member of the groups" (as with {@code --as group:devs}); no User
 * subject matches it.
 */
public record Principal(String name, List<String> groups) {

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String ANONYMOUS = "system:anonymous";
    public static final String SERVICE_ACCOUNTS = "system:serviceaccounts";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    public Principal {
        groups = List.copyOf(new LinkedHashSet<>(groups));
    }

    /** An authenticated user in {@code groups} (and {@code system:authenticated}). */
    public static Principal user(String name, List<String> groups) {
        List<String> g = new ArrayList<>(groups);
        g.add(AUTHENTICATED);
        return new Principal(name, g);
    }

    /** The service account {@code namespace/name} with its implicit groups. */
    public static Principal serviceAccount(String namespace, String name, List<String> extraGroups) {
        List<String> g = new ArrayList<>(List.of(SERVICE_ACCOUNTS, SERVICE_ACCOUNTS + ":" + namespace));
        g.addAll(extraGroups);
        g.add(AUTHENTICATED);
        return new Principal(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name, g);
    }

    /** An unauthenticated request. */
    public static Principal anonymous() {
        return new Principal(ANONYMOUS, List.of(UNAUTHENTICATED));
    }

    /**
     * Parses a subject as {@code vigil audit rbac can-i --as} takes it:
     * {@code system:serviceaccount:NS:NAME}, {@code serviceaccount:NS:NAME}, {@code system:anonymous},
     * {@code group:NAME}, {@code user:NAME} or a bare user name. {@code extraGroups} are added as
     * kubectl's {@code --as-group} does.
     *
     * @throws IllegalArgumentException with a message saying the accepted forms
     */
    public static Principal parse(String spec, List<String> extraGroups) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(FORMS);
        }
        if (spec.equals(ANONYMOUS)) {
            List<String> g = new ArrayList<>(extraGroups);
            g.add(UNAUTHENTICATED);
            return new Principal(ANONYMOUS, g);
        }
        String sa = spec.startsWith(SERVICE_ACCOUNT_PREFIX) ? spec.substring(SERVICE_ACCOUNT_PREFIX.length())
                : spec.startsWith("serviceaccount:") ? spec.substring("serviceaccount:".length()) : null;
        if (sa != null) {
            int colon = sa.indexOf(':');
            if (colon <= 0 || colon == sa.length() - 1 || sa.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("bad service account '" + spec + "': " + FORMS);
            }
            return serviceAccount(sa.substring(0, colon), sa.substring(colon + 1), extraGroups);
        }
        if (spec.startsWith("group:")) {
            List<String> g = new ArrayList<>(extraGroups);
            g.addFirst(nonEmpty(spec.substring(6), spec));
            return user("", g);
        }
        if (spec.startsWith("user:")) {
            return user(nonEmpty(spec.substring(5), spec), extraGroups);
        }
        return user(spec, extraGroups);
    }

    private static final String FORMS = "give the subject as system:serviceaccount:NAMESPACE:NAME, "
            + "user:NAME (or NAME), group:NAME or system:anonymous";

    private static String nonEmpty(String s, String spec) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty name in '" + spec + "': " + FORMS);
        }
        return s;
    }

    /** {@code namespace/name} when this is a service account, else empty. */
    public Optional<String[]> serviceAccount() {
        if (!name.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return Optional.empty();
        }
        String rest = name.substring(SERVICE_ACCOUNT_PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {rest.substring(0, colon), rest.substring(colon + 1)});
    }

    /** {@code user "alice" (groups …)} for messages. */
    public String describe() {
        return (name.isEmpty() ? "a member" : "user \"" + name + "\"") + " (groups " + groups + ")";
    }
}
