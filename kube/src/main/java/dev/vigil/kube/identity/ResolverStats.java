package dev.vigil.kube.identity;

/**
 * What the resolver holds and what its limits dropped; for metrics and tests.
 *
 * @param addresses                addresses with at least one tenure
 * @param openTenures              addresses held by a live object
 * @param closedTenures            past tenures remembered
 * @param tenuresEvictedPerAddress past tenures dropped by {@link HistorySettings#maxHistoryPerAddress()}
 * @param tenuresEvictedTotal      past tenures dropped by {@link HistorySettings#maxClosedTenures()}
 * @param tenuresExpired           past tenures dropped after {@link HistorySettings#retention()}
 * @param liveContainers           containers of live pods
 * @param goneContainers           containers of deleted pods, or replaced by a restart, remembered
 * @param containersEvicted        gone containers dropped by {@link HistorySettings#maxGoneContainers()}
 * @param containersExpired        gone containers dropped after {@link HistorySettings#retention()}
 * @param ownerChainsCut           pods whose owner chain exceeded the depth limit
 */
public record ResolverStats(
        long addresses,
        long openTenures,
        long closedTenures,
        long tenuresEvictedPerAddress,
        long tenuresEvictedTotal,
        long tenuresExpired,
        long liveContainers,
        long goneContainers,
        long containersEvicted,
        long containersExpired,
        long ownerChainsCut) {
}
