package dev.vigil.net.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.NoticeRecord;
import dev.vigil.net.analysis.CorpusRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every notice of bro-simple-scan's baselines, with the thresholds its tests redefine, and its negative
 * case; on one pipeline, and through the parallel path ({@link ParallelScanConformanceTest}).
 */
class ScanConformanceTest {

    /** Flow threads: 1 is the single-threaded pipeline. */
    int workers() {
        return 1;
    }

    private List<NoticeRecord> notices(String trace, int ports, int hosts) {
        return CorpusRun.run(CorpusRun.pcap("bro-simple-scan/testing/pcaps/" + trace),
                new ScanConfig(ports, hosts, Duration.ofMinutes(5)), null, 0, workers()).notices();
    }

    @Test
    void portScanOfOneHost() {
        List<NoticeRecord> n = notices("port_scan.pcap", 5, 25);
        assertThat(n).hasSize(1);
        assertThat(n.getFirst().note()).isEqualTo("Scan::Port_Scan");
        assertThat(n.getFirst().src()).isEqualTo("192.168.2.154");
        assertThat(n.getFirst().dst()).isEqualTo("192.168.2.22");
        assertThat(n.getFirst().msg()).startsWith("192.168.2.154 scanned at least 5 unique ports on host 192.168.2.22 in ");
    }

    @Test
    void addressScanOn445WithBackwardsTimestamps() {
        List<NoticeRecord> n = notices("445_scan.pcap", 15, 9);
        assertThat(n).hasSize(1);
        assertThat(n.getFirst().note()).isEqualTo("Scan::Address_Scan");
        assertThat(n.getFirst().src()).isEqualTo("176.192.150.3");
        assertThat(n.getFirst().p()).isEqualTo(445);
        assertThat(n.getFirst().msg()).startsWith("176.192.150.3 scanned at least 9 unique hosts on port 445/tcp in ");
    }

    @Test
    void addressScanOnPort23WithZeroWindows() {
        List<NoticeRecord> n = notices("scan_with_zero_windows.pcap", 15, 5);
        assertThat(n).hasSize(1);
        assertThat(n.getFirst().src()).isEqualTo("10.0.0.1");
        assertThat(n.getFirst().p()).isEqualTo(23);
        assertThat(n.getFirst().msg()).startsWith("10.0.0.1 scanned at least 5 unique hosts on port 23/tcp in ");
    }

    @Test
    void addressScanOverThreePorts() {
        List<NoticeRecord> n = notices("multiport_scan.pcap", 15, 5);
        assertThat(n).hasSize(1);
        assertThat(n.getFirst().note()).isEqualTo("Scan::Address_Scan");
        assertThat(n.getFirst().src()).isEqualTo("125.27.226.209");
        assertThat(n.getFirst().p()).isNull();
        assertThat(n.getFirst().msg()).matches(
                "125\\.27\\.226\\.209 scanned at least 5 unique hosts on ports \\d+/tcp, \\d+/tcp, \\d+/tcp in .*");
    }

    @Test
    void backscatterNeverTriggersEvenWithLowThresholds() {
        assertThat(notices("backscatter.trace", 2, 2)).isEmpty();
    }

    @Test
    void defaultThresholdsStayQuietOnTheSmallScans() {
        for (String trace : List.of("port_scan.pcap", "scan_with_zero_windows.pcap", "multiport_scan.pcap")) {
            assertThat(notices(trace, ScanConfig.DEFAULT_PORTS, ScanConfig.DEFAULT_HOSTS)).as(trace).isEmpty();
        }
    }
}
