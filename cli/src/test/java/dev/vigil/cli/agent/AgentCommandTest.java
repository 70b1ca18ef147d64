package dev.vigil.cli.agent;

import static dev.vigil.cli.CliRun.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliRun;
import dev.vigil.cli.Vigil;
import org.junit.jupiter.api.Test;

/** {@code vigil agent}'s option errors, found before any sensor starts. */
class AgentCommandTest {

    @Test
    void anUnknownModeIsAUsageError() {
        CliRun r = vigil("agent", "--mode", "enforce");
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(r.err()).contains("--mode: 'enforce' is not one of learn, monitor, protect");
    }

    @Test
    void alertsAndEventsCannotShareStandardOutput() {
        CliRun r = vigil("agent", "--alerts", "-", "--events", "-");
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(r.err()).contains("--alerts and --events cannot both be standard output").contains("give --events a file");
    }

    @Test
    void aMalformedDurationNamesItsOption() {
        CliRun r = vigil("agent", "--learn-for", "soon");
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_USAGE);
        assertThat(r.err()).contains("--learn-for");
    }
}
