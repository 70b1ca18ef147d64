package dev.vigil.lab.attack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code miner}: a Stratum session between a client in the source pod and a mining pool on the
 * simulated internet ({@code pool.minexmr.example:3333}, 203.0.113.33, played by this scenario).
 * Both speak newline-delimited JSON-RPC: the client (busybox {@code nc} fed scripted lines) sends
 * {@code mining.subscribe}, {@code mining.authorize} and {@code mining.submit}; the pool answers
 * and pushes {@code mining.set_difficulty} and {@code mining.notify}. Nothing is mined. The effect:
 * the pool received the three calls, and the client printed the pool's job.
 */
final class Miner implements Technique {

    static final int PORT = 3333;
    static final String WORKER = "4VigiLabWa11etNotARealAddress.rig1";
    /** Longest wait for the session. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Most lines the pool reads from one client. */
    static final int MAX_LINES = 64;

    static final List<String> CLIENT_LINES = List.of(
            "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cpuminer/2.5.1\"]}",
            "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + WORKER + "\",\"x\"]}",
            "{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"" + WORKER + "\",\"vigil-job-1\",\"00000000\",\"6553f100\",\"b2957c02\"]}");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        AttackerHost pool = AttackerHost.named("pool.minexmr.example");
        ServerSocket server = pool.listen(run, PORT);
        server.setSoTimeout((int) WAIT.toMillis());
        CompletableFuture<List<String>> session = CompletableFuture.supplyAsync(() -> serve(server), Thread::startVirtualThread);

        StringBuilder script = new StringBuilder("(");
        for (String line : CLIENT_LINES) {
            script.append(" printf '%s\\n' '").append(line).append("'; sleep 1;");
        }
        script.append(" ) | nc ").append(pool.name()).append(' ').append(PORT);
        long start = AttackRun.nowNanos();
        AttackRun.Ran client = run.command(from, "sh", "-c", script.toString()).timeout(WAIT)
                .run("Stratum client (busybox nc) to " + pool.name() + ":" + PORT + ": subscribe, authorize, submit");
        List<String> methods = session.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        run.record("pool " + pool.name() + ":" + PORT + " served the session", pool + ":" + PORT, start, String.join("\n", methods));
        run.check(methods.contains("mining.subscribe") && methods.contains("mining.authorize " + WORKER)
                        && methods.contains("mining.submit vigil-job-1"),
                "the pool did not receive subscribe, authorize and submit: " + methods);
        run.check(methods.getFirst().equals("connection from " + from.pod().ip()), "the pool's client was not the pod: " + methods);
        run.check(client.stdout().contains("mining.notify"), "the client did not receive the pool's mining.notify: " + client.stdout());
        run.evidence("pool " + pool + " received " + methods + " from " + from.pod().ip() + "; the client got mining.notify");
    }

    /** Plays the pool for one connection; returns each call received ({@code method} and its first argument that names something). */
    private static List<String> serve(ServerSocket server) {
        List<String> calls = new ArrayList<>();
        try (Socket s = server.accept()) {
            s.setSoTimeout((int) WAIT.toMillis());
            calls.add("connection from " + s.getInetAddress().getHostAddress());
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            String line;
            while (calls.size() < MAX_LINES && (line = in.readLine()) != null) {
                JsonNode call = JSON.readTree(line);
                String method = call.path("method").asString();
                JsonNode id = call.path("id");
                switch (method) {
                    case "mining.subscribe" -> {
                        calls.add(method);
                        out.println("{\"id\":" + id + ",\"result\":[[[\"mining.set_difficulty\",\"d1\"],[\"mining.notify\",\"n1\"]],"
                                + "\"08000002\",4],\"error\":null}");
                    }
                    case "mining.authorize" -> {
                        calls.add(method + " " + call.path("params").path(0).asString());
                        out.println("{\"id\":" + id + ",\"result\":true,\"error\":null}");
                        out.println("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[1]}");
                        out.println("{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"vigil-job-1\","
                                + "\"4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000\",\"01000000010000\","
                                + "\"ffffffff0100f2052a01000000\",[],\"20000000\",\"1d00ffff\",\"6553f100\",true]}");
                    }
                    case "mining.submit" -> {
                        calls.add(method + " " + call.path("params").path(1).asString());
                        out.println("{\"id\":" + id + ",\"result\":true,\"error\":null}");
                        return calls;
                    }
                    default -> {
                        calls.add("unknown " + line);
                        out.println("{\"id\":" + id + ",\"result\":null,\"error\":[20,\"unknown method\",null]}");
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            calls.add("pool error: " + e.getMessage());
        }
        return calls;
    }
}
