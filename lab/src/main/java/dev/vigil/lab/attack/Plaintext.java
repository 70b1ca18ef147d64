package dev.vigil.lab.attack;

import dev.vigil.kube.client.KubeClients;
import dev.vigil.kube.client.KubeConnection;
import dev.vigil.lab.topology.DefaultTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code plaintext}: cleartext HTTP into {@code shop-payments}, a namespace whose label
 * {@code vigil.dev/encryption: required} says every connection into it must be encrypted. The
 * effect: the ledger answered 200 over plain HTTP, and the API shows the namespace's label.
 */
final class Plaintext implements Technique {

    static final String NAMESPACE = "shop-payments";
    static final String URL = "http://ledger.shop-payments.svc.cluster.local:8080/";
    /** Longest wait for the lab's API server, which answers slowly when the machine is busy. */
    static final Duration API_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        Source ledger = run.pod(NAMESPACE, "ledger", null);
        String curl = run.toolkit().ensure(from, "curl");
        AttackRun.Ran get = run.command(from, curl, "-s", "-m", "10", "-w", CurlReply.WRITE_STATUS, URL)
                .run("plain HTTP GET " + URL);
        CurlReply reply = CurlReply.of(get);
        run.check(reply.status() == 200 && reply.body().contains("Payments ledger"),
                "the ledger did not answer over plain HTTP: " + get.stdout());
        Map<String, String> labels;
        try (KubeConnection api = KubeClients.connect(KubeClients.locate(Path.of(run.lab().kubeconfig()), null), API_TIMEOUT)) {
            var ns = api.client().namespaces().withName(NAMESPACE).get();
            run.check(ns != null, "the lab's API has no namespace " + NAMESPACE);
            labels = ns.getMetadata().getLabels();
        }
        run.check("required".equals(labels.get(DefaultTopology.ENCRYPTION_LABEL)),
                "namespace " + NAMESPACE + " is not labelled " + DefaultTopology.ENCRYPTION_LABEL + "=required: " + labels);
        run.evidence("plain HTTP into " + NAMESPACE + " (" + DefaultTopology.ENCRYPTION_LABEL + "=required in the API): "
                + ledger.pod().name() + " " + ledger.pod().ip() + ":8080 answered 200");
    }
}
