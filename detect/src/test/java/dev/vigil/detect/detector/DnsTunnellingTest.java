package dev.vigil.detect.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.detect.detector.DnsTunnelling.Finding;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DnsTunnellingTest {

    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_764_000_000L * S;
    private static final int A = 1;
    private static final int TXT = 16;
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private final DnsTunnelling dns = new DnsTunnelling(DnsTunnelConfig.defaults());

    /** An iodine-style query: base32-encoded data in 50-character labels under the tunnel domain. */
    static String tunnelQuery(SplittableRandom random, String domain) {
        StringBuilder b = new StringBuilder();
        for (int label = 0; label < 2; label++) {
            for (int i = 0; i < 50; i++) {
                b.append(BASE32.charAt(random.nextInt(BASE32.length())));
            }
            b.append('.');
        }
        return b.append(domain).toString();
    }

    @Test
    void encodedDataInQueryNamesIsFoundAfterAFewQueries() {
        SplittableRandom random = new SplittableRandom(1);
        String first = tunnelQuery(random, "t.evil.example");
        for (int i = 0; i < 10; i++) {
            assertThat(dns.query("shop", "web-1", first, A, T0)).as("a repeated name is one").isEqualTo(Finding.NONE);
        }
        for (int i = 1; i < DnsTunnelConfig.DEFAULT_SUSPICIOUS_QUERIES - 1; i++) {
            assertThat(dns.query("shop", "web-1", tunnelQuery(random, "t.evil.example"), A, T0 + i)).isEqualTo(Finding.NONE);
        }
        assertThat(dns.query("shop", "web-1", tunnelQuery(random, "t.evil.example"), A, T0 + 9)).isEqualTo(Finding.HIGH_ENTROPY);
        assertThat(dns.lastDomain()).isEqualTo("evil.example");
        assertThat(dns.lastEntropy()).isGreaterThan(4.5);
        assertThat(dns.lastCounts()).containsExactly(5, 5, 0);
        assertThat(dns.query("shop", "web-1", tunnelQuery(random, "t.evil.example"), A, T0 + 10))
                .as("reported once per window").isEqualTo(Finding.NONE);
    }

    @Test
    void manyDifferentSubdomainsAreFoundEvenWhenShort() {
        Finding last = Finding.NONE;
        for (int i = 0; i < DnsTunnelConfig.DEFAULT_UNIQUE_SUBDOMAINS; i++) {
            last = dns.query("shop", "web-1", "c" + i + ".exfil.example", A, T0 + i);
            if (i < DnsTunnelConfig.DEFAULT_UNIQUE_SUBDOMAINS - 1) {
                assertThat(last).isEqualTo(Finding.NONE);
            }
        }
        assertThat(last).isEqualTo(Finding.UNIQUE_SUBDOMAINS);
        assertThat(dns.lastCounts()[1]).isEqualTo(DnsTunnelConfig.DEFAULT_UNIQUE_SUBDOMAINS);
    }

    @Test
    void aTxtBurstIsFound() {
        for (int i = 1; i < DnsTunnelConfig.DEFAULT_TXT_QUERIES; i++) {
            assertThat(dns.query("shop", "web-1", "cmd.c2.example", TXT, T0 + i)).isEqualTo(Finding.NONE);
        }
        assertThat(dns.query("shop", "web-1", "cmd.c2.example", TXT, T0 + 100)).isEqualTo(Finding.TXT_BURST);
    }

    @Test
    void countsStartAgainInANewWindowAndArePerPod() {
        for (int i = 1; i < DnsTunnelConfig.DEFAULT_TXT_QUERIES; i++) {
            dns.query("shop", "web-1", "cmd.c2.example", TXT, T0);
            dns.query("shop", "web-2", "cmd.c2.example", TXT, T0);
        }
        assertThat(dns.query("shop", "web-1", "cmd.c2.example", TXT, T0 + 60 * S)).isEqualTo(Finding.NONE);
        assertThat(dns.query("shop", "web-2", "cmd.c2.example", TXT, T0 + 59 * S)).isEqualTo(Finding.TXT_BURST);
        SplittableRandom random = new SplittableRandom(2);
        for (int w = 0; w < 2; w++) {
            long start = T0 + w * 61 * S;
            for (int i = 0; i < DnsTunnelConfig.DEFAULT_SUSPICIOUS_QUERIES - 1; i++) {
                dns.query("ops", "job", tunnelQuery(random, "evil.example"), A, start + i);
            }
            assertThat(dns.query("ops", "job", tunnelQuery(random, "evil.example"), A, start + 2 * S))
                    .as("window %d", w).isEqualTo(Finding.HIGH_ENTROPY);
        }
    }

    @Test
    void everydayNamesAtEverydayRatesAreQuiet() {
        List<String> names = List.of("www.google.com", "api.github.com", "s3.us-east-1.amazonaws.com",
                "internal-shop-api-lb-1234567890.us-east-1.elb.amazonaws.com", "d3j0ir2z7h5x1k.cloudfront.net",
                "1a2b3c4d5e.execute-api.eu-west-1.amazonaws.com", "ocsp.digicert.com", "registry-1.docker.io",
                "production.cloudflare.docker.com", "my-svc.default.svc.cluster.local",
                "api.github.com.shop.svc.cluster.local", "10.0.244.10.in-addr.arpa", "login.microsoftonline.com",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com", "www.bbc.co.uk", "news.bbc.co.uk",
                "sentry.io", "o123456.ingest.sentry.io", "fonts.googleapis.com", "fcm.googleapis.com",
                "storage.googleapis.com", "oauth2.googleapis.com", "pubsub.googleapis.com", "_dmarc.example.com",
                "mail.example.com", "telemetry-incoming.r53-2.services.mozilla.com", "e1234.dscb.akamaiedge.net",
                "a-0001.a-msedge.net", "shop-db.cluster-c9akciq32.us-east-1.rds.amazonaws.com");
        long t = T0;
        for (int round = 0; round < 20; round++) {
            for (String n : names) {
                t += 50_000_000L;
                if (n.startsWith("_dmarc") && round % 4 != 0) {
                    continue;
                }
                assertThat(dns.query("shop", "web-1", n, n.startsWith("_dmarc") ? TXT : A, t)).as(n).isEqualTo(Finding.NONE);
            }
        }
    }

    @Test
    void aHashedKubernetesServiceNameIsLongButNotRandomEnoughAlone() {
        String n = "internal-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6-1234567890.eu-central-1.elb.amazonaws.com";
        for (int i = 0; i < 100; i++) {
            assertThat(dns.query("shop", "web-1", n, A, T0 + i * S / 10)).isEqualTo(Finding.NONE);
        }
    }

    @Test
    void registeredDomainsFollowGenericSecondLevelsUnderCountryCodes() {
        dns.query("a", "p", "x1.y2.example.co.uk", A, T0);
        assertThat(dns.lastDomain()).isEqualTo("example.co.uk");
        dns.query("a", "p", "x1.Y2.Example.COM.", A, T0);
        assertThat(dns.lastDomain()).isEqualTo("example.com");
        dns.query("a", "p", "x1.example.de", A, T0);
        assertThat(dns.lastDomain()).isEqualTo("example.de");
        dns.query("a", "p", "x1.example.io.uk", A, T0);
        assertThat(dns.lastDomain()).isEqualTo("io.uk");
        assertThat(dns.query("a", "p", "localhost", A, T0)).isEqualTo(Finding.NONE);
        assertThat(dns.query("a", "p", null, A, T0)).isEqualTo(Finding.NONE);
        assertThat(dns.query("a", "p", "", A, T0)).isEqualTo(Finding.NONE);
        assertThat(dns.query("a", "p", ".", A, T0)).isEqualTo(Finding.NONE);
    }

    @Test
    void entropyIsShannonsInBitsPerCharacter() {
        int[] counts = new int[128];
        assertThat(DnsTunnelling.entropy("aaaa", 0, 4, counts)).isZero();
        assertThat(DnsTunnelling.entropy("ab.cd", 0, 5, counts)).isCloseTo(2.0, within(1e-9));
        assertThat(DnsTunnelling.entropy("0123456789abcdef", 0, 16, counts)).isCloseTo(4.0, within(1e-9));
        assertThat(DnsTunnelling.entropy("AbAb", 0, 4, counts)).isCloseTo(1.0, within(1e-9));
        assertThat(DnsTunnelling.entropy("", 0, 0, counts)).isZero();
        assertThat(DnsTunnelling.entropy("ééé", 0, 3, counts)).isZero();
    }

    @Test
    void trackedPairsAreBoundedAtLimitPlusOneLeastRecentFirst() {
        DnsTunnelling small = new DnsTunnelling(new DnsTunnelConfig(Duration.ofSeconds(60), 30, 3.5, 3, 50, 2, 2, List.of()));
        small.query("a", "p", "x.one.example", TXT, T0);
        small.query("a", "p", "x.two.example", TXT, T0);
        small.query("a", "p", "x.one.example", A, T0);
        assertThat(small.tracked()).isEqualTo(2);
        assertThat(small.evictions()).isZero();
        small.query("a", "p", "x.three.example", TXT, T0);
        assertThat(small.tracked()).isEqualTo(2);
        assertThat(small.evictions()).isEqualTo(1);
        assertThat(small.query("a", "p", "x.one.example", TXT, T0)).as("one was kept").isEqualTo(Finding.TXT_BURST);
        assertThat(small.query("a", "p", "x.two.example", TXT, T0)).as("two was dropped, counts anew").isEqualTo(Finding.NONE);
        assertThat(small.evictions()).isEqualTo(2);
    }

    @Test
    void evictionKeepsEveryRemainingPairFindable() {
        DnsTunnelling small = new DnsTunnelling(new DnsTunnelConfig(Duration.ofSeconds(60), 30, 3.5, 3, 50, 1000, 64, List.of()));
        SplittableRandom random = new SplittableRandom(3);
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String d = "x.d" + random.nextInt(200) + ".example";
            small.query("a", "p", d, TXT, T0);
            live.remove(d);
            live.add(d);
            if (live.size() > 64) {
                live.removeFirst();
            }
        }
        assertThat(small.tracked()).isEqualTo(64);
        long before = small.evictions();
        for (String d : live) {
            small.query("a", "p", d, A, T0);
        }
        assertThat(small.evictions()).as("all 64 most recent pairs are still tracked").isEqualTo(before);
    }

    @Test
    void namesAreReadUpToTheLimit() {
        String label = "a".repeat(DnsTunnelling.MAX_NAME_CHARS - ".x.example".length());
        dns.query("a", "p", label + ".x.example", A, T0);
        assertThat(dns.lastDomain()).isEqualTo("x.example");
        dns.query("a", "p", label + ".x.example.more", A, T0);
        assertThat(dns.lastDomain()).as("cut after %d characters", DnsTunnelling.MAX_NAME_CHARS).isEqualTo("x.example");
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> new DnsTunnelConfig(Duration.ZERO, 30, 3.5, 3, 50, 20, 10, List.of()))
                .hasMessage("DNS tunnel window: PT0S must be positive (e.g. PT60S)");
        assertThatThrownBy(() -> new DnsTunnelConfig(Duration.ofSeconds(1), 300, 3.5, 3, 50, 20, 10, List.of()))
                .hasMessage("DNS tunnel min subdomain chars: 300 must be 1-253 (a DNS name has at most 253)");
        assertThatThrownBy(() -> new DnsTunnelConfig(Duration.ofSeconds(1), 30, 9, 3, 50, 20, 10, List.of()))
                .hasMessage("DNS tunnel min entropy: 9.0 bits per character must be above 0 and at most 8");
        assertThatThrownBy(() -> new DnsTunnelConfig(Duration.ofSeconds(1), 30, 3.5, 3, 1, 20, 10, List.of()))
                .hasMessage("DNS tunnel thresholds: suspicious queries 3, unique subdomains 1, TXT queries 20,"
                        + " max tracked 10; each must be at least 1 (unique subdomains at least 2)");
    }

    @Test
    void queriesOfTrackedPairsAllocateNothing() {
        SplittableRandom random = new SplittableRandom(4);
        String[] names = new String[64];
        for (int i = 0; i < names.length; i++) {
            names[i] = i % 2 == 0 ? tunnelQuery(random, "evil.example") : "api" + i + ".github.com";
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                dns.query("shop", "web-1", names[i & 63], i % 7 == 0 ? TXT : A, T0 + (long) i * 1_000_000L);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated).as("bytes allocated by 200,000 queries").isLessThan(4096);
    }
}
