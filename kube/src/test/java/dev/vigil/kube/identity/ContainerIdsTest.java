package dev.vigil.kube.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerIdsTest {

    private static final String ID = "4a4021c50439e3b9a1f0c2d4b6a8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091";

    @ParameterizedTest
    @ValueSource(strings = {"containerd://", "cri-o://", "docker://", ""})
    void fullIdInEveryForm(String scheme) {
        assertThat(ContainerIds.normalize(scheme + ID)).isEqualTo(ID);
        assertThat(ContainerIds.normalize(scheme + ID.toUpperCase())).isEqualTo(ID);
    }

    @Test
    void shortIdIsTwelveHexCharacters() {
        assertThat(ContainerIds.normalize(ID.substring(0, 12))).isEqualTo(ID.substring(0, 12));
        assertThat(ContainerIds.normalize(ID.substring(0, 11))).isNull();
        assertThat(ContainerIds.normalize(ID.substring(0, 13))).isNull();
        assertThat(ContainerIds.normalize(ID + "0")).isNull();
        assertThat(ContainerIds.normalize(ID.substring(0, 63) + "g")).isNull();
        assertThat(ContainerIds.normalize(null)).isNull();
    }

    @Test
    void runtimeIsTheScheme() {
        assertThat(ContainerIds.runtime("containerd://" + ID)).isEqualTo("containerd");
        assertThat(ContainerIds.runtime("cri-o://" + ID)).isEqualTo("cri-o");
        assertThat(ContainerIds.runtime(ID)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "docker.io/library/nginx@sha256:" + ID + "|sha256:" + ID,
            "docker-pullable://nginx@sha256:" + ID + "|sha256:" + ID,
            "sha256:" + ID + "|sha256:" + ID,
            "registry.local:5000/shop/api@sha256:" + ID + "|sha256:" + ID,
            "nginx:1.27|null",
            "sha256:abc|null",
            "|null",
    })
    void digestFromImageId(String imageId, String digest) {
        assertThat(ContainerIds.digest(imageId)).isEqualTo(digest);
    }
}
