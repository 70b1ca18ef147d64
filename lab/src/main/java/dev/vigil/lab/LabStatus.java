package dev.vigil.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running lab as tests and commands see it: where its kubeconfig is, and every pod with its
 * IP, network namespace and containers (id, image, digest, init pid) — the same facts the lab
 * registered in its API server.
 */
public record LabStatus(String dir, String kubeconfig, String apiServer, List<Pod> pods) {

    public LabStatus {
        pods = List.copyOf(pods);
    }

    /**
     * One pod.
     *
     * @param netns     the named network namespace ({@code /var/run/netns/<netns>})
     * @param hostVeth  the host end of its veth pair, on the lab bridge
     * @param workload  the owning Deployment or StatefulSet
     */
    public record Pod(String namespace, String name, String uid, String workload, String workloadKind, String ip,
                      String netns, String hostVeth, String node, List<Container> containers) {
        public Pod {
            containers = List.copyOf(containers);
        }

        /** The container named {@code name}. */
        public Container container(String name) {
            return containers.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("pod " + namespace + "/" + this.name + " has no container " + name
                            + "; it has " + containers.stream().map(Container::name).toList()));
        }
    }

    /**
     * One container.
     *
     * @param id          64 hex digits; the API reports it as {@code containerd://<id>}
     * @param imageDigest the manifest digest {@code sha256:…} in the lab's OCI layout
     * @param pid         the container's init process, in the host pid namespace
     * @param cgroup      the kubelet-style cgroup path
     */
    public record Container(String name, String id, String image, String imageDigest, long pid, String cgroup) {
    }

    /** The pod of a workload ({@code frontend}, {@code postgres} …) in a namespace. */
    public Pod pod(String namespace, String workload) {
        return pods.stream().filter(p -> p.namespace().equals(namespace)
                        && (p.workload().equals(workload) || p.name().equals(workload))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pod of " + namespace + "/" + workload + " in the lab; pods: "
                        + pods.stream().map(p -> p.namespace() + "/" + p.name()).toList()));
    }

    /** The JSON shape of {@code vigil lab status --json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kubeconfig", kubeconfig);
        List<Object> list = new ArrayList<>();
        for (Pod p : pods) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("namespace", p.namespace());
            m.put("name", p.name());
            m.put("ip", p.ip());
            m.put("netns", p.netns());
            m.put("node", p.node());
            List<Object> cs = new ArrayList<>();
            for (Container c : p.containers()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("name", c.name());
                cm.put("id", c.id());
                cm.put("image", c.image());
                cm.put("imageDigest", c.imageDigest());
                cm.put("pid", c.pid());
                cs.add(cm);
            }
            m.put("containers", cs);
            list.add(m);
        }
        root.put("pods", list);
        return root;
    }
}
