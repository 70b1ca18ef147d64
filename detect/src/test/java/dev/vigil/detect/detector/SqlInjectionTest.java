package dev.vigil.detect.detector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.detector.SqlInjection.Finding;
import dev.vigil.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class SqlInjectionTest {

    private final SqlInjection sqli = new SqlInjection();

    /** Client input as attackers send it (decoded), with what it is. */
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "' OR '1'='1 => TAUTOLOGY",
            "' OR '1'='1' -- => TAUTOLOGY",
            "' or 1=1-- => TAUTOLOGY",
            "\" OR \"\"=\" => TAUTOLOGY",
            "\" or \"a\"=\"a => TAUTOLOGY",
            "' or ''=' => TAUTOLOGY",
            "' or 'x'='x => TAUTOLOGY",
            "admin' or '1'='1'/* => TAUTOLOGY",
            "' or 1=1 limit 1 -- - => TAUTOLOGY",
            "1 OR 1=1 => TAUTOLOGY",
            "-1 OR 2>1 => TAUTOLOGY",
            "1' AND '1'='1 => TAUTOLOGY",
            "1 AND 1=1 => TAUTOLOGY",
            "1) OR (1=1 => TAUTOLOGY",
            "') OR ('a'='a => TAUTOLOGY",
            "' OR 'a'<>'b => TAUTOLOGY",
            "' OR username=username-- => TAUTOLOGY",
            "' OR TRUE-- => TAUTOLOGY",
            "'||'1'='1 => TAUTOLOGY",
            "admin'-- => COMMENT_TRUNCATION",
            "admin' # => COMMENT_TRUNCATION",
            "admin'/* => COMMENT_TRUNCATION",
            "1' ORDER BY 3--+ => COMMENT_TRUNCATION",
            "x' AND email IS NULL; -- => COMMENT_TRUNCATION",
            "' UNION SELECT username, password FROM users-- => UNION_SELECT",
            "1 UNION ALL SELECT NULL,NULL,NULL-- => UNION_SELECT",
            "' UNION SELECT NULL, version()-- => UNION_SELECT",
            "-1' union distinct (select 1,2,3)# => UNION_SELECT",
            "union select password from users => UNION_SELECT",
            "1; DROP TABLE users => STACKED_QUERY",
            "'; DROP TABLE users; -- => STACKED_QUERY",
            "1'; EXEC xp_cmdshell('dir')-- => STACKED_QUERY",
            "1; SELECT pg_read_file('/etc/passwd') => STACKED_QUERY",
            "1 AND SLEEP(5) => TIME_DELAY",
            "' AND SLEEP(5)-- => TIME_DELAY",
            "1' AND (SELECT 1 FROM (SELECT SLEEP(5))a)-- => TIME_DELAY",
            "'; WAITFOR DELAY '0:0:5'-- => TIME_DELAY",
            "1 OR pg_sleep(5)-- => TIME_DELAY",
            "'||pg_sleep(10)-- => TIME_DELAY",
            "1 AND BENCHMARK(5000000,MD5(1)) => TIME_DELAY",
            "1' AND 1=DBMS_PIPE.RECEIVE_MESSAGE('a',5)-- => TIME_DELAY",
    })
    void findsInjectionInClientInput(String input, Finding expected) {
        assertThat(sqli.inInput(input)).as(input).isEqualTo(expected);
        assertThat(sqli.lastMatch()).isEqualTo(input);
    }

    static final List<String> BENIGN_INPUT = List.of(
            "O'Brien", "it's a dog's life", "union station", "select committee", "Rock 'n' roll", "1=1 is true",
            "Tom & Jerry", "C++ -- the language", "price between 10 and 20", "10 and 20", "5 or more", "1 or 2",
            "john.doe@example.com", "\"quoted search\"", "He said \"hello\"; then left", "I'm 5' 11\"",
            "don't stop; select the best", "how to use UNION in SQL", "title=5 O'Clock Somewhere",
            "Great product!! 10/10 would buy again -- John", "o'reilly@example.com", "2020--2021", "name desc",
            "status eq 'active' and age gt 30", "Mc'Donald", "use ; and -- carefully", "42", "-17.5", "0x1f",
            "SELECT", "drop shipping", "sleep apnea", "benchmark results 2024", "delete my account please",
            "where is my order?", "1; 2; 3", "a' or b", "l'amour ou l'argent", "rock'n'roll; drop by later",
            "Let's meet at 5; select a place", "order #1234", "#hashtag", "/* not a comment */", "50% off",
            "It's 100% true or false", "x' is fine", "that's like it", "O'Neil and O'Neal", "10' or 20'",
            "3 > 2", "a=b", "user's guide (2nd ed.)", "SELECT * FROM docs is a query", "union of workers",
            "don't -- really", "semicolons; everywhere; here", "1,2,3", "(555) 123-4567", "ÄÖÜ äöü ß",
            "{\"a\":1}", "<script>", "../../etc/passwd", "true", "false", "null", "'", "''", "\"", "--", "#", ";");

    @ParameterizedTest
    @FieldSource("BENIGN_INPUT")
    void benignInputIsNotAnInjection(String input) {
        assertThat(sqli.inInput(input)).as(input).isEqualTo(Finding.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "SELECT * FROM users WHERE name = '' OR '1'='1' => TAUTOLOGY",
            "SELECT * FROM users WHERE id = 1 OR 1=1 => TAUTOLOGY",
            "SELECT * FROM users WHERE name = 'x' OR 'a'<>'b' => TAUTOLOGY",
            "SELECT * FROM users WHERE name = 'admin'-- ' AND password = 'x' => COMMENT_TRUNCATION",
            "SELECT * FROM users WHERE u = 'admin'/*' AND p = 'x' => COMMENT_TRUNCATION",
            "SELECT * FROM users WHERE u = 'a' -- and p = 'x' => COMMENT_TRUNCATION",
            "SELECT name FROM items WHERE id = -1 UNION SELECT NULL, NULL, NULL => UNION_SELECT",
            "SELECT name FROM items WHERE id = 1 UNION ALL SELECT table_name, NULL FROM information_schema.tables => UNION_SELECT",
            "SELECT name FROM items WHERE id = 1 UNION SELECT @@version => UNION_SELECT",
            "SELECT * FROM t WHERE id = 1 UNION SELECT usename, passwd FROM pg_shadow => UNION_SELECT",
            "SELECT a FROM t WHERE b = '' UNION SELECT current_user() => UNION_SELECT",
            "SELECT * FROM items WHERE id = 1; DROP TABLE users => STACKED_QUERY",
            "SELECT * FROM t WHERE id = 1; COPY (SELECT '') TO PROGRAM 'id' => STACKED_QUERY",
            "SELECT * FROM items WHERE id = 1 AND pg_sleep(5) IS NULL => TIME_DELAY",
            "SELECT * FROM items WHERE name = '' AND SLEEP(5)-- ' => TIME_DELAY",
            "SELECT * FROM t WHERE id = 1; WAITFOR DELAY '0:0:5' => TIME_DELAY",
    })
    void findsInjectionInDatabaseQueries(String sql, Finding expected) {
        assertThat(sqli.inQuery(sql)).as(sql).isEqualTo(expected);
    }

    static final List<String> BENIGN_QUERIES = List.of(
            "SELECT id, name FROM users WHERE email = 'o''brien@example.com'",
            "SELECT * FROM orders WHERE 1=1 AND status = $1 ORDER BY created_at DESC LIMIT 20",
            "INSERT INTO audit (msg) VALUES ('user said: it''s -- fine')",
            "UPDATE items SET qty = qty - 1 WHERE id = 42",
            "SELECT a FROM t1 UNION SELECT a FROM t2",
            "SELECT name FROM products UNION ALL SELECT name FROM archived_products ORDER BY name",
            "BEGIN; UPDATE accounts SET balance = balance - 100 WHERE id = 1; UPDATE accounts SET balance = balance + 100 WHERE id = 2; COMMIT;",
            "CREATE TABLE x (id int); CREATE INDEX x_id ON x (id);",
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
            "SELECT 1 -- health check",
            "SELECT version()",
            "SET search_path TO app, public",
            "SELECT * FROM users WHERE name LIKE '%smith%' OR email LIKE '%smith%'",
            "SELECT count(*) FROM events WHERE type = 'login' OR type = 'logout'",
            "SELECT * FROM t WHERE a = 'x' /* sqlcommenter: controller='users' */",
            "/* app=web */ SELECT * FROM sessions WHERE token = $1",
            "SELECT pg_database_size(current_database())",
            "SELECT * FROM jobs WHERE run_at <= now() FOR UPDATE SKIP LOCKED",
            "WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') SELECT count(*) FROM recent",
            "SELECT * FROM `users` WHERE `id` = 5",
            "SELECT 'a' || 'b'",
            "SELECT * FROM t WHERE x = 1 OR x = 2",
            "SELECT * FROM t WHERE deleted = false OR deleted IS NULL",
            "SELECT u.id, u.name FROM users u JOIN roles r ON r.id = u.role_id WHERE r.name IN ('admin', 'ops')",
            "INSERT INTO posts (title, body) VALUES ('Union Select: a review', 'We select -- carefully; drop by')",
            "SELECT * FROM items WHERE name ILIKE '%sleep%'",
            "SELECT id FROM products WHERE price > 10 AND price < 100 ORDER BY price",
            "DELETE FROM sessions WHERE expires_at < now()",
            "SELECT 1",
            "SHOW server_version",
            "SELECT \"User\".\"id\" FROM \"User\" WHERE \"User\".\"email\" = $1 LIMIT $2",
            "select `t0`.`id`, `t0`.`name` from `customers` as `t0` where (`t0`.`id` = ?)",
            "SELECT * FROM t WHERE a = 1 OR b = 1",
            "SELECT COALESCE(NULL, NULL, 'x')",
            "SELECT x FROM a UNION SELECT NULL FROM b",
            "SELECT @@session.transaction_isolation",
            "SELECT nextval('orders_id_seq')",
            "COPY items (id, name) FROM STDIN",
            "SELECT * FROM t WHERE s = 'it''s' -- trailing note",
            "VACUUM ANALYZE items");

    @ParameterizedTest
    @FieldSource("BENIGN_QUERIES")
    void benignQueriesAreNotInjections(String sql) {
        assertThat(sqli.inQuery(sql)).as(sql).isEqualTo(Finding.NONE);
    }

    @Test
    void httpRequestsAreSplitIntoDecodedValues() {
        assertThat(sqli.inHttp("/items?id=1+OR+1%3D1&sort=name", null)).isEqualTo(Finding.TAUTOLOGY);
        assertThat(sqli.lastMatch()).isEqualTo("1 OR 1=1");
        assertThat(sqli.inHttp("/items/1 UNION SELECT NULL,NULL--/details", null)).isEqualTo(Finding.UNION_SELECT);
        assertThat(sqli.inHttp("/login", "user=admin%27--&pass=x")).isEqualTo(Finding.COMMENT_TRUNCATION);
        assertThat(sqli.lastMatch()).isEqualTo("admin'--");
        assertThat(sqli.inHttp("/api/login", "{\"user\": \"admin' OR '1'='1\", \"remember\": true}"))
                .isEqualTo(Finding.TAUTOLOGY);
        assertThat(sqli.inHttp("/api/login", "{\"user\\u0027 OR 1=1--\": \"x\"}")).as("keys are not values")
                .isEqualTo(Finding.NONE);
        assertThat(sqli.inHttp("/api/login", "{\"user\": \"x\\u0027 OR 1=1--\"}")).isEqualTo(Finding.TAUTOLOGY);
        assertThat(sqli.inHttp("/search", "q=1; DROP TABLE t")).isEqualTo(Finding.STACKED_QUERY);
        assertThat(sqli.lastMatch()).isEqualTo("1; DROP TABLE t");
        assertThat(sqli.inHttp("/notes", "1; DROP TABLE t")).as("a body without parameters is one value")
                .isEqualTo(Finding.STACKED_QUERY);
        assertThat(sqli.inHttp("/search?q=O%27Brien&page=2#top", "{\"name\":\"Mc'Donald\",\"note\":\"use ; and -- carefully\"}"))
                .isEqualTo(Finding.NONE);
        assertThat(sqli.inHttp("/", "")).isEqualTo(Finding.NONE);
        assertThat(sqli.inHttp(null, null)).isEqualTo(Finding.NONE);
        assertThat(sqli.inHttp("/a?%zz=%4", null)).isEqualTo(Finding.NONE);
    }

    @Test
    void valueLengthIsBoundedAtLimitPlusOne() {
        String attack = "' OR '1'='1";
        String pad = "x".repeat(SqlInjection.MAX_VALUE_CHARS - attack.length());
        assertThat(sqli.inInput(pad + attack)).isEqualTo(Finding.TAUTOLOGY);
        assertThat(sqli.inInput(pad + "x" + attack)).as("the closing '1 is cut off").isEqualTo(Finding.NONE);
        String query = "SELECT * FROM t WHERE a = '" + "y".repeat(SqlInjection.MAX_VALUE_CHARS) + "' OR '1'='1'";
        assertThat(sqli.inQuery(query)).isEqualTo(Finding.NONE);
    }

    @Test
    void valuesPerRequestAreBoundedAtLimitPlusOne() {
        StringBuilder q = new StringBuilder("/s?");
        for (int i = 0; i < SqlInjection.MAX_VALUES - 2; i++) {
            q.append("p").append(i).append("=v&");
        }
        assertThat(sqli.inHttp(q + "x=1%20OR%201%3D1", null)).isEqualTo(Finding.TAUTOLOGY);
        assertThat(sqli.inHttp(q + "extra=v&x=1%20OR%201%3D1", null)).isEqualTo(Finding.NONE);
    }

    @Test
    void tokensAreBoundedAtLimitPlusOne() {
        String filler = "a ".repeat(SqlTokenizer.MAX_TOKENS - 4);
        assertThat(sqli.inQuery(filler + "OR 1=1")).isEqualTo(Finding.TAUTOLOGY);
        assertThat(sqli.inQuery("a " + filler + "OR 1=1")).isEqualTo(Finding.NONE);
        SqlTokenizer t = new SqlTokenizer();
        char[] text = ("a ".repeat(SqlTokenizer.MAX_TOKENS + 1)).toCharArray();
        t.tokenize(text, 0, text.length);
        assertThat(t.count).isEqualTo(SqlTokenizer.MAX_TOKENS);
        assertThat(t.truncated()).isTrue();
    }

    @Test
    void tokenizerReadsSqlTokens() {
        SqlTokenizer t = new SqlTokenizer();
        char[] s = "SELECT a.b, 'it''s', \"q\\\"x\", 0x1F, 1.5e3, @@version, `t`->>'k' -- c\n/* d */ ; 'open".toCharArray();
        t.tokenize(s, 0, s.length);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.count; i++) {
            out.add(t.type[i] + ":" + new String(s, t.start[i], t.end[i] - t.start[i]) + (t.closed[i] ? "" : "…"));
        }
        assertThat(out).containsExactly("3:SELECT", "3:a", "12:.", "3:b", "10:,", "1:'it''s'", "10:,", "1:\"q\\\"x\"",
                "10:,", "2:0x1F", "10:,", "2:1.5e3", "10:,", "11:@@version", "10:,", "3:`t`", "4:->>", "1:'k'",
                "5:-- c", "6:/* d */", "7:;", "1:'open…");
    }

    @RepeatedTest(30)
    void mutatedInputNeverThrows(RepetitionInfo info) {
        long seed = 0x5a1L + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] base = "SELECT * FROM t WHERE a = '' OR '1'='1' -- x /* y */ UNION SELECT NULL; DROP `t` @@v 0x1f \"q\\\""
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 200; i++) {
            String s = new String(Mutations.mutate(random, base), StandardCharsets.ISO_8859_1);
            try {
                sqli.inQuery(s);
                sqli.inInput(s);
                sqli.inHttp(s, s);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " input " + s, e);
            }
        }
    }
}
