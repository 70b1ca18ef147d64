package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.scan.ScanConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by {@code vigil pcap analyze} and {@code vigil capture}: flow limits and scan thresholds. */
public final class NetworkOptions {

    @Option(names = "--scan-ports", paramLabel = "N", defaultValue = "15",
            description = "Unique ports of one host that make a port scan (default: ${DEFAULT-VALUE}).")
    int scanPorts;

    @Option(names = "--scan-hosts", paramLabel = "N", defaultValue = "25",
            description = "Unique hosts on one port that make an address scan or ping sweep (default: ${DEFAULT-VALUE}).")
    int scanHosts;

    @Option(names = "--scan-window", paramLabel = "DURATION", defaultValue = "5m",
            description = "Sliding window for scan attempts, e.g. 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    String scanWindow;

    @Option(names = "--no-scan", description = "Disable scan detection.")
    boolean noScan;

    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "200000",
            description = "Flows held at once; the least recently active is evicted and reported (default: ${DEFAULT-VALUE}).")
    int maxFlows;

    @Option(names = "--active-timeout", paramLabel = "DURATION", defaultValue = "0",
            description = "Report and restart flows open longer than this; 0 disables (default: ${DEFAULT-VALUE}).")
    String activeTimeout;

    @Option(names = "--community-id-seed", paramLabel = "SEED", defaultValue = "0",
            description = "Community ID seed, 0..65535 (default: ${DEFAULT-VALUE}).")
    int communityIdSeed;

    @Option(names = "--uid-seed", paramLabel = "SEED",
            description = "Seed for connection uids, for reproducible output (default: random).")
    Long uidSeed;

    /** The pipeline configuration these options describe; throws {@link UserError} on bad values. */
    public PipelineConfig pipelineConfig(IdentityResolver identities) {
        try {
            FlowConfig flows = FlowConfig.defaults().withMaxFlows(maxFlows)
                    .withActiveTimeout(duration("--active-timeout", activeTimeout));
            if (uidSeed != null) {
                flows = flows.withUidSeed(uidSeed);
            }
            ScanConfig scan = noScan ? null : new ScanConfig(scanPorts, scanHosts, duration("--scan-window", scanWindow));
            return new PipelineConfig(flows, scan, communityIdSeed, identities);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), dev.vigil.cli.Vigil.EXIT_USAGE);
        }
    }

    /** Parses {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms}, a bare number of seconds, or ISO-8601 ({@code PT5M}). */
    public static Duration duration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new UserError(option + ": cannot read duration '" + text + "'; write e.g. 30s, 5m or 1h",
                    dev.vigil.cli.Vigil.EXIT_USAGE);
        }
    }
}
