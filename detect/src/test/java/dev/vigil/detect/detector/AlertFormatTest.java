package dev.vigil.detect.detector;

import static dev.vigil.detect.detector.Lab.KUBE_DNS;
import static dev.vigil.detect.detector.Lab.POOL;
import static dev.vigil.detect.detector.Lab.T0;
import static dev.vigil.detect.detector.Lab.WEB;
import static dev.vigil.detect.detector.Lab.WEB_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A whole alert as Vigil writes it, against a golden file (the example in docs/detection.md). */
class AlertFormatTest {

    @Test
    void unexpectedEgressAlertMatchesTheGoldenFile() throws IOException {
        Baselines baselines = Lab.baselines();
        Lab.Collected out = new Lab.Collected();
        NetworkDetectors detectors = new NetworkDetectors(NetworkDetectorConfig.defaults(), baselines, new DnsNames(),
                Lab.alerts());
        detectors.record(Lab.a(T0, WEB_1, "api.github.com", "203.0.113.10"), WEB_1, KUBE_DNS, null, out);
        baselines.setMode(WEB, Mode.MONITOR, (long) (T0 * 1e9));
        detectors.record(Lab.a(T0 + 1, WEB_1, "api.github.com", "203.0.113.66"), WEB_1, KUBE_DNS, null, out);
        detectors.record(Lab.tcp(T0 + 1.5, WEB_1, POOL, 8443, "ssl", true), WEB_1, POOL, null, out);
        assertThat(out.alerts).hasSize(1);
        String json = out.alerts.getFirst().toJson().replaceFirst("\"id\":\"[0-9A-Z]{26}\"", "\"id\":\"<id>\"");
        try (InputStream in = AlertFormatTest.class.getResourceAsStream("/alert/unexpected-egress.json")) {
            assertThat(json).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
