package dev.vigil.detect.rules.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for Falco's condition language, token for token as libsinsp's
 * {@code filter/parser.cpp} accepts it:
 *
 * <pre>
 * Expr       ::= OrExpr
 * OrExpr     ::= AndExpr ('or' (' ' AndExpr | '(' Expr ')'))*
 * AndExpr    ::= NotExpr ('and' (' ' NotExpr | '(' Expr ')'))*
 * NotExpr    ::= ('not' blank+)* ('not(' Expr ')' | Check)
 * Check      ::= '(' Expr ')' | Field Condition | Transformer Condition | Identifier
 * Condition  ::= 'exists' | NumOp (Number | Transformer) | StrOp (String | Transformer)
 *              | ListOp ('(' (String (',' String)*)? ')' | Transformer | Identifier)
 * Field      ::= FieldName ('[' (QuotedStr | [^][\"' \t\r\n]+) ']')?
 * </pre>
 *
 * String operators need a blank after them ({@code "contains "}), list operators do not; bare strings
 * run until a blank, a parenthesis, a comma, {@code =} or a quote, so list items such as
 * {@code runc:[0:PARENT]} need no quotes. Quoted strings take Falco's escapes ({@code \b \f \n \r \t
 * \\ \/ \" \'} and an escaped blank). Nesting is limited to {@link #MAX_DEPTH} levels, the limit
 * Falco's rule loader sets.
 *
 * <p>Positions ({@link Pos}) count characters from the start of the condition. A parser instance
 * parses one string and is not reusable.
 */
public final class ConditionParser {

    /** Maximum recursion depth while parsing, as Falco's rule loader configures its parser. */
    public static final int MAX_DEPTH = 1000;

    private static final String[] NUM_OPS = {"<=", "<", ">=", ">"};
    private static final String[] STR_OPS = {"==", "=", "!=", "glob ", "iglob ", "contains ", "icontains ",
            "bcontains ", "startswith ", "bstartswith ", "endswith ", "regex "};
    private static final String[] LIST_OPS = {"intersects", "in", "pmatch"};
    private static final String[] TRANSFORMERS = {"tolower(", "toupper(", "b64(", "basename("};
    private static final String VAL = "val(";

    private final String in;
    private int idx;
    private int line = 1;
    private int col = 1;
    private int depth;
    private String lastToken = "";

    private ConditionParser(String input) {
        this.in = input;
    }

    /** Parses a whole condition. */
    public static Expr parse(String condition) throws ConditionException {
        ConditionParser p = new ConditionParser(condition);
        if (condition.isEmpty()) {
            throw new ConditionException("filter input string is empty", Pos.START);
        }
        Expr e = p.parseOr();
        if (p.idx != condition.length()) {
            throw p.error("unexpected token after '" + p.lastToken + "', expecting 'or', 'and'");
        }
        return e;
    }

    /**
     * Parses a field or transformer at the start of {@code text} (as the output formatter does
     * after a {@code %}), returning it with the number of characters it took, or null when
     * {@code text} does not start with one.
     */
    public static Parsed<Expr.Operand> parseFieldPrefix(String text) {
        ConditionParser p = new ConditionParser(text);
        try {
            Expr.Operand op;
            Pos start = p.pos();
            if (p.lexFieldName()) {
                op = p.parseFieldRemainder(p.lastToken, start);
            } else if (p.lexAny(TRANSFORMERS)) {
                p.lexBlank();
                op = p.parseTransformerRemainder(p.lastToken.substring(0, p.lastToken.length() - 1), start);
            } else {
                return null;
            }
            return new Parsed<>(op, p.idx);
        } catch (ConditionException e) {
            return null;
        }
    }

    /** A parse result and the number of characters it consumed. */
    public record Parsed<T>(T value, int length) {
    }

    /** One level of the grammar below a junction. */
    @FunctionalInterface
    private interface Level {
        Expr parse() throws ConditionException;
    }

    private Expr parseOr() throws ConditionException {
        return parseJunction("or", this::parseAnd, false);
    }

    private Expr parseAnd() throws ConditionException {
        return parseJunction("and", this::parseNot, true);
    }

    /** {@code Child (keyword (' ' Child | '(' Expr ')'))*}, Falco's OrExpr and AndExpr. */
    private Expr parseJunction(String keyword, Level child, boolean and) throws ConditionException {
        enter();
        Pos pos = pos();
        List<Expr> children = new ArrayList<>();
        lexBlank();
        children.add(child.parse());
        lexBlank();
        while (lexString(keyword)) {
            if (!lexBlank()) {
                if (lexString("(")) {
                    children.add(parseEmbeddedRemainder());
                } else {
                    throw error("expected blank or '(' after '" + keyword + "'");
                }
            } else {
                children.add(child.parse());
            }
            lexBlank();
        }
        leave();
        if (children.size() == 1) {
            return children.getFirst();
        }
        return and ? new Expr.And(children, pos) : new Expr.Or(children, pos);
    }

    private Expr parseNot() throws ConditionException {
        enter();
        Pos pos = pos();
        boolean negate = false;
        lexBlank();
        while (lexNotBlank()) {
            negate = !negate;
        }
        Expr child;
        if (lexString("not(")) {
            negate = !negate;
            child = parseEmbeddedRemainder();
        } else {
            child = parseCheck();
        }
        leave();
        return negate ? new Expr.Not(child, pos) : child;
    }

    private Expr parseEmbeddedRemainder() throws ConditionException {
        enter();
        lexBlank();
        Expr child = parseOr();
        lexBlank();
        if (!lexString(")")) {
            throw error("expected a ')' token");
        }
        leave();
        return child;
    }

    private Expr parseCheck() throws ConditionException {
        enter();
        Pos pos = pos();
        lexBlank();
        Expr result;
        if (lexString("(")) {
            result = parseEmbeddedRemainder();
        } else if (lexFieldName()) {
            Expr.Operand left = parseFieldRemainder(lastToken, pos);
            result = parseCondition(left, pos);
        } else if (lexAny(TRANSFORMERS)) {
            lexBlank();
            Expr.Operand left = parseTransformerRemainder(lastToken.substring(0, lastToken.length() - 1), pos);
            result = parseCondition(left, pos);
        } else if (lexIdentifier()) {
            result = new Expr.Identifier(lastToken, pos);
        } else {
            throw error("expected a '(' token, a field check, or an identifier");
        }
        leave();
        return result;
    }

    private Expr.Field parseFieldRemainder(String name, Pos pos) throws ConditionException {
        String arg = null;
        if (lexString("[")) {
            if (!lexQuotedString() && !lexFieldArgBareString()) {
                throw error("expected a valid field argument: a quoted string or a bare string");
            }
            arg = lastToken;
            if (!lexString("]")) {
                throw error("expected a ']' token");
            }
        }
        return new Expr.Field(name, arg, pos);
    }

    private Expr.Operand parseTransformerRemainder(String function, Pos pos) throws ConditionException {
        enter();
        lexBlank();
        Pos argPos = pos();
        Expr.Operand child = null;
        if (lexAny(TRANSFORMERS)) {
            lexBlank();
            child = parseTransformerRemainder(lastToken.substring(0, lastToken.length() - 1), argPos);
        }
        if (lexFieldName()) {
            child = parseFieldRemainder(lastToken, argPos);
        }
        if (child == null) {
            throw error("expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename'");
        }
        lexBlank();
        if (!lexString(")")) {
            throw error("expected a ')' token closing the transformer");
        }
        leave();
        return new Expr.Transform(function, child, pos);
    }

    private Expr parseCondition(Expr.Operand left, Pos pos) throws ConditionException {
        enter();
        lexBlank();
        Expr result;
        if (lexString("exists")) {
            result = new Expr.Check(left, "exists", null, pos);
        } else {
            lexBlank();
            Expr.Operand right;
            String op;
            if (lexAny(NUM_OPS)) {
                op = lastToken;
                right = parseNumValueOrTransformer();
            } else if (lexAny(STR_OPS)) {
                op = lastToken.strip();
                right = parseStrValueOrTransformer(false);
            } else if (lexAny(LIST_OPS)) {
                op = lastToken;
                right = parseListValueOrTransformer();
            } else {
                throw error("expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', "
                        + "'!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', "
                        + "'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'");
            }
            result = new Expr.Check(left, op, right, pos);
        }
        leave();
        return result;
    }

    private Expr.Operand parseNumValueOrTransformer() throws ConditionException {
        lexBlank();
        Pos pos = pos();
        Expr.Operand t = tryParseTransformerOrVal();
        if (t != null) {
            return t;
        }
        if (lexHexNumber() || lexNumber()) {
            return new Expr.Value(lastToken, pos);
        }
        throw error("expected a number value or a field with a valid transformer: "
                + "'val', 'tolower', 'toupper', 'b64', 'basename'");
    }

    private Expr.Operand parseStrValueOrTransformer(boolean noTransformer) throws ConditionException {
        lexBlank();
        Pos pos = pos();
        if (!noTransformer) {
            Expr.Operand t = tryParseTransformerOrVal();
            if (t != null) {
                return t;
            }
        }
        if (lexQuotedString() || lexBareString()) {
            return new Expr.Value(lastToken, pos);
        }
        if (noTransformer) {
            throw error("expected a string value");
        }
        throw error("expected a string value or a field with a valid transformer: "
                + "'val', 'tolower', 'toupper', 'b64', 'basename'");
    }

    private Expr.Operand parseListValueOrTransformer() throws ConditionException {
        lexBlank();
        Pos pos = pos();
        if (lexString("(")) {
            List<String> values = new ArrayList<>();
            lexBlank();
            int mark = idx;
            int markLine = line;
            int markCol = col;
            Expr.Operand first;
            try {
                first = parseStrValueOrTransformer(true);
            } catch (ConditionException empty) {
                first = null;
                idx = mark;
                line = markLine;
                col = markCol;
            }
            if (first != null) {
                values.add(((Expr.Value) first).text());
                lexBlank();
                while (lexString(",")) {
                    values.add(((Expr.Value) parseStrValueOrTransformer(true)).text());
                    lexBlank();
                }
            }
            if (!lexString(")")) {
                throw error("expected a ')' token");
            }
            return new Expr.ValueList(values, pos);
        }
        Expr.Operand t = tryParseTransformerOrVal();
        if (t != null) {
            return t;
        }
        if (lexIdentifier()) {
            return new Expr.Value(lastToken, pos);
        }
        throw error("expected a list, an identifier, or a field with a valid transformer: "
                + "'val', 'tolower', 'toupper', 'b64', 'basename'");
    }

    private Expr.Operand tryParseTransformerOrVal() throws ConditionException {
        lexBlank();
        Pos pos = pos();
        if (lexString(VAL)) {
            lexBlank();
            Pos fieldPos = pos();
            if (!lexFieldName()) {
                throw error("expected a field within 'val' transformer");
            }
            Expr.Field field = parseFieldRemainder(lastToken, fieldPos);
            lexBlank();
            if (!lexString(")")) {
                throw error("expected a ')' token closing the transformer");
            }
            return new Expr.Transform("val", field, pos);
        }
        if (lexAny(TRANSFORMERS)) {
            lexBlank();
            return parseTransformerRemainder(lastToken.substring(0, lastToken.length() - 1), pos);
        }
        return null;
    }

    // ---- lexing: each lex* consumes a token and sets lastToken on success, leaving input untouched otherwise

    private boolean lexBlank() {
        boolean found = false;
        while (idx < in.length()) {
            char c = in.charAt(idx);
            if (c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n') {
                advance(1);
                found = true;
            } else {
                break;
            }
        }
        return found;
    }

    /** {@code not[[:space:]]+}. */
    private boolean lexNotBlank() {
        if (!in.startsWith("not", idx)) {
            return false;
        }
        int end = idx + 3;
        while (end < in.length() && isPosixSpace(in.charAt(end))) {
            end++;
        }
        if (end == idx + 3) {
            return false;
        }
        take(end);
        return true;
    }

    private boolean lexIdentifier() {
        int end = identifierEnd(idx);
        if (end < 0) {
            return false;
        }
        take(end);
        return true;
    }

    /** {@code [a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+}. */
    private boolean lexFieldName() {
        int end = identifierEnd(idx);
        if (end < 0) {
            return false;
        }
        int parts = 1;
        while (end < in.length() && in.charAt(end) == '.') {
            int next = identifierEnd(end + 1);
            if (next < 0) {
                break;
            }
            end = next;
            parts++;
        }
        if (parts < 2) {
            return false;
        }
        take(end);
        return true;
    }

    private int identifierEnd(int from) {
        int i = from;
        while (i < in.length() && isAlpha(in.charAt(i))) {
            i++;
        }
        if (i == from) {
            return -1;
        }
        while (i < in.length() && (isAlpha(in.charAt(i)) || isDigit(in.charAt(i)) || in.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    /** {@code [^][\"'[:space:]]+}. */
    private boolean lexFieldArgBareString() {
        return lexRunUntil("[]\"'");
    }

    /** {@code [^()\"'[:space:]=,]+}. */
    private boolean lexBareString() {
        return lexRunUntil("()\"'=,");
    }

    /** One or more characters that are neither blanks nor any of {@code stops}. */
    private boolean lexRunUntil(String stops) {
        int end = idx;
        while (end < in.length() && stops.indexOf(in.charAt(end)) < 0 && !isPosixSpace(in.charAt(end))) {
            end++;
        }
        if (end == idx) {
            return false;
        }
        take(end);
        return true;
    }

    /** {@code 0[xX][0-9a-zA-Z]+}. */
    private boolean lexHexNumber() {
        if (idx + 1 < in.length() && in.charAt(idx) == '0'
                && (in.charAt(idx + 1) == 'x' || in.charAt(idx + 1) == 'X')) {
            int end = idx + 2;
            while (end < in.length() && (isAlpha(in.charAt(end)) || isDigit(in.charAt(end)))) {
                end++;
            }
            if (end > idx + 2) {
                take(end);
                return true;
            }
        }
        return false;
    }

    /** {@code [+\-]?[0-9]+[\.]?[0-9]*([eE][+\-][0-9]+)?}. */
    private boolean lexNumber() {
        int i = idx;
        if (i < in.length() && (in.charAt(i) == '+' || in.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < in.length() && isDigit(in.charAt(i))) {
            i++;
        }
        if (i == digits) {
            return false;
        }
        if (i < in.length() && in.charAt(i) == '.') {
            i++;
        }
        while (i < in.length() && isDigit(in.charAt(i))) {
            i++;
        }
        if (i + 1 < in.length() && (in.charAt(i) == 'e' || in.charAt(i) == 'E')
                && (in.charAt(i + 1) == '+' || in.charAt(i + 1) == '-')) {
            int exp = i + 2;
            int e = exp;
            while (e < in.length() && isDigit(in.charAt(e))) {
                e++;
            }
            if (e > exp) {
                i = e;
            }
        }
        take(i);
        return true;
    }

    /**
     * A single- or double-quoted string. As in libsinsp, the closing quote is the first quote
     * character not preceded by a backslash; the content is then unescaped.
     */
    private boolean lexQuotedString() throws ConditionException {
        if (idx >= in.length()) {
            return false;
        }
        char delimiter = in.charAt(idx);
        if (delimiter != '\'' && delimiter != '"') {
            return false;
        }
        Pos start = pos();
        char prev = '\\';
        int i = idx;
        while (i < in.length()) {
            char c = in.charAt(i);
            if (c == delimiter && prev != '\\') {
                String raw = in.substring(idx, i + 1);
                advance(i + 1 - idx);
                try {
                    lastToken = unescape(raw);
                } catch (IllegalArgumentException e) {
                    throw new ConditionException(e.getMessage(), start);
                }
                return true;
            }
            prev = c;
            i++;
        }
        return false;
    }

    /** Falco's {@code unescape_str}: {@code raw} includes both quotes. */
    static String unescape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean escaped = false;
        char quote = raw.charAt(0);
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (!escaped) {
                if (c == '\\') {
                    escaped = true;
                } else {
                    out.append(c);
                }
                continue;
            }
            switch (c) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case ' ', '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case '"', '\'' -> {
                    if (c != quote) {
                        throw new IllegalArgumentException(c == '"'
                                ? "invalid \\\" escape in '-quoted string"
                                : "invalid \\' escape in \"-quoted string");
                    }
                    out.append(c);
                }
                default -> throw new IllegalArgumentException("unsupported string escape sequence: \\" + c);
            }
            escaped = false;
        }
        return out.toString();
    }

    private boolean lexAny(String[] tokens) {
        for (String t : tokens) {
            if (lexString(t)) {
                return true;
            }
        }
        return false;
    }

    private boolean lexString(String s) {
        if (in.startsWith(s, idx)) {
            take(idx + s.length());
            return true;
        }
        return false;
    }

    private void take(int end) {
        lastToken = in.substring(idx, end);
        advance(end - idx);
    }

    private void advance(int n) {
        for (int k = 0; k < n; k++) {
            char c = in.charAt(idx);
            col++;
            if (c == '\r' || c == '\n') {
                col = 1;
                line++;
            }
            idx++;
        }
    }

    private Pos pos() {
        return new Pos(idx, line, col);
    }

    private ConditionException error(String message) {
        return new ConditionException(message, pos());
    }

    private void enter() throws ConditionException {
        if (++depth >= MAX_DEPTH) {
            throw error("exceeded max depth limit of " + MAX_DEPTH);
        }
    }

    private void leave() {
        depth--;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isPosixSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
