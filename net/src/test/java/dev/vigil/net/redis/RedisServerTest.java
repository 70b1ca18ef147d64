package dev.vigil.net.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.RedisRecord;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.RecordingProxy;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** redis-cli talking to a real redis-server on loopback, through a recording relay. */
class RedisServerTest {

    @TempDir
    Path dir;

    @Test
    void redisCliSessionAndPipe() throws Exception {
        Requirements.requireCommands("redis-server", "redis-cli");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try (RecordingProxy proxy = new RecordingProxy(port)) {
            awaitListening(port);
            String session = "SET greeting hello\nGET greeting\nRPUSH list a b\nLRANGE list 0 -1\nGET missing\n"
                    + "INCR greeting\n";
            cli(proxy.port(), session, "-p", String.valueOf(proxy.port()));
            cli(proxy.port(), "SET p1 one\r\nSET p2 two\r\nGET p1\r\n", "-p", String.valueOf(proxy.port()), "--pipe");
            List<Transcript> transcripts = proxy.transcripts();
            assertThat(transcripts).hasSize(2);

            CapturingContext first = analyze(transcripts.get(0));
            assertThat(first.records(RedisRecord.class))
                    .extracting(RedisRecord::name, RedisRecord::key, RedisRecord::value, RedisRecord::success, RedisRecord::reply)
                    .contains(
                            tuple("SET", "greeting", "hello", true, "OK"),
                            tuple("GET", "greeting", null, true, "hello"),
                            tuple("RPUSH", null, null, true, "2"),
                            tuple("LRANGE", null, null, true, "[a, b]"),
                            tuple("GET", "missing", null, true, "(nil)"),
                            tuple("INCR", "greeting", null, false, "ERR value is not an integer or out of range"));
            assertThat(first.anomalies).isEmpty();

            CapturingContext piped = analyze(transcripts.get(1));
            assertThat(piped.records(RedisRecord.class))
                    .extracting(RedisRecord::name, RedisRecord::key, RedisRecord::value, RedisRecord::reply)
                    .startsWith(tuple("SET", "p1", "one", "OK"), tuple("SET", "p2", "two", "OK"), tuple("GET", "p1", null, "one"));
            assertThat(piped.anomalies).isEmpty();
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static CapturingContext analyze(Transcript t) {
        CapturingContext context = new CapturingContext(t.id());
        t.feed(context, new RedisProtocol().create(context));
        assertThat(context.services).containsExactly("redis");
        return context;
    }

    private void cli(int port, String input, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1"));
        command.addAll(List.of(args));
        Path in = Files.writeString(dir.resolve("in-" + System.nanoTime()), input, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(out).isTrue();
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("redis-server did not listen on 127.0.0.1:" + port + " within 5 s");
    }
}
