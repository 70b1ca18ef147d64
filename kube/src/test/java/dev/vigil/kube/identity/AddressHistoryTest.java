package dev.vigil.kube.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressHistoryTest {

    private static final long S = 1_000_000_000L;
    private static final String IP = "10.244.1.10";
    private static final HistorySettings SETTINGS = HistorySettings.DEFAULTS;

    private static Endpoint pod(String name) {
        return new Endpoint.Pod(IP, "shop", name, new WorkloadRef("shop", "Deployment", name), "node-1");
    }

    /** Pod a holds the address from 10 s to 100 s, pod b from {@code bStart} s on. */
    private static AddressHistory handOver(Endpoint a, Endpoint b, long bStart) {
        AddressHistory h = new AddressHistory(SETTINGS);
        h.open(IP, "pod/a", Tenure.Rank.POD, 10 * S, a);
        h.close(IP, "pod/a", 100 * S, 100 * S);
        h.open(IP, "pod/b", Tenure.Rank.POD, bStart * S, b);
        return h;
    }

    @Test
    void reusedAddressResolvesToTheHolderOfTheTime() {
        Endpoint a = pod("a");
        Endpoint b = pod("b");
        AddressHistory h = handOver(a, b, 120);

        assertThat(h.resolve(IP, 10 * S)).isSameAs(a);
        assertThat(h.resolve(IP, 99 * S)).isSameAs(a);
        assertThat(h.resolve(IP, 110 * S)).as("between holders, beyond the skew tolerance").isNull();
        assertThat(h.resolve(IP, 120 * S)).isSameAs(b);
        assertThat(h.resolve(IP, 10_000 * S)).isSameAs(b);
        assertThat(h.resolve(IP, 5 * S)).as("before anyone held it").isNull();
    }

    @Test
    void skewToleranceBridgesSmallGapsToTheNearestHolder() {
        Endpoint a = pod("a");
        Endpoint b = pod("b");
        AddressHistory h = handOver(a, b, 106);

        assertThat(h.resolve(IP, 8 * S)).as("2 s before the first start").isSameAs(a);
        assertThat(h.resolve(IP, 8 * S - 1)).isNull();
        assertThat(h.resolve(IP, 101 * S)).as("1 s after a's end").isSameAs(a);
        assertThat(h.resolve(IP, 102 * S)).isSameAs(a);
        assertThat(h.resolve(IP, 103 * S)).as("3 s after a, 3 s before b").isNull();
        assertThat(h.resolve(IP, 104 * S + 1)).as("2 s before b").isSameAs(b);
    }

    @Test
    void laterStartSupersedesAHolderWhoseEndArrivesLate() {
        AddressHistory h = new AddressHistory(SETTINGS);
        Endpoint a = pod("a");
        Endpoint b = pod("b");
        h.open(IP, "pod/a", Tenure.Rank.POD, 10 * S, a);
        h.open(IP, "pod/b", Tenure.Rank.POD, 105 * S, b);
        assertThat(h.resolve(IP, 50 * S)).isSameAs(a);
        assertThat(h.resolve(IP, 110 * S)).isSameAs(b);

        h.close(IP, "pod/a", 200 * S, 200 * S);
        assertThat(h.resolve(IP, 50 * S)).isSameAs(a);
        assertThat(h.resolve(IP, 150 * S)).as("a's late deletion does not take the address back").isSameAs(b);
        assertThat(h.resolve(IP, 300 * S)).isSameAs(b);
    }

    @Test
    void earlierHolderLearnedLaterIsInsertedInOrder() {
        AddressHistory h = new AddressHistory(SETTINGS);
        Endpoint a = pod("a");
        Endpoint b = pod("b");
        h.open(IP, "pod/b", Tenure.Rank.POD, 105 * S, b);
        h.record(IP, "pod/a", Tenure.Rank.POD, 10 * S, 90 * S, 200 * S, a);
        assertThat(h.resolve(IP, 50 * S)).isSameAs(a);
        assertThat(h.resolve(IP, 106 * S)).isSameAs(b);
        h.record(IP, "pod/a", Tenure.Rank.POD, 10 * S, 90 * S, 201 * S, a);
        assertThat(h.closedTenures()).as("recording the same tenure twice keeps one").isEqualTo(1);
    }

    @Test
    void podOutranksNodeAndNodeOutranksServices() {
        AddressHistory h = new AddressHistory(SETTINGS);
        Endpoint lb = new Endpoint.Service(IP, "shop", "web");
        Endpoint node = new Endpoint.Node(IP, "node-1");
        h.open(IP, "svc/web", Tenure.Rank.SERVICE_EXTERNAL, 50 * S, lb);
        assertThat(h.resolve(IP, 60 * S)).isSameAs(lb);
        h.open(IP, "node/node-1", Tenure.Rank.NODE, 10 * S, node);
        assertThat(h.resolve(IP, 60 * S)).as("a node address that a LoadBalancer shares stays the node")
                .isSameAs(node);
        assertThat(h.resolve(IP, 20 * S)).isSameAs(node);
    }

    @Test
    void reopeningUpdatesTheEndpointOnly() {
        AddressHistory h = new AddressHistory(SETTINGS);
        h.open(IP, "pod/a", Tenure.Rank.POD, 10 * S, pod("a"));
        Endpoint renamed = new Endpoint.Pod(IP, "shop", "a", new WorkloadRef("shop", "StatefulSet", "db"), "node-1");
        h.open(IP, "pod/a", Tenure.Rank.POD, 50 * S, renamed);
        assertThat(h.resolve(IP, 20 * S)).as("start unchanged").isSameAs(renamed);
        assertThat(h.openTenures()).isEqualTo(1);
    }

    @Test
    void historyPerAddressKeepsTheLimitAndEvictsTheEarliestEnded() {
        int limit = 4;
        AddressHistory h = new AddressHistory(SETTINGS.withMaxHistoryPerAddress(limit));
        List<Endpoint> holders = new ArrayList<>();
        for (int i = 0; i <= limit; i++) {
            Endpoint e = pod("p" + i);
            holders.add(e);
            h.open(IP, "pod/p" + i, Tenure.Rank.POD, (100L * i + 10) * S, e);
            h.close(IP, "pod/p" + i, (100L * i + 50) * S, (100L * i + 50) * S);
        }
        assertThat(h.closedTenures()).isEqualTo(limit);
        assertThat(h.evictedPerAddress()).isEqualTo(1);
        assertThat(h.resolve(IP, 20 * S)).as("the first holder was evicted").isNull();
        for (int i = 1; i <= limit; i++) {
            assertThat(h.resolve(IP, (100L * i + 20) * S)).isSameAs(holders.get(i));
        }
    }

    @Test
    void closedTenuresInTotalKeepTheLimitFirstClosedFirstOut() {
        int limit = 3;
        AddressHistory h = new AddressHistory(SETTINGS.withMaxClosedTenures(limit));
        for (int i = 0; i <= limit; i++) {
            String ip = "10.244.2." + i;
            h.open(ip, "pod/p" + i, Tenure.Rank.POD, 10 * S, new Endpoint.Pod(ip, "ns", "p" + i, null, "n"));
            h.close(ip, "pod/p" + i, (20 + i) * S, (20 + i) * S);
        }
        h.open("10.244.3.1", "pod/live", Tenure.Rank.POD, 10 * S, pod("live"));
        assertThat(h.closedTenures()).isEqualTo(limit);
        assertThat(h.evictedTotal()).isEqualTo(1);
        assertThat(h.resolve("10.244.2.0", 15 * S)).isNull();
        assertThat(h.addresses()).as("an address with no tenure left is dropped").isEqualTo(limit + 1);
        for (int i = 1; i <= limit; i++) {
            assertThat(h.resolve("10.244.2." + i, 15 * S)).isNotNull();
        }
        assertThat(h.resolve("10.244.3.1", 15 * S)).as("open tenures are never evicted").isNotNull();
    }

    @Test
    void retentionCountsFromClosing() {
        AddressHistory h = new AddressHistory(SETTINGS.withRetention(Duration.ofMinutes(10)));
        h.open(IP, "pod/a", Tenure.Rank.POD, 10 * S, pod("a"));
        h.close(IP, "pod/a", 100 * S, 100 * S);
        h.expire((100 + 600) * S);
        assertThat(h.resolve(IP, 50 * S)).as("exactly at the retention").isNotNull();
        h.expire((100 + 600) * S + 1);
        assertThat(h.resolve(IP, 50 * S)).isNull();
        assertThat(h.expired()).isEqualTo(1);
        assertThat(h.addresses()).isZero();
    }

    /** Random opens, closes and late records against a from-scratch evaluation of the documented rules. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void incrementalStateAgreesWithTheRules(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        AddressHistory h = new AddressHistory(SETTINGS.withMaxHistoryPerAddress(1000));
        Map<String, List<Model>> model = new HashMap<>();
        long order = 0;
        String[] ips = {"10.0.0.1", "10.0.0.2"};
        for (int step = 0; step < 60; step++) {
            String ip = ips[random.nextInt(ips.length)];
            List<Model> tenures = model.computeIfAbsent(ip, k -> new ArrayList<>());
            String holder = "h" + random.nextInt(6);
            int rank = random.nextInt(3);
            Endpoint e = new Endpoint.Node(ip, holder + "@" + step);
            Model open = tenures.stream().filter(m -> m.holder.equals(holder) && m.end == Tenure.OPEN).findFirst()
                    .orElse(null);
            switch (random.nextInt(3)) {
                case 0 -> {
                    long start = random.nextLong(100) * S;
                    h.open(ip, holder, rank, start, e);
                    if (open != null) {
                        open.endpoint = e;
                    } else {
                        tenures.add(new Model(holder, rank, start, Tenure.OPEN, e, order++));
                    }
                }
                case 1 -> {
                    long end = random.nextLong(120) * S;
                    h.close(ip, holder, end, 1000 * S);
                    if (open != null) {
                        tenures.remove(open);
                        tenures.add(new Model(holder, open.rank, open.start, Math.max(open.start, end), open.endpoint,
                                open.order));
                    }
                }
                default -> {
                    long start = random.nextLong(100) * S;
                    long end = start + random.nextLong(30) * S;
                    boolean duplicate = tenures.stream().anyMatch(m -> m.holder.equals(holder) && m.start == start);
                    h.record(ip, holder, rank, start, end, 1000 * S, e);
                    if (!duplicate) {
                        tenures.add(new Model(holder, rank, start, end, e, order++));
                    }
                }
            }
            for (String probeIp : ips) {
                for (long t = -5 * S; t <= 130 * S; t += S / 2) {
                    Endpoint expected = expected(model.getOrDefault(probeIp, List.of()), t,
                            SETTINGS.skewTolerance().toNanos());
                    assertThat(h.resolve(probeIp, t))
                            .as("seed %d step %d address %s at %d ns", seed, step, probeIp, t)
                            .isSameAs(expected);
                }
            }
        }
    }

    /** A tenure as the rules see it; {@code order} is when it was first inserted. */
    private static final class Model {
        final String holder;
        final int rank;
        final long start;
        final long end;
        Endpoint endpoint;
        final long order;

        Model(String holder, int rank, long start, long end, Endpoint endpoint, long order) {
            this.holder = holder;
            this.rank = rank;
            this.start = start;
            this.end = end;
            this.endpoint = endpoint;
            this.order = order;
        }
    }

    /** The rules of {@link AddressHistory}, evaluated from scratch. */
    private static Endpoint expected(List<Model> all, long t, long skew) {
        List<Model> sorted = new ArrayList<>(all);
        // equal starts: the later inserted sorts last and wins; closing keeps a tenure's place
        sorted.sort(Comparator.comparingInt((Model m) -> m.rank).thenComparingLong(m -> m.start)
                .thenComparingLong(m -> m.order));
        long[] effectiveEnd = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            long end = sorted.get(i).end;
            if (i + 1 < sorted.size() && sorted.get(i + 1).rank == sorted.get(i).rank) {
                end = Math.min(end, sorted.get(i + 1).start);
            }
            effectiveEnd[i] = Math.max(end, sorted.get(i).start);
        }
        for (int rank = 0; rank < 5; rank++) {
            int hit = -1;
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i).rank == rank && sorted.get(i).start <= t) {
                    hit = i;
                }
            }
            if (hit >= 0 && t < effectiveEnd[hit]) {
                return sorted.get(hit).endpoint;
            }
        }
        Endpoint nearest = null;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < sorted.size(); i++) {
            Model m = sorted.get(i);
            if (effectiveEnd[i] <= m.start) {
                continue;
            }
            long d = t < m.start ? m.start - t : t - effectiveEnd[i];
            if (d <= skew && d < best) {
                best = d;
                nearest = m.endpoint;
            }
        }
        return nearest;
    }
}
