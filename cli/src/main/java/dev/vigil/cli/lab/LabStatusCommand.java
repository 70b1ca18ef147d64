package dev.vigil.cli.lab;

import dev.vigil.cli.UserError;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** {@code vigil lab status}: the running lab's pods and containers, as a table or JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running lab: kubeconfig, pods with IPs and network namespaces, containers with ids, images, digests and pids.")
public final class LabStatusCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON: {kubeconfig, pods: [{namespace, name, ip, netns, node, containers: [{name, id, image, imageDigest, pid}]}]}.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LabStatus status = Lab.status().orElseThrow(() -> new UserError("no lab is running: start one with `sudo ./vigil lab up`"));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(status.toJson()));
            return 0;
        }
        out.println("kubeconfig: " + status.kubeconfig());
        out.printf("%-12s %-28s %-12s %-44s%n", "NAMESPACE", "POD", "IP", "NETNS");
        for (LabStatus.Pod p : status.pods()) {
            out.printf("%-12s %-28s %-12s %-44s%n", p.namespace(), p.name(), p.ip(), p.netns());
            for (LabStatus.Container c : p.containers()) {
                out.printf("    %-9s %-12.12s pid %-7d %s@%s%n", c.name(), c.id(), c.pid(), c.image(), shortDigest(c.imageDigest()));
            }
        }
        return 0;
    }

    private static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
