package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessTableTest {

    @Test
    void fullTableCountsOverflowAtLimitPlusOne() {
        ProcessTable t = new ProcessTable(4);
        for (int pid = 1; pid <= 4; pid++) {
            assertThat(t.put(pid)).isNotNull();
        }
        assertThat(t.put(5)).isNull();
        assertThat(t.overflows()).isEqualTo(1);
        t.remove(2);
        assertThat(t.put(5)).isNotNull();
    }

    @Test
    void ancestorsWalkUpTheTable() {
        ProcessTable t = new ProcessTable(16);
        int[][] chain = {{1, 0}, {10, 1}, {20, 10}, {30, 20}};
        String[] names = {"init", "containerd-shim", "sh", "nc"};
        for (int i = 0; i < chain.length; i++) {
            ProcessTable.Entry e = t.put(chain[i][0]);
            e.ppid = chain[i][1];
            e.name = names[i];
        }
        List<String> got = new ArrayList<>();
        long[] pids = new long[3];
        t.ancestors(30, 3, got, pids);
        assertThat(got).containsExactly("nc", "sh", "containerd-shim");
        assertThat(pids).containsExactly(30, 20, 10);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void behavesLikeAMapUnderRandomChurn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ProcessTable t = new ProcessTable(512);
        Map<Integer, String> model = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            int pid = 1 + r.nextInt(700);
            if (r.nextBoolean()) {
                ProcessTable.Entry e = t.put(pid);
                if (e != null) {
                    e.name = "p" + i;
                    model.put(pid, e.name);
                } else {
                    assertThat(model).as("seed %d: put refused only when full", seed).hasSize(512);
                }
            } else {
                t.remove(pid);
                model.remove(pid);
            }
            ProcessTable.Entry probe = t.get(pid);
            assertThat(probe == null ? null : probe.name).as("seed %d step %d", seed, i).isEqualTo(model.get(pid));
        }
        assertThat(t.size()).isEqualTo(model.size());
    }
}
