package dev.vigil.detect.rules;

import dev.vigil.detect.rules.expr.Pos;

/** A load error on its way to the report, as Falco's {@code rule_load_exception}. */
final class RuleLoadException extends Exception {

    private final transient LoadMessage loadMessage;

    RuleLoadException(LoadCode code, String message, Location location, String itemKind, String itemName) {
        this(code, message, location, itemKind, itemName, null);
    }

    RuleLoadException(LoadCode code, String message, Location location, String itemKind, String itemName, Pos pos) {
        super(message);
        this.loadMessage = new LoadMessage(LoadMessage.Severity.ERROR, code, message, location, itemKind, itemName, pos);
    }

    LoadMessage loadMessage() {
        return loadMessage;
    }
}
