package dev.vigil.host.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupContainerTest {

    static final String ID = "3f4b6c1d2e5a7980a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234.slice/cri-containerd-ID.scope|containerd",
            "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podab_cd.slice/crio-ID.scope|cri-o",
            "12:memory:/kubepods/burstable/pod0c1d/crio-ID|cri-o",
            "0::/system.slice/docker-ID.scope|docker",
            "11:pids:/docker/ID|docker",
            "4:memory:/kubepods/besteffort/pod9b0e4f6a-1111-2222-3333-444455556666/ID|null",
            "1:name=systemd:/kubepods/pod1/ID|null"})
    void recognisesRuntimeLayouts(String line, String runtime) {
        CgroupContainer.Ref ref = CgroupContainer.parse("5:cpu:/\n" + line.replace("ID", ID) + "\n");
        assertThat(ref).isNotNull();
        assertThat(ref.id()).isEqualTo(ID);
        assertThat(ref.runtime()).isEqualTo(runtime);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0::/", "0::/user.slice/user-0.slice/session-1.scope",
            "0::/kubepods.slice/crio-conmon-ID.scope", "0::/kubepods/besteffort/pod1/ID-extra",
            "0::/kubepods/besteffort/pod1/" + "g" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "garbage without colons", ""})
    void hostAndForeignPathsNameNoContainer(String line) {
        assertThat(CgroupContainer.parse(line.replace("ID", ID))).isNull();
    }

    @Test
    void linesLongerThanTheLimitAreSkipped() {
        String longLine = "0::/" + "x/".repeat(CgroupContainer.MAX_LINE / 2) + ID;
        assertThat(CgroupContainer.parse(longLine)).isNull();
        assertThat(CgroupContainer.parse(longLine + "\n1:pids:/docker/" + ID)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34})
    void mutatedContentNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = ("12:memory:/kubepods/burstable/pod0c1d/crio-" + ID + "\n0::/system.slice/docker-" + ID + ".scope\n")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5000; i++) {
            byte[] m = Mutations.mutate(random, valid);
            try {
                CgroupContainer.Ref r = CgroupContainer.parse(m, m.length);
                if (r != null) {
                    assertThat(r.id()).hasSize(64);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e, e);
            }
        }
    }
}
