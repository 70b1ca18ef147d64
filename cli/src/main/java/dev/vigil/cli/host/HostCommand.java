package dev.vigil.cli.host;

import picocli.CommandLine.Command;

/** {@code vigil host}: commands over this node's host sensors. */
@Command(name = "host", description = "See what happens inside the containers of this node: processes, syscalls, files.",
        mixinStandardHelpOptions = true, subcommands = HostWatchCommand.class)
public final class HostCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
