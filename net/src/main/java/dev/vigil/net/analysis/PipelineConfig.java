package dev.vigil.net.analysis;

import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.scan.ScanConfig;

/**
 * Everything a {@link Pipeline} is configured with; immutable.
 *
 * @param flows            flow table limits and timeouts
 * @param scan             scan thresholds, or null to disable scan detection
 * @param communityIdSeed  Community ID seed (0 is the spec's default)
 * @param identities       resolver adding pod and workload names to records; {@link IdentityResolver#NONE} adds none
 */
public record PipelineConfig(FlowConfig flows, ScanConfig scan, int communityIdSeed, IdentityResolver identities) {

    /** Weird records written per anomaly name before only counting; the counts stay exact. */
    public static final int MAX_WEIRDS_PER_NAME = 1000;

    public PipelineConfig {
        if (communityIdSeed < 0 || communityIdSeed > 0xffff) {
            throw new IllegalArgumentException("--community-id-seed must be 0..65535, got " + communityIdSeed);
        }
        if (flows == null || identities == null) {
            throw new IllegalArgumentException("flows and identities are required");
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(FlowConfig.defaults(), ScanConfig.defaults(), 0, IdentityResolver.NONE);
    }
}
