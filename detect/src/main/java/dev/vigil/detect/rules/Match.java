package dev.vigil.detect.rules;

import java.util.Map;

/**
 * A rule that matched an event: the rendered output and Falco's {@code output_fields} (each field
 * of the output format with its value: String, Long, Boolean, or null when the event had none).
 */
public record Match(Rule rule, String output, Map<String, Object> outputFields) {
}
