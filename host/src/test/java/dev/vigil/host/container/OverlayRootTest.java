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
    void layersAndLinesAreBounded() {
        StringBuilder lower = new StringBuilder();
        for (int i = 0; i <= OverlayRoot.MAX_LOWER_DIRS; i++) {
            lower.append(i == 0 ? "" : ":").append("/l").append(i);
        }
        OverlayRoot o = OverlayRoot.parse("1 0 0:1 / / rw - overlay overlay rw,lowerdir=" + lower + ",upperdir=/u\n");
        assertThat(o.lowerDirs()).hasSize(OverlayRoot.MAX_LOWER_DIRS);
        String filler = "2 1 0:2 / /x rw - tmpfs tmpfs rw\n".repeat(OverlayRoot.MAX_LINES);
        assertThat(OverlayRoot.parse(filler + "3 1 0:3 / / rw - overlay overlay rw,lowerdir=/l,upperdir=/u\n"))
                .as("the root entry past MAX_LINES is not read").isNull();
        assertThat(OverlayRoot.parse(filler.substring(filler.indexOf('\n') + 1)
                + "3 1 0:3 / / rw - overlay overlay rw,lowerdir=/l,upperdir=/u\n")).isNotNull();
    }

    @Test
    void passwdNamesUsersToleratesGarbageAndIsBounded() {
        assertThat(Passwd.parse("root:x:0:0::/root:/bin/sh\nbad line\n:x:5:5\nweb:x:abc:1\nwww-data:x:33:33::/:/sbin/nologin"))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(0, "root", 33, "www-data"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= Passwd.MAX_USERS; i++) {
            many.append("u").append(i).append(":x:").append(i).append(":0::/:/bin/sh\n");
        }
        assertThat(Passwd.parse(many.toString())).hasSize(Passwd.MAX_USERS);
        assertThat(Passwd.parse(null)).isEmpty();
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
