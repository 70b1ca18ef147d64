package dev.vigil.kube.identity;

import dev.vigil.model.identity.Endpoint;

/**
 * One holder's tenure of one address: from {@code start} until {@code end} (nanoseconds since the
 * epoch; {@link #OPEN} while the holder still has it). {@code rank} orders holders of different
 * classes that share an address, lower first (see {@link Rank}).
 */
record Tenure(String holder, int rank, long start, long end, Endpoint endpoint) {

    static final long OPEN = Long.MAX_VALUE;

    boolean isOpen() {
        return end == OPEN;
    }

    Tenure closedAt(long time) {
        return new Tenure(holder, rank, start, Math.max(start, time), endpoint);
    }

    Tenure with(Endpoint replacement) {
        return new Tenure(holder, rank, start, end, replacement);
    }

    /** Which holder wins when several classes claim one address at once; lower wins. */
    static final class Rank {
        static final int POD = 0;
        static final int NODE = 1;
        static final int HOST_NETWORK_POD = 2;
        static final int SERVICE_CLUSTER_IP = 3;
        static final int SERVICE_EXTERNAL = 4;

        private Rank() {
        }
    }
}
