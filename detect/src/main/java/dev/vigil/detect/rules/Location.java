package dev.vigil.detect.rules;

/**
 * Where something is in a rule file: 1-based line and column, as editors count them.
 *
 * @param file the name the file was loaded under (its path, or a resource name)
 */
public record Location(String file, int line, int col) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
