package dev.vigil.lab.attack;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code api-contact}: a workload that never talks to the Kubernetes API lists its namespace's
 * pods with the service-account token mounted in it, over TLS to {@code kubernetes.default.svc}
 * (10.96.0.1) with curl. The effect: the API answered 200 with a PodList naming the pod itself.
 */
final class ApiContact implements Technique {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        String curl = run.toolkit().ensure(from, "curl");
        String sa = "/var/run/secrets/kubernetes.io/serviceaccount";
        String ns = from.pod().namespace();
        AttackRun.Ran list = run.command(from, "sh", "-c", curl + " -s -m 10 -w '" + CurlReply.WRITE_STATUS + "' --cacert " + sa
                        + "/ca.crt -H \"Authorization: Bearer $(cat " + sa + "/token)\" https://kubernetes.default.svc/api/v1/namespaces/"
                        + ns + "/pods")
                .run("GET https://kubernetes.default.svc/api/v1/namespaces/" + ns + "/pods with the pod's service-account token");
        CurlReply reply = CurlReply.of(list);
        run.check(reply.status() == 200, "the API server answered " + reply.status() + " instead of 200: " + reply.body());
        JsonNode body = JSON.readTree(reply.body());
        List<String> names = new ArrayList<>();
        body.path("items").forEach(p -> names.add(p.path("metadata").path("name").asString()));
        run.check(body.path("kind").asString().equals("PodList") && names.contains(from.pod().name()),
                "the API's answer is not a PodList naming " + from.pod().name() + ": kind " + body.path("kind") + ", pods " + names);
        run.evidence("kubernetes.default.svc answered 200: PodList of " + ns + " with " + names);
    }
}
