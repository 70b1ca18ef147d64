package dev.vigil.cli.demo;

import dev.vigil.cli.UserError;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabException;
import dev.vigil.lab.LabStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: brings the lab up, prints what Vigil sees (the inventory read back from
 * the lab's API server, and further sections as features land), runs until Ctrl-C and takes the
 * lab down. {@code --once} prints once and takes the lab down at once.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Bring the lab up, show what Vigil sees, run until Ctrl-C, then take the lab down (needs root).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--once", description = "Print once, take the lab down and exit.")
    boolean once;

    @Option(names = "--traffic-window", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long --once counts traffic, and how often the live count is printed (default: ${DEFAULT-VALUE}).")
    int trafficWindowSeconds;

    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory (default: ${DEFAULT-VALUE}).")
    Path dir = Lab.DEFAULT_DIR;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The demo's sections, in print order. */
    static List<DemoSection> sections() {
        return List.of(new InventorySection());
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread teardown = new Thread(() -> {
            err.println("vigil demo: taking the lab down");
            err.flush();
            try {
                Lab.down(m -> { });
            } finally {
                stopped.countDown();
            }
        }, "vigil-demo-down");
        LabStatus lab;
        try {
            lab = Lab.upOwned(dir, m -> {
                err.println("vigil lab: " + m);
                err.flush();
            });
        } catch (LabException e) {
            throw new UserError(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(teardown);
        try (KubernetesClient api = client(lab)) {
            DemoSection.Context context = new DemoSection.Context(lab, api);
            for (DemoSection section : sections()) {
                out.println("== " + section.title() + " ==");
                section.render(context, out);
                out.println();
                out.flush();
            }
        }
        out.println("== Traffic ==");
        out.flush();
        long started = System.nanoTime();
        TrafficCount traffic = new TrafficCount(lab, line -> { });
        if (once) {
            stopped.await(trafficWindowSeconds, TimeUnit.SECONDS);
            traffic.close();
            traffic.print(out, (System.nanoTime() - started) / 1e9);
            Runtime.getRuntime().removeShutdownHook(teardown);
            teardown.run();
            return 0;
        }
        err.println("vigil demo: the lab runs (kubeconfig " + lab.kubeconfig() + "); press Ctrl-C to stop it");
        err.flush();
        while (!stopped.await(trafficWindowSeconds, TimeUnit.SECONDS)) {
            traffic.print(out, (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    private static KubernetesClient client(LabStatus lab) {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(lab.kubeconfig())))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab kubeconfig " + lab.kubeconfig(), e);
        }
    }
}
