package dev.vigil.net.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.NoticeRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanDetectorTest {

    private final List<NoticeRecord> notices = new ArrayList<>();
    private final ScanDetector detector = new ScanDetector(new ScanConfig(3, 3, Duration.ofMinutes(1)));

    private void conn(String src, String dst, int port, String proto, String history, long origPkts, long respPkts,
                      long mono) {
        ConnRecord c = new ConnRecord(mono / 1e6, "C1", new ConnId(src, 40000, dst, port, proto), null, null, 0, 0,
                "OTH", 0, history, origPkts, 0, respPkts, 0, null, -1, -1, null);
        detector.observe(c, mono, notices::add);
    }

    @Test
    void finNullAndXmasProbesCount() {
        conn("10.0.0.9", "10.0.0.1", 1, "tcp", "Fr", 1, 1, 1);
        conn("10.0.0.9", "10.0.0.1", 2, "tcp", "", 1, 0, 2);
        conn("10.0.0.9", "10.0.0.1", 3, "tcp", "F", 1, 0, 3);
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.note()).isEqualTo(ScanDetector.PORT_SCAN);
            assertThat(n.n()).isEqualTo(3);
        });
        assertThat(detector.attempts()).isEqualTo(3);
        assertThat(detector.scanners()).isEqualTo(1);
    }

    @Test
    void halfOpenSynScanCountsButCompletedHandshakesDoNot() {
        conn("10.0.0.9", "10.0.0.1", 1, "tcp", "ShR", 2, 1, 1);
        conn("10.0.0.9", "10.0.0.1", 2, "tcp", "ShAdDaFf", 5, 5, 2);
        conn("10.0.0.9", "10.0.0.1", 3, "tcp", "ShADadFf", 5, 5, 3);
        conn("10.0.0.9", "10.0.0.1", 4, "tcp", "Sr", 1, 1, 4);
        assertThat(notices).isEmpty();
        conn("10.0.0.9", "10.0.0.1", 5, "tcp", "S", 1, 0, 5);
        assertThat(notices).hasSize(1);
    }

    @Test
    void unansweredUdpProbesMakeAnAddressScan() {
        for (int i = 1; i <= 3; i++) {
            conn("10.0.0.9", "10.0.1." + i, 161, "udp", "D", 1, 0, i);
        }
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.note()).isEqualTo(ScanDetector.ADDRESS_SCAN);
            assertThat(n.p()).isEqualTo(161);
            assertThat(n.msg()).isEqualTo("10.0.0.9 scanned at least 3 unique hosts on port 161/udp in 0m0s");
        });
    }

    @Test
    void answeredUdpAndBroadcastDoNotCount() {
        for (int i = 1; i <= 5; i++) {
            conn("10.0.0.9", "10.0.1." + i, 53, "udp", "Dd", 1, 1, i);
            conn("10.0.0.9", "224.0.0." + i, 5353, "udp", "D", 1, 0, i);
        }
        assertThat(notices).isEmpty();
    }

    @Test
    void pingSweep() {
        for (int i = 1; i <= 3; i++) {
            conn("10.0.0.9", "10.0.1." + i, 0, "icmp", "", 1, 1, i);
        }
        ConnRecord echo = null;
        assertThat(notices).isEmpty();
        for (int i = 1; i <= 3; i++) {
            ConnRecord c = new ConnRecord(i, "C" + i, new ConnId("10.0.0.9", 8, "10.0.2." + i, 0, "icmp"), null, null,
                    56, 56, "OTH", 0, "", 1, 84, 1, 84, null, -1, -1, null);
            detector.observe(c, i * 1_000_000L, notices::add);
            echo = c;
        }
        assertThat(echo).isNotNull();
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.note()).isEqualTo(ScanDetector.PING_SWEEP);
            assertThat(n.msg()).isEqualTo("10.0.0.9 pinged at least 3 unique hosts in 0m2s");
        });
    }

    @Test
    void attemptsOutsideTheWindowAreForgotten() {
        conn("10.0.0.9", "10.0.0.1", 1, "tcp", "S", 1, 0, 0);
        conn("10.0.0.9", "10.0.0.1", 2, "tcp", "S", 1, 0, 1_000_000L);
        conn("10.0.0.9", "10.0.0.1", 3, "tcp", "S", 1, 0, 70_000_000L);
        assertThat(notices).isEmpty();
        detector.sweep(200_000_000L);
        assertThat(detector.scanners()).isZero();
    }

    @Test
    void aNoticeIsNotRepeatedWithinTheSuppressionTime() {
        for (int port = 1; port <= 9; port++) {
            conn("10.0.0.9", "10.0.0.1", port, "tcp", "S", 1, 0, port);
        }
        assertThat(notices).hasSize(1);
    }

    @Test
    void backscatterShapesNeverCount() {
        assertThat(ScanDetector.tcpProbe("^h", 0)).isFalse();
        assertThat(ScanDetector.tcpProbe("^hR", 1)).isFalse();
        assertThat(ScanDetector.tcpProbe("R", 1)).isFalse();
        assertThat(ScanDetector.tcpProbe("H", 1)).isFalse();
        assertThat(ScanDetector.tcpProbe("Sr", 1)).isTrue();
        assertThat(ScanDetector.tcpProbe("SW", 1)).isTrue();
    }

    @Test
    void thresholdsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScanConfig(1, 25, Duration.ofMinutes(5)))
                .hasMessage("--scan-ports must be at least 2, got 1");
    }
}
