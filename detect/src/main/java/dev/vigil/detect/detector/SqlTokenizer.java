package dev.vigil.detect.detector;

/**
 * Splits SQL text into tokens held in parallel int arrays (type, start, end), so that tokenizing
 * allocates nothing after construction. Lenient by design: it reads input that is only part of a
 * statement (an attacker's fragment), treats an unterminated string or block comment as running to
 * the end, and reads both quote styles as strings (MySQL) and {@code #} as a comment (MySQL).
 * At most {@link #MAX_TOKENS} tokens are kept; {@link #truncated()} tells that more followed.
 */
final class SqlTokenizer {

    /** Tokens kept per text. */
    static final int MAX_TOKENS = 256;

    static final int STRING = 1;
    static final int NUMBER = 2;
    static final int WORD = 3;
    static final int OP = 4;
    static final int LINE_COMMENT = 5;
    static final int BLOCK_COMMENT = 6;
    static final int SEMI = 7;
    static final int LPAREN = 8;
    static final int RPAREN = 9;
    static final int COMMA = 10;
    static final int VAR = 11;
    static final int DOT = 12;
    static final int OTHER = 13;

    final int[] type = new int[MAX_TOKENS];
    final int[] start = new int[MAX_TOKENS];
    final int[] end = new int[MAX_TOKENS];
    /** For strings and block comments: whether the closing delimiter was seen. */
    final boolean[] closed = new boolean[MAX_TOKENS];
    int count;
    private boolean truncated;
    char[] text;

    boolean truncated() {
        return truncated;
    }

    /** Tokenizes {@code s[from, to)}; tokens refer to positions in {@code s}. */
    void tokenize(char[] s, int from, int to) {
        text = s;
        count = 0;
        truncated = false;
        int i = from;
        while (i < to) {
            char c = s[i];
            if (c <= ' ' || c == 0xa0) {
                i++;
                continue;
            }
            if (count == MAX_TOKENS) {
                truncated = true;
                return;
            }
            int t = count;
            start[t] = i;
            closed[t] = true;
            if (c == '\'' || c == '"') {
                i = string(s, i, to, c, t);
            } else if (c == '-' && i + 1 < to && s[i + 1] == '-' || c == '#') {
                type[t] = LINE_COMMENT;
                while (i < to && s[i] != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < to && s[i + 1] == '*') {
                type[t] = BLOCK_COMMENT;
                int close = indexOf(s, i + 2, to, '*', '/');
                closed[t] = close >= 0;
                i = close >= 0 ? close + 2 : to;
            } else if (c >= '0' && c <= '9' || c == '.' && i + 1 < to && s[i + 1] >= '0' && s[i + 1] <= '9') {
                i = number(s, i, to, t);
            } else if (isWordStart(c)) {
                type[t] = WORD;
                while (i < to && isWordPart(s[i])) {
                    i++;
                }
            } else if (c == '`') {
                type[t] = WORD;
                int close = indexOf(s, i + 1, to, '`', '`');
                i = close >= 0 ? close + 1 : to;
            } else if (c == '@') {
                type[t] = VAR;
                i++;
                while (i < to && (s[i] == '@' || isWordPart(s[i]))) {
                    i++;
                }
            } else if (isOperator(c)) {
                type[t] = OP;
                int limit = Math.min(to, i + 3);
                while (i < limit && isOperator(s[i]) && !startsComment(s, i, to)) {
                    i++;
                }
                if (i == start[t]) {
                    i++;
                }
            } else {
                type[t] = switch (c) {
                    case ';' -> SEMI;
                    case '(' -> LPAREN;
                    case ')' -> RPAREN;
                    case ',' -> COMMA;
                    case '.' -> DOT;
                    default -> OTHER;
                };
                i++;
            }
            end[t] = i;
            count++;
        }
    }

    private int string(char[] s, int i, int to, char quote, int t) {
        type[t] = STRING;
        i++;
        while (i < to) {
            char c = s[i];
            if (c == '\\' && i + 1 < to) {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < to && s[i + 1] == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        closed[t] = false;
        return to;
    }

    private int number(char[] s, int i, int to, int t) {
        int from = i;
        boolean hex = s[i] == '0' && i + 1 < to && (s[i + 1] == 'x' || s[i + 1] == 'X');
        boolean plain = true;
        i += hex ? 2 : 0;
        while (i < to && (isWordPart(s[i]) || s[i] == '.')) {
            char c = s[i];
            boolean digit = c >= '0' && c <= '9' || c == '.' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            boolean exponent = !hex && (c == 'e' || c == 'E') && i > from;
            plain &= digit || exponent;
            i++;
        }
        type[t] = plain ? NUMBER : WORD;
        return i;
    }

    private static boolean startsComment(char[] s, int i, int to) {
        return i + 1 < to && (s[i] == '-' && s[i + 1] == '-' || s[i] == '/' && s[i + 1] == '*');
    }

    private static int indexOf(char[] s, int from, int to, char a, char b) {
        for (int i = from; i < to; i++) {
            if (s[i] == a && (a == b || i + 1 < to && s[i + 1] == b)) {
                return i;
            }
        }
        return -1;
    }

    static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 0x7f && Character.isLetter(c);
    }

    static boolean isWordPart(char c) {
        return isWordStart(c) || c >= '0' && c <= '9' || c == '$';
    }

    private static boolean isOperator(char c) {
        return switch (c) {
            case '=', '<', '>', '!', '|', '&', '+', '-', '*', '/', '%', '^', '~', ':' -> true;
            default -> false;
        };
    }

    /** Whether token {@code t} is the word {@code keyword} (ASCII, any case; {@code keyword} in lower case). */
    boolean is(int t, String keyword) {
        if (t >= count || type[t] != WORD || end[t] - start[t] != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = text[start[t] + i];
            if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether token {@code t} is one of {@code keywords}. */
    boolean isAny(int t, String[] keywords) {
        for (String k : keywords) {
            if (is(t, k)) {
                return true;
            }
        }
        return false;
    }

    /** Whether token {@code t} is the operator {@code op}. */
    boolean isOp(int t, String op) {
        if (t >= count || type[t] != OP || end[t] - start[t] != op.length()) {
            return false;
        }
        for (int i = 0; i < op.length(); i++) {
            if (text[start[t] + i] != op.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    int type(int t) {
        return t < count ? type[t] : 0;
    }
}
