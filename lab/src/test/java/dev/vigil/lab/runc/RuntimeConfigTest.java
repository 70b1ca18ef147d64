package dev.vigil.lab.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Map<String, Object> render() {
        ContainerSpec spec = new ContainerSpec(ID, "web-1", List.of("/bin/busybox", "httpd", "-f"), List.of("PATH=/usr/bin"), "/www",
                33, 33, Path.of("/lab/pods/p/containers/web/rootfs"), Path.of("/var/run/netns/vigil-lab-web-1"),
                Cgroups.containerPath("4f7567e2-5850-402e-aafb-f8f0ee31a1e5", ID),
                List.of(new ContainerSpec.BindMount(Path.of("/lab/pods/p/serviceaccount"),
                        "/var/run/secrets/kubernetes.io/serviceaccount", true),
                        new ContainerSpec.BindMount(Path.of("/lab/pods/p/etc/hosts"), "/etc/hosts", false)),
                Map.of("io.kubernetes.cri.sandbox-name", "web-1"));
        return RuntimeConfig.render(spec);
    }

    @Test
    @SuppressWarnings("unchecked")
    void joinsThePodNetworkNamespaceByPathAndOwnsTheOthers() {
        Map<String, Object> linux = (Map<String, Object>) render().get("linux");
        List<Map<String, Object>> ns = (List<Map<String, Object>>) linux.get("namespaces");
        assertThat(ns).extracting(m -> m.get("type")).containsExactlyInAnyOrder("pid", "ipc", "uts", "mount", "network");
        assertThat(ns).filteredOn(m -> m.get("type").equals("network")).singleElement()
                .satisfies(m -> assertThat(m.get("path")).isEqualTo("/var/run/netns/vigil-lab-web-1"));
        assertThat(ns).filteredOn(m -> !m.get("type").equals("network")).allSatisfy(m -> assertThat(m).doesNotContainKey("path"));
        assertThat(linux.get("cgroupsPath")).isEqualTo("/kubepods/besteffort/pod4f7567e2-5850-402e-aafb-f8f0ee31a1e5/" + ID);
    }

    @Test
    @SuppressWarnings("unchecked")
    void processRunsAsTheImageUserWithDefaultCapabilities() {
        Map<String, Object> process = (Map<String, Object>) render().get("process");
        assertThat((Map<String, Object>) process.get("user")).containsEntry("uid", 33).containsEntry("gid", 33);
        assertThat(process.get("args")).isEqualTo(List.of("/bin/busybox", "httpd", "-f"));
        assertThat(process.get("cwd")).isEqualTo("/www");
        Map<String, Object> caps = (Map<String, Object>) process.get("capabilities");
        assertThat((List<String>) caps.get("bounding")).contains("CAP_NET_RAW", "CAP_NET_BIND_SERVICE").doesNotContain("CAP_SYS_ADMIN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceAccountIsMountedReadOnlyAndHostsReadWrite() {
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) render().get("mounts");
        assertThat(mounts).filteredOn(m -> m.get("destination").equals("/var/run/secrets/kubernetes.io/serviceaccount")).singleElement()
                .satisfies(m -> assertThat((List<String>) m.get("options")).contains("rbind", "ro"));
        assertThat(mounts).filteredOn(m -> m.get("destination").equals("/etc/hosts")).singleElement()
                .satisfies(m -> assertThat((List<String>) m.get("options")).contains("rw"));
        assertThat(mounts).extracting(m -> m.get("destination")).contains("/proc", "/dev", "/dev/pts", "/dev/shm", "/sys");
        assertThat(mounts).filteredOn(m -> m.get("destination").equals("/sys")).singleElement()
                .satisfies(m -> assertThat((List<String>) m.get("options")).contains("ro"));
    }

    @Test
    void kubeletCgroupPaths() {
        assertThat(Cgroups.podPath("u-1")).isEqualTo("/kubepods/besteffort/podu-1");
        assertThat(Cgroups.containerPath("u-1", "abc")).isEqualTo("/kubepods/besteffort/podu-1/abc");
        assertThat(Cgroups.hierarchies()).isNotEmpty();
    }
}
