package dev.vigil.host.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OverlayRootTest {

    static final String MOUNTINFO = """
            75 49 0:39 / / rw,relatime - overlay overlay rw,lowerdir=/var/lib/c/l2:/var/lib/c/l1,upperdir=/var/lib/c/with\\040space/fs,workdir=/var/lib/c/work,uuid=on
            76 75 0:42 / /proc rw,relatime - proc proc rw
            77 75 0:43 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755
            """;

    @Test
    void findsUpperAndLowerLayersOfTheRoot() {
        OverlayRoot o = OverlayRoot.parse(MOUNTINFO);
        assertThat(o.upperDir()).isEqualTo("/var/lib/c/with space/fs");
        assertThat(o.lowerDirs()).containsExactly("/var/lib/c/l2", "/var/lib/c/l1");
    }

    @Test
    void optionalFieldsAndStackedRootMounts() {
        String info = "21 1 8:1 / / rw shared:1 master:2 - ext4 /dev/sda1 rw\n"
                + "90 21 0:50 / / rw shared:9 - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n";
        assertThat(OverlayRoot.parse(info).upperDir()).isEqualTo("/u");
    }

    @Test
    void nonOverlayRootIsNull() {
        assertThat(OverlayRoot.parse("21 1 8:1 / / rw - ext4 /dev/sda1 rw\n")).isNull();
        assertThat(OverlayRoot.parse("")).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {41, 42, 43})
    void mutatedContentNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = MOUNTINFO.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3000; i++) {
            String m = new String(Mutations.mutate(random, valid), StandardCharsets.UTF_8);
            try {
                OverlayRoot.parse(m);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
            }
        }
    }
}
