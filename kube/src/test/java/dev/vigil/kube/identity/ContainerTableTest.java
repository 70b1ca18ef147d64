package dev.vigil.kube.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContainerTableTest {

    private static final long S = 1_000_000_000L;

    private static ContainerIdentity identity(String id, String pod) {
        return new ContainerIdentity(id, "containerd", "shop", pod, "uid-" + pod, "app", "registry.local/shop/api:1.2",
                "sha256:" + KubeObjects.containerId(99), new WorkloadRef("shop", "Deployment", "api"));
    }

    @Test
    void findsByEveryForm() {
        ContainerTable t = new ContainerTable(HistorySettings.DEFAULTS);
        String id = KubeObjects.containerId(1);
        ContainerIdentity c = identity(id, "api-1");
        t.put(c);
        for (String form : new String[] {id, "containerd://" + id, "cri-o://" + id, "docker://" + id,
                id.toUpperCase(), id.substring(0, 12), "containerd://" + id.substring(0, 12)}) {
            assertThat(t.find(form)).as(form).containsSame(c);
        }
        assertThat(t.find(KubeObjects.containerId(2))).isEmpty();
        assertThat(t.find("not-an-id")).isEmpty();
        assertThat(t.find(null)).isEmpty();
    }

    @Test
    void ambiguousShortIdResolvesToNothing() {
        ContainerTable t = new ContainerTable(HistorySettings.DEFAULTS);
        String a = "abcdef012345" + KubeObjects.containerId(1).substring(12);
        String b = "abcdef012345" + KubeObjects.containerId(2).substring(12);
        t.put(identity(a, "p-a"));
        assertThat(t.find("abcdef012345")).isPresent();
        t.put(identity(b, "p-b"));
        assertThat(t.find("abcdef012345")).as("two containers share the prefix").isEmpty();
        assertThat(t.find(a)).isPresent();
        assertThat(t.find(b)).isPresent();
    }

    @Test
    void goneContainersStayForTheRetention() {
        ContainerTable t = new ContainerTable(HistorySettings.DEFAULTS.withRetention(Duration.ofMinutes(5)));
        String id = KubeObjects.containerId(3);
        t.put(identity(id, "job-1"));
        t.markGone(id, 100 * S);
        assertThat(t.find(id)).isPresent();
        assertThat(t.gone()).isEqualTo(1);
        t.expire((100 + 300) * S);
        assertThat(t.find(id)).isPresent();
        t.expire((100 + 300) * S + 1);
        assertThat(t.find(id)).isEmpty();
        assertThat(t.find(id.substring(0, 12))).isEmpty();
        assertThat(t.expired()).isEqualTo(1);
        assertThat(t.gone()).isZero();
    }

    @Test
    void goneContainersKeepTheLimitFirstGoneFirstOut() {
        int limit = 5;
        ContainerTable t = new ContainerTable(HistorySettings.DEFAULTS.withMaxGoneContainers(limit));
        for (int i = 0; i <= limit; i++) {
            String id = KubeObjects.containerId(100 + i);
            t.put(identity(id, "p" + i));
            t.markGone(id, (10 + i) * S);
        }
        String live = KubeObjects.containerId(200);
        t.put(identity(live, "live"));
        assertThat(t.gone()).isEqualTo(limit);
        assertThat(t.evicted()).isEqualTo(1);
        assertThat(t.find(KubeObjects.containerId(100))).as("first gone, first evicted").isEmpty();
        for (int i = 1; i <= limit; i++) {
            assertThat(t.find(KubeObjects.containerId(100 + i))).isPresent();
        }
        assertThat(t.find(live)).isPresent();
        assertThat(t.live()).isEqualTo(1);
    }

    @Test
    void lookupsOfKnownIdsReturnTheSameOptional() {
        ContainerTable t = new ContainerTable(HistorySettings.DEFAULTS);
        String id = KubeObjects.containerId(4);
        t.put(identity(id, "api-1"));
        assertThat(t.find(id)).isSameAs(t.find(id)).isSameAs(t.find(id.substring(0, 12)));
    }
}
