package dev.vigil.detect.detector;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SQL injection analysis of the common, benign case: a typical API request (path, five query
 * parameters, a small JSON body) and a typical ORM statement. Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SqlInjectionBenchmark {

    private final SqlInjection sqli = new SqlInjection();
    private final String uri = "/api/v1/products/4711/reviews?sort=created_at&order=desc&page=3&per_page=20&q=O'Brien+tools";
    private final String body = "{\"rating\": 4, \"title\": \"Works as described\", \"text\": \"Sturdy; arrived -- on time\"}";
    private final String query = "select `t0`.`id`, `t0`.`name`, `t0`.`price` from `products` as `t0` "
            + "where (`t0`.`category_id` = ? and `t0`.`name` like '%drill%') order by `t0`.`price` desc limit 20";

    @Benchmark
    public SqlInjection.Finding httpRequest() {
        return sqli.inHttp(uri, body);
    }

    @Benchmark
    public SqlInjection.Finding databaseQuery() {
        return sqli.inQuery(query);
    }
}
