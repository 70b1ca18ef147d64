package dev.vigil.model.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerIdentityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "nginx|nginx|null",
            "nginx:1.27|nginx|1.27",
            "docker.io/library/nginx:1.27-alpine|docker.io/library/nginx|1.27-alpine",
            "registry.local:5000/shop/api:1.4.2|registry.local:5000/shop/api|1.4.2",
            "registry.local:5000/shop/api|registry.local:5000/shop/api|null",
            "registry.local:5000/shop/api@sha256:0123|registry.local:5000/shop/api|null",
            "nginx:1.27@sha256:0123|nginx|1.27",
    })
    void imageRepositoryAndTag(String image, String repository, String tag) {
        ContainerIdentity c = new ContainerIdentity("id", "containerd", "ns", "pod", "uid", "app", image, null,
                new WorkloadRef("ns", "Pod", "pod"));
        assertThat(c.imageRepository()).isEqualTo(repository);
        assertThat(c.imageTag()).isEqualTo(tag);
    }
}
