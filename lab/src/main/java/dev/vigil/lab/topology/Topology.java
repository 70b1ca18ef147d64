package dev.vigil.lab.topology;

import java.util.List;
import java.util.Map;

/**
 * What the lab runs: namespaces, workloads (one pod each, with a fixed IP), services backed by
 * one workload, secrets, and the simulated internet hosts. Plain data; {@link DefaultTopology}
 * defines the standard lab.
 */
public record Topology(List<String> namespaces, List<PodDef> pods, List<ServiceDef> services,
                       List<SecretDef> secrets, List<InternetHost> internet) {

    public Topology {
        namespaces = List.copyOf(namespaces);
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
     * environment, and secrets mounted read-only ({@code secret name → mount path}).
     */
    public record ContainerDef(String name, String image, List<String> command, List<Port> ports, List<String> env,
                               Map<String, String> secretMounts) {
        public ContainerDef {
            command = List.copyOf(command);
            ports = List.copyOf(ports);
            env = List.copyOf(env);
            secretMounts = Map.copyOf(secretMounts);
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
     * @param kind {@code http} (busybox httpd) or {@code tls} (openssl s_server)
     */
    public record InternetHost(String name, String ip, List<String> dnsNames, int port, String kind) {
        public InternetHost {
            dnsNames = List.copyOf(dnsNames);
        }

        /** The namespace holding this host: {@code vigil-lab-inet-<name>}. */
        public String netns() {
            return "vigil-lab-inet-" + name;
        }
    }

    /** The pod definition of a workload. */
    public PodDef pod(String namespace, String workload) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && p.workload().equals(workload)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + namespace + "/" + workload + " in the lab topology"));
    }
}
