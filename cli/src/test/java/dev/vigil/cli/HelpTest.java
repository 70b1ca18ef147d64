package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command answers {@code --help} with its usage, and every command and option is described. */
class HelpTest {

    static Stream<String> commands() {
        List<String> paths = new ArrayList<>();
        collect(Vigil.commandLine(), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine cli, String prefix, List<String> out) {
        String path = (prefix + " " + cli.getCommandName()).trim();
        if (!cli.getCommandName().equals("help")) {
            out.add(path);
        }
        cli.getSubcommands().values().forEach(sub -> collect(sub, path, out));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void answersHelpAndDescribesEveryOption(String path) {
        String[] words = path.split(" ");
        CommandLine cli = Vigil.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        String[] args = new String[words.length];
        System.arraycopy(words, 1, args, 0, words.length - 1);
        args[words.length - 1] = "--help";
        assertThat(cli.execute(args)).as(path + " --help exit code").isZero();
        assertThat(out.toString()).as(path + " usage").startsWith("Usage: " + path);

        CommandLine command = cli;
        for (int i = 1; i < words.length; i++) {
            command = command.getSubcommands().get(words[i]);
        }
        assertThat(command.getCommandSpec().usageMessage().description()).as(path + " description").isNotEmpty();
        command.getCommandSpec().options().forEach(o ->
                assertThat(o.description()).as(path + " " + o.longestName() + " description").isNotEmpty());
        command.getCommandSpec().positionalParameters().forEach(p ->
                assertThat(p.description()).as(path + " " + p.paramLabel() + " description").isNotEmpty());
    }
}
