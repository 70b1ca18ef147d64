package dev.vigil.lab.topology;

import java.util.List;
import java.util.Map;

/**
 * What the lab runs: namespaces (with labels, such as the Pod Security levels they ask for),
 * workloads (one pod each, with a fixed IP), services backed by one workload, secrets, and the
 * simulated internet hosts. Plain data; {@link DefaultTopology} defines the standard lab.
 *
 * @param namespaceLabels labels of namespaces beyond {@code kubernetes.io/metadata.name}, by namespace
 */
public record Topology(List<String> namespaces, Map<String, Map<String, String>> namespaceLabels, List<PodDef> pods,
                       List<ServiceDef> services, List<SecretDef> secrets, List<InternetHost> internet) {

    /** {@link InternetHost#kind()} of an attacker's host: the lab gives it an address and DNS names, the attack scenarios bring its servers. */
    public static final String ATTACKER = "attacker";

    public Topology {
        namespaces = List.copyOf(namespaces);
        namespaceLabels = Map.copyOf(namespaceLabels);
        pods = List.copyOf(pods);
        services = List.copyOf(services);
        secrets = List.copyOf(secrets);
        internet = List.copyOf(internet);
    }

    /** The controller that owns a pod. */
    public enum WorkloadKind {
        /** Deployment → ReplicaSet → Pod {@code <name>-<template hash>-<5 chars>}. */
        DEPLOYMENT,
        /** StatefulSet → Pod {@code <name>-0}. */
        STATEFULSET
    }

    /** One workload with one replica. */
    public record PodDef(String namespace, String workload, WorkloadKind kind, String serviceAccount, String ip,
                         Map<String, String> labels, List<ContainerDef> containers) {
        public PodDef {
            labels = Map.copyOf(labels);
            containers = List.copyOf(containers);
        }
    }

    /**
     * A container: its image reference, the command (empty: the image's default), the ports its
     * servers listen on (readiness is a TCP connect to each, from the pod's namespace), extra
     * environment, secrets mounted read-only ({@code secret name → mount path}), and emptyDir
     * volumes of medium Memory ({@code volume name → mount path}; a tmpfs without {@code noexec},
     * as kubelet mounts them — e.g. the {@code /dev/shm} databases are given).
     */
    public record ContainerDef(String name, String image, List<String> command, List<Port> ports, List<String> env,
                               Map<String, String> secretMounts, Map<String, String> memoryVolumes) {
        public ContainerDef {
            command = List.copyOf(command);
            ports = List.copyOf(ports);
            env = List.copyOf(env);
            secretMounts = Map.copyOf(secretMounts);
            memoryVolumes = Map.copyOf(memoryVolumes);
        }
    }

    /** A named port; protocol {@code TCP} or {@code UDP}. */
    public record Port(String name, int port, String protocol) {
    }

    /** A ClusterIP service whose single backend is the pod of {@code workload} in the same namespace. */
    public record ServiceDef(String namespace, String name, String clusterIp, List<Port> ports, String workload) {
        public ServiceDef {
            ports = List.copyOf(ports);
        }
    }

    /** An Opaque secret; its keys become files where a container mounts it. */
    public record SecretDef(String namespace, String name, Map<String, String> data) {
        public SecretDef {
            data = Map.copyOf(data);
        }
    }

    /**
     * A simulated internet host: a lab namespace (not a pod, not in the API) on 203.0.113.0/24
     * running a host program.
     *
     * @param kind {@code http} (busybox httpd), {@code tls} (openssl s_server) or {@value Topology#ATTACKER}
     *             (no server: attack scenarios start and stop their own)
     */
    public record InternetHost(String name, String ip, List<String> dnsNames, int port, String kind) {
        public InternetHost {
            dnsNames = List.copyOf(dnsNames);
        }

        /** The namespace holding this host: {@code vigil-lab-inet-<name>}. */
        public String netns() {
            return "vigil-lab-inet-" + name;
        }

        /** True for a host whose servers the attack scenarios bring ({@value Topology#ATTACKER}). */
        public boolean attacker() {
            return kind.equals(ATTACKER);
        }
    }

    /** The pod definition of a workload. */
    public PodDef pod(String namespace, String workload) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && p.workload().equals(workload)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + namespace + "/" + workload + " in the lab topology"));
    }
}
