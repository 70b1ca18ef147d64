package dev.vigil.agent.pods;

import dev.vigil.model.identity.ContainerIdentity;

/**
 * A pod's network as the agent found it on this node: its network namespace, a process inside it,
 * the host end of its veth (where the agent captures) and, once the cluster names its container, the
 * pod.
 *
 * @param netNs       the network namespace's inode
 * @param pid         a process in the namespace (host pid), for entering it
 * @param containerId the full id of that process's container
 * @param identity    the container as the cluster names it (namespace, pod, workload), or null while unknown
 * @param iface       the host-side interface of the pod's {@code eth0}
 * @param ifindex     its index in the host's namespace
 */
public record PodNetwork(long netNs, int pid, String containerId, ContainerIdentity identity, String iface, int ifindex) {

    /** {@code namespace/pod}, or the interface and container while the pod is not known. */
    public String label() {
        return identity != null ? identity.namespace() + "/" + identity.pod()
                : iface + " (container " + containerId.substring(0, Math.min(12, containerId.length())) + ")";
    }

    /** True when this is pod {@code namespace/name}. */
    public boolean is(String namespace, String name) {
        return identity != null && identity.namespace().equals(namespace) && identity.pod().equals(name);
    }

    PodNetwork withIdentity(ContainerIdentity id, int newPid, String newContainerId) {
        return new PodNetwork(netNs, newPid, newContainerId, id, iface, ifindex);
    }
}
