package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/** The two forms RBAC questions answer in: a human table or one JSON document. */
final class AnswerFormat {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private AnswerFormat() {
    }

    static boolean json(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "table" -> false;
            default -> throw new UserError("unknown --format '" + format + "': use table or json");
        };
    }
}
