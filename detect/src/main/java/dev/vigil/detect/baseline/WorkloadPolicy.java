package dev.vigil.detect.baseline;

import dev.vigil.model.identity.WorkloadRef;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one workload's baseline and mode: what {@code vigil policy export} writes, what
 * {@code import} reads, and what the state directory keeps. Network facts belong to the workload
 * (its containers share the pod's network namespace); processes, files and token readers belong to
 * each container.
 *
 * @param learningStartedNanos when learning (re)started, epoch nanoseconds
 * @param lastChangeNanos      when the last new fact was learned
 * @param modeChangedNanos     when the mode was last set, by command, import or promotion
 * @param dnsNames             names the workload resolved, lower case without a trailing dot
 */
public record WorkloadPolicy(
        WorkloadRef workload,
        Mode mode,
        long learningStartedNanos,
        long lastChangeNanos,
        long modeChangedNanos,
        List<Peer> peers,
        List<Listening> listening,
        List<String> dnsNames,
        List<ContainerPolicy> containers) {

    public WorkloadPolicy {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(mode, "mode");
        peers = List.copyOf(peers);
        listening = List.copyOf(listening);
        dnsNames = List.copyOf(dnsNames);
        containers = List.copyOf(containers);
    }

    /**
     * A peer the workload connects to.
     *
     * @param name  {@code namespace/name} for workloads and services, the node name, the DNS name or
     *              address of an external peer, {@code kubernetes} for the API server
     * @param proto {@code tcp}, {@code udp} or {@code icmp}
     * @param apps  application protocols seen ({@code conn.service}, e.g. {@code http}, {@code ssl,http})
     */
    public record Peer(PeerKind kind, String name, int port, String proto, List<String> apps) {
        public Peer {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(proto, "proto");
            apps = List.copyOf(apps);
        }
    }

    /** A port the workload accepts connections on. */
    public record Listening(int port, String proto) {
        public Listening {
            Objects.requireNonNull(proto, "proto");
        }
    }

    /**
     * One container's facts.
     *
     * @param filesWritten  directories files were written in
     * @param tokenReaders  executables that read the service-account token
     */
    public record ContainerPolicy(String name, List<Process> processes, List<String> filesWritten,
                                  List<String> tokenReaders) {
        public ContainerPolicy {
            Objects.requireNonNull(name, "name");
            processes = List.copyOf(processes);
            filesWritten = List.copyOf(filesWritten);
            tokenReaders = List.copyOf(tokenReaders);
        }
    }

    /**
     * An executable and the argument shapes it ran with ({@link ArgShape}); {@code anyArgs} when it
     * ran with more shapes than the baseline keeps, so any arguments are accepted.
     *
     * @param exe  the executable's path ({@code proc.exepath})
     * @param name the process name ({@code proc.name}); differs from the file name for scripts and busybox applets
     */
    public record Process(String exe, String name, boolean anyArgs, List<String> args) {
        public Process {
            Objects.requireNonNull(exe, "exe");
            Objects.requireNonNull(name, "name");
            args = List.copyOf(args);
        }
    }
}
