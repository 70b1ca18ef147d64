package dev.vigil.detect.detector;

/**
 * Finds SQL injection in what a client sends (HTTP parameters, paths, bodies) and in what an
 * application sends its database, by tokenizing SQL ({@link SqlTokenizer}) rather than matching
 * substrings, so that {@code O'Brien}, {@code "union station"} or {@code WHERE 1=1 AND …} from a query
 * builder are not alerts while the same words in an injection are.
 *
 * <h2>Client input</h2>
 * An application puts a value into SQL in one of three places: bare (a number, {@code id=42}),
 * inside single quotes or inside double quotes. An injection has to leave that place: a quoted
 * value needs the quote character to break out, followed by SQL (a keyword such as {@code OR} or
 * {@code UNION}, an operator, {@code ;} or a comment — not a word, as in {@code don't}); a bare value
 * starts with a number (or a parenthesis, or a keyword such as {@code OR}, {@code UNION}, {@code ;}).
 * Each value is read in all three places
 * and what follows the break-out is checked for
 * <ul>
 *   <li>{@link Finding#TAUTOLOGY}: {@code OR}/{@code AND}/{@code ||} followed by a comparison that is
 *       always true — equal literals ({@code '1'='1}, with the application's own closing quote
 *       completing the last one), different literals with {@code <>}, the same column on both sides,
 *       or {@code OR} with {@code TRUE} or a non-zero number at the end;</li>
 *   <li>{@link Finding#UNION_SELECT}: {@code UNION [ALL|DISTINCT] SELECT};</li>
 *   <li>{@link Finding#STACKED_QUERY}: {@code ;} then a statement keyword ({@code DROP}, {@code SELECT} …);</li>
 *   <li>{@link Finding#COMMENT_TRUNCATION}: a comment right after the break-out quote ({@code admin'--}),
 *       or a clause ({@code ORDER BY 3}, {@code AND …}) ended by a comment, cutting off the rest of the
 *       application's statement;</li>
 *   <li>{@link Finding#TIME_DELAY}: {@code SLEEP(}, {@code PG_SLEEP(}, {@code BENCHMARK(},
 *       {@code WAITFOR DELAY}, {@code DBMS_PIPE.RECEIVE_MESSAGE} — blind, time-based probes.</li>
 * </ul>
 * {@link #inHttp} splits a request into values: path segments, query parameters ({@code +} as space,
 * percent-escapes decoded) and the body prefix (form parameters, JSON string values, else the whole
 * prefix).
 *
 * <h2>Database queries</h2>
 * Complete statements are judged by what applications do not write: a time-delay function; an
 * {@code OR} tautology; {@code UNION SELECT} padded with {@code NULL}s or reading system catalogs
 * ({@code information_schema}, {@code pg_catalog}, {@code @@version}, {@code version()} …); a
 * {@code SELECT} followed by another statement that changes data or schema; a string literal
 * followed by a line comment that holds a quote or {@code AND}/{@code OR} (the rest of the
 * original statement), or by an unterminated block comment.
 *
 * <p>Limits: {@link #MAX_VALUE_CHARS} characters per value or query are read,
 * {@link #MAX_VALUES} values per request, {@link SqlTokenizer#MAX_TOKENS} tokens per value; what lies
 * beyond is not read. Not thread-safe (reuses its buffers); allocates nothing per call.
 */
public final class SqlInjection {

    /** Characters of one value or query that are read. */
    public static final int MAX_VALUE_CHARS = 4096;
    /** Values of one HTTP request that are read. */
    public static final int MAX_VALUES = 64;

    /** What was found. */
    public enum Finding {
        NONE("none"),
        TAUTOLOGY("tautology"),
        UNION_SELECT("union select"),
        STACKED_QUERY("stacked query"),
        COMMENT_TRUNCATION("comment truncation"),
        TIME_DELAY("time delay");

        private final String label;

        Finding(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final String[] STATEMENTS = {"select", "insert", "update", "delete", "drop", "create", "alter",
            "truncate", "exec", "execute", "shutdown", "declare", "grant", "revoke", "copy", "call", "set",
            "merge", "replace", "load", "handler", "with", "begin", "do"};
    private static final String[] CHANGES = {"insert", "update", "delete", "drop", "create", "alter", "truncate",
            "exec", "execute", "shutdown", "grant", "revoke", "copy", "declare", "merge", "replace", "load"};
    /** What SQL may follow a closing quote; anything else means the quote was an apostrophe in text. */
    private static final String[] QUOTE_FOLLOWERS = {"or", "and", "xor", "union", "order", "group", "having", "limit",
            "procedure", "into", "like", "is", "in", "between", "not", "rlike", "regexp", "collate", "div", "mod"};
    /** Clauses that, after a closing quote and before a final comment, rewrite the application's statement. */
    private static final String[] CLAUSES = {"or", "and", "union", "order", "group", "having", "limit", "procedure",
            "into"};
    private static final String[] SLEEPS = {"sleep", "pg_sleep", "pg_sleep_for", "benchmark"};
    private static final String[] CATALOGS = {"information_schema", "pg_catalog", "pg_shadow", "pg_user", "pg_authid",
            "sqlite_master", "sysobjects", "syscolumns", "all_tables", "dba_users"};
    private static final String[] SYSTEM_FUNCTIONS = {"version", "user", "current_user", "session_user", "system_user",
            "database", "schema", "current_database", "current_schema", "load_file"};
    private static final String[] COMPARISONS = {"=", "==", "<=>", "<>", "!=", "<", ">", "<=", ">="};

    private final SqlTokenizer tokens = new SqlTokenizer();
    private final char[] value = new char[MAX_VALUE_CHARS];
    private int valueLength;
    private int valuesRead;

    /** The value or query of the last finding, cut to {@link #MAX_VALUE_CHARS}; set only when something was found. */
    private String lastMatch;

    /** The text in which the last finding was made. */
    public String lastMatch() {
        return lastMatch;
    }

    /**
     * An HTTP request: the decoded URI (path and query) and the start of the body; either may be null.
     */
    public Finding inHttp(CharSequence uri, CharSequence body) {
        valuesRead = 0;
        Finding f = Finding.NONE;
        if (uri != null) {
            int q = indexOf(uri, '?', 0);
            int pathEnd = q < 0 ? uri.length() : q;
            f = segments(uri, 0, pathEnd);
            if (f == Finding.NONE && q >= 0) {
                int hash = indexOf(uri, '#', q);
                f = params(uri, q + 1, hash < 0 ? uri.length() : hash, true);
            }
        }
        if (f == Finding.NONE && body != null && !body.isEmpty()) {
            f = body(body);
        }
        return f;
    }

    /** One value a client supplied, already decoded. */
    public Finding inInput(CharSequence input) {
        valueLength = 0;
        append(input, 0, input.length(), false);
        return judgeValue();
    }

    /** A statement an application sent its database. */
    public Finding inQuery(CharSequence sql) {
        valueLength = 0;
        append(sql, 0, sql.length(), false);
        tokens.tokenize(value, 0, valueLength);
        Finding f = judgeQuery();
        if (f != Finding.NONE) {
            lastMatch = new String(value, 0, valueLength);
        }
        return f;
    }

    private Finding segments(CharSequence uri, int from, int to) {
        int i = from;
        while (i < to) {
            int slash = indexOf(uri, '/', i);
            int end = slash < 0 || slash > to ? to : slash;
            if (end > i) {
                Finding f = value(uri, i, end, false);
                if (f != Finding.NONE) {
                    return f;
                }
            }
            i = end + 1;
        }
        return Finding.NONE;
    }

    /** {@code a=1&b=2}: each value (and each bare key) is judged. */
    private Finding params(CharSequence s, int from, int to, boolean plusIsSpace) {
        int i = from;
        while (i < to) {
            int amp = indexOf(s, '&', i);
            int end = amp < 0 || amp > to ? to : amp;
            int eq = indexOf(s, '=', i);
            int valueStart = eq >= 0 && eq < end ? eq + 1 : i;
            if (end > valueStart) {
                Finding f = value(s, valueStart, end, plusIsSpace);
                if (f != Finding.NONE) {
                    return f;
                }
            }
            i = end + 1;
        }
        return Finding.NONE;
    }

    private Finding body(CharSequence body) {
        int first = 0;
        while (first < body.length() && body.charAt(first) <= ' ') {
            first++;
        }
        if (first < body.length() && (body.charAt(first) == '{' || body.charAt(first) == '[')) {
            return json(body, first);
        }
        if (indexOf(body, '=', 0) > 0) {
            return params(body, 0, body.length(), true);
        }
        return value(body, 0, body.length(), false);
    }

    /** Every string value of a JSON document (keys are skipped), escapes decoded. */
    private Finding json(CharSequence s, int from) {
        int i = from;
        int n = s.length();
        while (i < n) {
            if (s.charAt(i) != '"') {
                i++;
                continue;
            }
            valueLength = 0;
            int j = i + 1;
            while (j < n && s.charAt(j) != '"') {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < n) {
                    j++;
                    c = switch (s.charAt(j)) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'u' -> {
                            int cp = j + 4 < n ? hex4(s, j + 1) : -1;
                            if (cp >= 0) {
                                j += 4;
                                yield (char) cp;
                            }
                            yield 'u';
                        }
                        default -> s.charAt(j);
                    };
                }
                if (valueLength < MAX_VALUE_CHARS) {
                    value[valueLength++] = c;
                }
                j++;
            }
            int k = j + 1;
            while (k < n && s.charAt(k) <= ' ') {
                k++;
            }
            boolean isKey = k < n && s.charAt(k) == ':';
            if (!isKey) {
                Finding f = judgeCounted();
                if (f != Finding.NONE) {
                    return f;
                }
            }
            i = j + 1;
        }
        return Finding.NONE;
    }

    private Finding value(CharSequence s, int from, int to, boolean plusIsSpace) {
        valueLength = 0;
        append(s, from, to, plusIsSpace);
        return judgeCounted();
    }

    private Finding judgeCounted() {
        if (valuesRead++ >= MAX_VALUES) {
            return Finding.NONE;
        }
        return judgeValue();
    }

    /** Appends with percent-decoding (UTF-8 bytes above ASCII are kept as single chars; SQL syntax is ASCII). */
    private void append(CharSequence s, int from, int to, boolean decode) {
        for (int i = from; i < to && valueLength < MAX_VALUE_CHARS; i++) {
            char c = s.charAt(i);
            if (decode) {
                if (c == '+') {
                    c = ' ';
                } else if (c == '%' && i + 2 < to) {
                    int hi = hex(s.charAt(i + 1));
                    int lo = hex(s.charAt(i + 2));
                    if (hi >= 0 && lo >= 0) {
                        c = (char) (hi << 4 | lo);
                        i += 2;
                    }
                }
            }
            value[valueLength++] = c;
        }
    }

    private Finding judgeValue() {
        Finding f = judgeBare();
        if (f == Finding.NONE) {
            f = judgeQuoted('\'');
        }
        if (f == Finding.NONE) {
            f = judgeQuoted('"');
        }
        if (f != Finding.NONE) {
            lastMatch = new String(value, 0, valueLength);
        }
        return f;
    }

    /** The value placed bare: it must start like SQL that continues a numeric context. */
    private Finding judgeBare() {
        tokens.tokenize(value, 0, valueLength);
        if (tokens.count == 0) {
            return Finding.NONE;
        }
        int t = 0;
        if (tokens.isOp(0, "-") && tokens.type(1) == SqlTokenizer.NUMBER) {
            t = 1;
        }
        int first = tokens.type(t);
        if (first == SqlTokenizer.NUMBER) {
            t++;
            while (tokens.type(t) == SqlTokenizer.RPAREN) {
                t++;
            }
            if (t == tokens.count) {
                return Finding.NONE;
            }
            return tail(t, true, false);
        }
        if (first == SqlTokenizer.RPAREN || first == SqlTokenizer.SEMI || tokens.is(t, "or") || tokens.is(t, "and")
                || tokens.is(t, "union") || tokens.isOp(t, "||")) {
            return tail(t, true, false);
        }
        return Finding.NONE;
    }

    /** The value placed inside {@code quote}s: only what follows the first unescaped quote is SQL. */
    private Finding judgeQuoted(char quote) {
        int breakout = -1;
        for (int i = 0; i < valueLength; i++) {
            char c = value[i];
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                if (i + 1 < valueLength && value[i + 1] == quote) {
                    i++;
                } else {
                    breakout = i + 1;
                    break;
                }
            }
        }
        if (breakout < 0) {
            return Finding.NONE;
        }
        tokens.tokenize(value, breakout, valueLength);
        int t = 0;
        while (tokens.type(t) == SqlTokenizer.RPAREN) {
            t++;
        }
        int k = tokens.type(t);
        if (k == SqlTokenizer.LINE_COMMENT || k == SqlTokenizer.BLOCK_COMMENT) {
            return Finding.COMMENT_TRUNCATION;
        }
        if (!(k == SqlTokenizer.OP || k == SqlTokenizer.SEMI || tokens.isAny(t, QUOTE_FOLLOWERS))) {
            return Finding.NONE;
        }
        Finding f = tail(t, true, false);
        if (f == Finding.NONE && tokens.isAny(t, CLAUSES) && isComment(tokens.count - 1)) {
            return Finding.COMMENT_TRUNCATION;
        }
        return f;
    }

    private boolean isComment(int t) {
        int k = tokens.type(t);
        return k == SqlTokenizer.LINE_COMMENT || k == SqlTokenizer.BLOCK_COMMENT;
    }

    /**
     * What follows a break-out, from token {@code from}.
     *
     * @param andToo     {@code AND} comparisons count as tautologies too (blind probes), as in client input
     * @param query      judging an application's statement (stricter: UNION needs markers, stacking needs a change)
     */
    private Finding tail(int from, boolean andToo, boolean query) {
        for (int t = from; t < tokens.count; t++) {
            if (isSleep(t)) {
                return Finding.TIME_DELAY;
            }
            if ((tokens.is(t, "or") || tokens.isOp(t, "||") || andToo && (tokens.is(t, "and") || tokens.isOp(t, "&&")
                    || tokens.is(t, "xor"))) && tautologyAfter(t + 1, tokens.is(t, "or") || tokens.isOp(t, "||"))) {
                return Finding.TAUTOLOGY;
            }
            if (tokens.is(t, "union") && unionSelectAt(t + 1) > 0 && (!query || unionMarkers(unionSelectAt(t + 1)))) {
                return Finding.UNION_SELECT;
            }
            if (!query && tokens.type(t) == SqlTokenizer.SEMI && tokens.isAny(t + 1, STATEMENTS)) {
                return Finding.STACKED_QUERY;
            }
        }
        return Finding.NONE;
    }

    private Finding judgeQuery() {
        Finding f = tail(0, false, true);
        if (f != Finding.NONE) {
            return f;
        }
        boolean firstIsSelect = tokens.is(0, "select") || tokens.is(0, "with");
        for (int t = 0; t < tokens.count; t++) {
            int k = tokens.type(t);
            if (k == SqlTokenizer.SEMI && firstIsSelect && tokens.isAny(t + 1, CHANGES)) {
                return Finding.STACKED_QUERY;
            }
            if (k == SqlTokenizer.STRING && t + 1 < tokens.count) {
                int next = t + 1;
                if (tokens.type(next) == SqlTokenizer.LINE_COMMENT && commentHoldsRest(next)
                        || tokens.type(next) == SqlTokenizer.BLOCK_COMMENT && !tokens.closed[next]) {
                    return Finding.COMMENT_TRUNCATION;
                }
            }
        }
        return Finding.NONE;
    }

    private boolean commentHoldsRest(int t) {
        int from = tokens.start[t];
        int to = tokens.end[t];
        for (int i = from; i < to; i++) {
            char c = value[i];
            if (c == '\'' || c == '"') {
                return true;
            }
            if (i + 2 < to && (c == ' ') && (word(i + 1, to, "and") || word(i + 1, to, "or"))) {
                return true;
            }
        }
        return false;
    }

    private boolean word(int at, int to, String w) {
        int n = w.length();
        if (at + n > to) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value[at + i];
            if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != w.charAt(i)) {
                return false;
            }
        }
        return at + n == to || !SqlTokenizer.isWordPart(value[at + n]);
    }

    private boolean isSleep(int t) {
        if (tokens.isAny(t, SLEEPS) && tokens.type(t + 1) == SqlTokenizer.LPAREN) {
            return true;
        }
        if (tokens.is(t, "waitfor") && (tokens.is(t + 1, "delay") || tokens.is(t + 1, "time"))) {
            return true;
        }
        return tokens.is(t, "dbms_pipe") && tokens.type(t + 1) == SqlTokenizer.DOT && tokens.is(t + 2, "receive_message");
    }

    /** The token after {@code SELECT} when a union's SELECT starts at {@code t}, else -1. */
    private int unionSelectAt(int t) {
        if (tokens.is(t, "all") || tokens.is(t, "distinct")) {
            t++;
        }
        while (tokens.type(t) == SqlTokenizer.LPAREN) {
            t++;
        }
        return tokens.is(t, "select") ? t + 1 : -1;
    }

    /** In an application's statement, a union branch that pads with NULLs or reads system data. */
    private boolean unionMarkers(int t) {
        int nulls = 0;
        for (; t < tokens.count && tokens.type(t) != SqlTokenizer.SEMI; t++) {
            if (tokens.is(t, "union")) {
                break;
            }
            if (tokens.is(t, "null")) {
                nulls++;
            }
            if (tokens.isAny(t, CATALOGS) || tokens.type(t) == SqlTokenizer.VAR && tokens.text[tokens.start[t] + 1] == '@'
                    || tokens.isAny(t, SYSTEM_FUNCTIONS) && tokens.type(t + 1) == SqlTokenizer.LPAREN
                    || tokens.is(t, "mysql") && tokens.type(t + 1) == SqlTokenizer.DOT && tokens.is(t + 2, "user")) {
                return true;
            }
        }
        return nulls >= 2;
    }

    /** Whether an always-true condition starts at {@code t}; {@code or} allows the bare-truth forms. */
    private boolean tautologyAfter(int t, boolean or) {
        if (tokens.is(t, "not")) {
            t++;
        }
        while (tokens.type(t) == SqlTokenizer.LPAREN) {
            t++;
        }
        int a = t;
        int op = t + 1;
        int b = t + 2;
        if (or && (tokens.is(a, "true") || tokens.type(a) == SqlTokenizer.NUMBER && !isZero(a)) && endsCondition(op)) {
            // OR 1 -- / OR TRUE; : the terminator is required, as "1 or 2" is also plain text.
            return true;
        }
        if (!isComparison(op) || b >= tokens.count) {
            return false;
        }
        int ka = tokens.type(a);
        int kb = tokens.type(b);
        boolean literals = (ka == SqlTokenizer.STRING || ka == SqlTokenizer.NUMBER)
                && (kb == SqlTokenizer.STRING || kb == SqlTokenizer.NUMBER);
        boolean sameColumn = ka == SqlTokenizer.WORD && kb == SqlTokenizer.WORD && !isKeywordOperand(a)
                && sameText(a, b, false);
        if (!literals && !sameColumn) {
            return false;
        }
        boolean equal = sameText(a, b, true);
        if (tokens.isOp(op, "<>") || tokens.isOp(op, "!=")) {
            return !equal;
        }
        if (tokens.isOp(op, "<") || tokens.isOp(op, ">")) {
            return ka == SqlTokenizer.NUMBER && kb == SqlTokenizer.NUMBER && compareNumbers(a, b) == (tokens.isOp(op, "<") ? -1 : 1);
        }
        return equal;
    }

    private boolean isKeywordOperand(int t) {
        return tokens.is(t, "null") || tokens.is(t, "select");
    }

    private boolean isComparison(int t) {
        for (String c : COMPARISONS) {
            if (tokens.isOp(t, c)) {
                return true;
            }
        }
        return tokens.is(t, "like") || tokens.is(t, "is");
    }

    private boolean endsCondition(int t) {
        int k = tokens.type(t);
        return k == SqlTokenizer.LINE_COMMENT || k == SqlTokenizer.BLOCK_COMMENT
                || k == SqlTokenizer.SEMI || k == SqlTokenizer.RPAREN || tokens.is(t, "limit") || tokens.is(t, "order")
                || tokens.is(t, "group") || tokens.is(t, "union");
    }

    private boolean isZero(int t) {
        for (int i = tokens.start[t]; i < tokens.end[t]; i++) {
            char c = value[i];
            if (c != '0' && c != '.' && c != 'x' && c != 'X') {
                return false;
            }
        }
        return true;
    }

    /** Compares two literal tokens by content: quotes stripped (an unclosed string runs to its end), case kept. */
    private boolean sameText(int a, int b, boolean literal) {
        int as = tokens.start[a];
        int ae = tokens.end[a];
        int bs = tokens.start[b];
        int be = tokens.end[b];
        if (literal && tokens.type[a] == SqlTokenizer.STRING) {
            as++;
            ae -= tokens.closed[a] ? 1 : 0;
        }
        if (literal && tokens.type[b] == SqlTokenizer.STRING) {
            bs++;
            be -= tokens.closed[b] ? 1 : 0;
        }
        if (ae - as != be - bs) {
            return false;
        }
        for (int i = 0; i < ae - as; i++) {
            char x = value[as + i];
            char y = value[bs + i];
            if (x != y && (literal || Character.toLowerCase(x) != Character.toLowerCase(y))) {
                return false;
            }
        }
        return true;
    }

    private int compareNumbers(int a, int b) {
        try {
            double x = Double.parseDouble(new String(value, tokens.start[a], tokens.end[a] - tokens.start[a]));
            double y = Double.parseDouble(new String(value, tokens.start[b], tokens.end[b] - tokens.start[b]));
            return Double.compare(x, y);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int hex4(CharSequence s, int from) {
        int v = 0;
        for (int i = from; i < from + 4; i++) {
            int h = hex(s.charAt(i));
            if (h < 0) {
                return -1;
            }
            v = v << 4 | h;
        }
        return v;
    }
}
