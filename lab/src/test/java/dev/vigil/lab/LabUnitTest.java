package dev.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.lab.topology.DefaultTopology;
import dev.vigil.lab.topology.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lab's pure pieces: naming, resolv.conf, status lookup and JSON, the daemon class path. */
class LabUnitTest {

    @Test
    void resolvConfLikeKubelet() {
        assertThat(LabRuntime.resolvConf("shop-web")).isEqualTo(
                "search shop-web.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
    }

    @Test
    void templateHashIsStableAndKubernetesShaped() {
        Topology.PodDef def = DefaultTopology.create().pod("shop-web", "frontend");
        assertThat(LabRuntime.templateHash(def)).isEqualTo(LabRuntime.templateHash(DefaultTopology.create().pod("shop-web", "frontend")))
                .matches("[bcdfghjklmnpqrstvwxz2456789]{10}")
                .isNotEqualTo(LabRuntime.templateHash(DefaultTopology.create().pod("shop-api", "api")));
    }

    @Test
    void statusFindsPodsByWorkloadOrNameAndRendersTheDocumentedJson() {
        LabStatus.Container c = new LabStatus.Container("web", "ab".repeat(32), "vigil.test/shop/frontend:1.4.2", "sha256:" + "cd".repeat(32),
                42, "/kubepods/besteffort/podu/x");
        LabStatus.Pod pod = new LabStatus.Pod("shop-web", "frontend-abc-xyz", "u", "frontend", "Deployment", "10.244.1.10",
                "vigil-lab-shop-web-frontend-abc-xyz", "vigil0123456789", "vigil-node", List.of(c));
        LabStatus status = new LabStatus("/var/lib/vigil-lab", "/var/lib/vigil-lab/kubeconfig", "https://127.0.0.1:1", List.of(pod));
        assertThat(status.pod("shop-web", "frontend")).isSameAs(pod);
        assertThat(status.pod("shop-web", "frontend-abc-xyz")).isSameAs(pod);
        assertThatThrownBy(() -> status.pod("shop-web", "api")).hasMessageContaining("no pod of shop-web/api in the lab")
                .hasMessageContaining("shop-web/frontend-abc-xyz");
        assertThatThrownBy(() -> pod.container("db")).hasMessageContaining("has no container db").hasMessageContaining("[web]");
        Map<String, Object> json = status.toJson();
        assertThat(json.keySet()).containsExactly("kubeconfig", "pods");
        @SuppressWarnings("unchecked")
        Map<String, Object> p = ((List<Map<String, Object>>) json.get("pods")).getFirst();
        assertThat(p.keySet()).containsExactly("namespace", "name", "ip", "netns", "node", "containers");
        @SuppressWarnings("unchecked")
        Map<String, Object> cj = ((List<Map<String, Object>>) p.get("containers")).getFirst();
        assertThat(cj).containsExactly(Map.entry("name", "web"), Map.entry("id", "ab".repeat(32)),
                Map.entry("image", "vigil.test/shop/frontend:1.4.2"), Map.entry("imageDigest", "sha256:" + "cd".repeat(32)),
                Map.entry("pid", 42L));
    }

    @Test
    void daemonClassPathHasNoManifestOnlyJarLeftUnexpanded() {
        String cp = Lab.daemonClasspath();
        assertThat(cp).contains("jackson-databind").contains("kubernetes-server-mock");
    }

    @Test
    void hostVethNamesFitTheKernelLimitAndAreFoundByTheSweeper() {
        String veth = dev.vigil.lab.netns.Netns.hostVeth("vigil-lab-shop-web-frontend-abc-xyz");
        assertThat(veth).hasSize(15).matches("vigil[0-9a-f]{10}");
        assertThat(dev.vigil.lab.netns.Netns.hostVeth("vigil-lab-shop-web-frontend-abc-xyz")).isEqualTo(veth);
    }
}
