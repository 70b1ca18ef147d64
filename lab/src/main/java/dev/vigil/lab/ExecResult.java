package dev.vigil.lab;

/** Exit code and output of a command run inside a lab container. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }
}
