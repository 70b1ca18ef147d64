package dev.vigil.lab.attack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code token-read}: {@code cat} of the service-account token in a container. The effect: the
 * output is the pod's JWT, whose {@code sub} claim names the pod's service account.
 */
final class TokenRead implements Technique {

    static final String TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void perform(AttackRun run) {
        Source from = run.source();
        AttackRun.Ran cat = run.command(from, "cat", TOKEN).run("read the service-account token");
        String[] parts = cat.stdout().strip().split("\\.");
        run.check(parts.length == 3, "cat " + TOKEN + " did not print a JWT: " + cat.stdout());
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        String subject = claims.path("sub").asString();
        String prefix = "system:serviceaccount:" + from.pod().namespace() + ":";
        run.check(subject.startsWith(prefix), "the token's subject is '" + subject + "', not a service account of "
                + from.pod().namespace());
        run.evidence("read the token of " + subject + " (" + cat.stdout().strip().length() + " characters, bound to pod "
                + claims.path("kubernetes.io").path("pod").path("name").asString() + ")");
    }
}
