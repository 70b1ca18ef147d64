package dev.vigil.posture.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A tiny OCI distribution registry on loopback serving one OCI layout over real HTTP: manifests by
 * tag or digest, blobs by digest, and optionally the registry token flow (401 with a Bearer
 * challenge, a token endpoint that wants basic credentials).
 */
final class LayoutRegistry implements AutoCloseable {

    static final String TOKEN = "vigil-test-token";

    /** How the registry wants clients to authenticate. */
    enum Auth { NONE, BEARER, BASIC }

    private final HttpServer server;
    private final Path layout;
    private final Auth auth;
    private final String user;
    private final String password;
    final AtomicInteger tokenRequests = new AtomicInteger();
    /** What the token endpoint answers with; a test may make it oversized. */
    volatile String token = TOKEN;

    /** @param user null for an anonymous registry, else one using the token flow */
    LayoutRegistry(Path layout, String user, String password) throws IOException {
        this(layout, user == null ? Auth.NONE : Auth.BEARER, user, password);
    }

    LayoutRegistry(Path layout, Auth auth, String user, String password) throws IOException {
        this.layout = layout;
        this.auth = auth;
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v2/", this::v2);
        server.createContext("/token", this::token);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void v2(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String given = ex.getRequestHeaders().getFirst("Authorization");
            boolean ok = switch (auth) {
                case NONE -> true;
                case BEARER -> ("Bearer " + TOKEN).equals(given);
                case BASIC -> basic().equals(given);
            };
            if (!ok) {
                String repo = path.replaceFirst("^/v2/(.*)/(manifests|blobs)/.*$", "$1");
                ex.getResponseHeaders().add("WWW-Authenticate", auth == Auth.BASIC ? "Basic realm=\"vigil-test\""
                        : "Bearer realm=\"" + uri() + "/token\",service=\"vigil-test\",scope=\"repository:" + repo + ":pull\"");
                send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            int m = path.lastIndexOf("/manifests/");
            int b = path.lastIndexOf("/blobs/");
            if (m > 0) {
                String ref = path.substring(m + "/manifests/".length());
                String digest = ref.startsWith("sha256:") ? ref : lookup(ref);
                Path f = digest == null ? null : layout.resolve("blobs/sha256").resolve(digest.substring(7));
                if (f == null || !Files.isRegularFile(f)) {
                    send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                byte[] bytes = Files.readAllBytes(f);
                send(ex, 200, TestImages.JSON.readTree(bytes).path("mediaType").asString("application/json"), bytes);
            } else if (b > 0) {
                String digest = path.substring(b + "/blobs/".length());
                Path f = layout.resolve("blobs/sha256").resolve(digest.replace("sha256:", ""));
                if (!Files.isRegularFile(f)) {
                    send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(ex, 200, "application/octet-stream", Files.readAllBytes(f));
            } else {
                send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            tokenRequests.incrementAndGet();
            if (!basic().equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(ex, 200, "application/json", ("{\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String lookup(String tag) throws IOException {
        for (JsonNode m : TestImages.JSON.readTree(Files.readAllBytes(layout.resolve("index.json"))).path("manifests")) {
            if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asString(""))) {
                return m.path("digest").asString();
            }
        }
        return null;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
