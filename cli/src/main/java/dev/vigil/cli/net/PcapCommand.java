package dev.vigil.cli.net;

import picocli.CommandLine.Command;

/** {@code vigil pcap}: commands over capture files. */
@Command(name = "pcap", description = "Analyze capture files (pcap, pcapng).",
        mixinStandardHelpOptions = true, subcommands = PcapAnalyzeCommand.class)
public final class PcapCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
