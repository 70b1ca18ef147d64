package dev.vigil.detect.rules;

/**
 * The kind of a load error or warning. The {@code LOAD_} codes are Falco's
 * ({@code falco::load_result}); the {@code VIGIL_} codes report what Vigil adds: rules it cannot
 * evaluate for want of fields, and rules that wait on events Vigil's sensors do not produce.
 */
public enum LoadCode {
    LOAD_ERR_FILE_READ,
    LOAD_ERR_YAML_PARSE,
    LOAD_ERR_YAML_VALIDATE,
    LOAD_ERR_COMPILE_CONDITION,
    LOAD_ERR_COMPILE_OUTPUT,
    LOAD_ERR_VALIDATE,
    LOAD_UNKNOWN_SOURCE,
    LOAD_NO_EVTTYPE,
    LOAD_UNUSED_MACRO,
    LOAD_UNUSED_LIST,
    LOAD_UNKNOWN_ITEM,
    LOAD_DEPRECATED_ITEM,
    LOAD_APPEND_NO_VALUES,
    /** A rule's condition uses fields Vigil does not provide: the rule is listed but not evaluated. */
    VIGIL_MISSING_FIELDS,
    /** A rule's output uses fields Vigil does not provide: they render as {@code <NA>}. */
    VIGIL_MISSING_OUTPUT_FIELDS,
    /** A rule can only match event types Vigil's sensors never produce. */
    VIGIL_UNPRODUCED_EVENT_TYPES
}
