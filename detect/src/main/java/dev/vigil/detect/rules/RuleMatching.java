package dev.vigil.detect.rules;

/**
 * Which matching rules report an event, as Falco's {@code rule_matching} setting: {@link #FIRST}
 * (Falco's default) stops at the first rule that matches, in load order; {@link #ALL} reports
 * every matching rule.
 */
public enum RuleMatching {
    FIRST, ALL
}
