package dev.vigil.detect.rules.expr;

import java.util.List;

/**
 * Falco's textual list expansion: every occurrence of a list's name in a condition that stands
 * between delimiters (blank, parenthesis, comma, {@code =}, or either end) is replaced by the list's
 * items joined with {@code ", "}, an item containing a blank being double-quoted unless already
 * quoted. It runs before parsing, exactly as Falco's rule compiler does, so a list name works
 * wherever its items would ({@code in (a_list, b)}, {@code in a_list}, {@code pmatch (dirs)}).
 */
public final class ListSubstitution {

    private static final String BLANKS = " \t\n\r";
    private static final String DELIMS = BLANKS + "(),=";

    private ListSubstitution() {
    }

    /**
     * The condition with {@code name} replaced by {@code items}, or the same string when the name
     * does not occur as a token.
     */
    public static String apply(String condition, String name, List<String> items) {
        String cnd = condition;
        int start = cnd.indexOf(name);
        while (start >= 0) {
            int end = start + name.length();
            if ((start == 0 || DELIMS.indexOf(cnd.charAt(start - 1)) >= 0)
                    && (end >= cnd.length() || DELIMS.indexOf(cnd.charAt(end)) >= 0)) {
                while (start > 0 && BLANKS.indexOf(cnd.charAt(start - 1)) >= 0) {
                    start--;
                }
                while (end < cnd.length() && BLANKS.indexOf(cnd.charAt(end)) >= 0) {
                    end++;
                }
                StringBuilder sub = new StringBuilder();
                for (String item : items) {
                    if (!sub.isEmpty()) {
                        sub.append(", ");
                    }
                    sub.append(quote(item));
                }
                if (sub.isEmpty()) {
                    if (start > 0 && cnd.charAt(start - 1) == ',') {
                        start--;
                    } else if (end < cnd.length() && cnd.charAt(end) == ',') {
                        end++;
                    }
                }
                StringBuilder next = new StringBuilder();
                if (start > 0) {
                    next.append(cnd, 0, start).append(' ');
                }
                next.append(sub).append(' ');
                if (end <= cnd.length()) {
                    next.append(cnd, end, cnd.length());
                }
                cnd = next.toString();
                start += sub.length() + 1;
            }
            start = cnd.indexOf(name, start + 1);
        }
        return cnd;
    }

    /** Falco's {@code quote_item}: double-quotes an item holding a blank unless it starts with a quote. */
    public static String quote(String item) {
        if (item.indexOf(' ') >= 0 && !item.isEmpty() && item.charAt(0) != '"' && item.charAt(0) != '\'') {
            return '"' + item + '"';
        }
        return item;
    }
}
