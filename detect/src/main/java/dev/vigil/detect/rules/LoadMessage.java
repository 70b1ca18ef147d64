package dev.vigil.detect.rules;

import dev.vigil.detect.rules.expr.Pos;

/**
 * One error or warning from loading rule files, with what Falco's loader reports: where (file,
 * line, column of the item or key), which item (kind and name), the code, and for condition
 * problems the position inside the condition text.
 *
 * @param itemKind     {@code rule}, {@code macro}, {@code list}, {@code exception},
 *                     {@code required_engine_version}, {@code required_plugin_versions}, or
 *                     {@code file} for problems with the whole file
 * @param itemName     the item's name, or null when it has none (yet)
 * @param conditionPos position inside the condition (or output) text, or null
 */
public record LoadMessage(Severity severity, LoadCode code, String message, Location location, String itemKind,
                          String itemName, Pos conditionPos) {

    /** Errors make a load fail; warnings do not. */
    public enum Severity {
        ERROR, WARNING
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(location).append(": ").append(severity == Severity.ERROR ? "error" : "warning").append(": ");
        if (itemName != null) {
            b.append(itemKind).append(" '").append(itemName).append("': ");
        } else if (!itemKind.equals("file")) {
            b.append(itemKind).append(": ");
        }
        b.append(message);
        if (conditionPos != null) {
            b.append(" (at ").append(conditionPos.line()).append(':').append(conditionPos.col()).append(" of the expression)");
        }
        b.append(" [").append(code).append(']');
        return b.toString();
    }
}
