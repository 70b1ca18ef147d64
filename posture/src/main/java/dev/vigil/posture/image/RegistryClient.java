package dev.vigil.posture.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A read-only client of the OCI distribution API ({@code GET /v2/<name>/manifests/<ref>},
 * {@code GET /v2/<name>/blobs/<digest>}), anonymous or with the registry token flow: on a
 * {@code 401} with {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} it fetches a token from
 * the realm (with basic credentials when given) and retries; on {@code Basic} it sends the
 * credentials. Tokens are cached per scope.
 *
 * <p>Limits: {@link #MAX_MANIFEST_BYTES} (default 4 MiB) per manifest, {@link #MAX_TOKEN_BYTES}
 * (default 64 KiB) per token response, {@link #TIMEOUT} (default 30 s) per request.
 */
public final class RegistryClient implements ImageSource {

    public static final int MAX_MANIFEST_BYTES = 4 << 20;
    public static final int MAX_TOKEN_BYTES = 64 << 10;
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final URI base;
    private final String username;
    private final String password;
    private final HttpClient http;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    /**
     * @param base     e.g. {@code http://127.0.0.1:5000}
     * @param username null for anonymous access
     */
    public RegistryClient(URI base, String username, String password) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.username = username;
        this.password = password;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public Optional<Manifest> manifest(String repository, String reference) throws IOException {
        HttpResponse<InputStream> r = get("/v2/" + repository + "/manifests/" + reference, repository, ACCEPT);
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            expectOk(r, "manifest " + repository + ":" + reference);
            byte[] bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new IOException("manifest " + repository + ":" + reference + " exceeds MAX_MANIFEST_BYTES="
                        + MAX_MANIFEST_BYTES);
            }
            String digest = ImageReference.isDigest(reference) ? reference
                    : r.headers().firstValue("Docker-Content-Digest").filter(ImageReference::isDigest)
                            .orElseGet(() -> CosignVerifier.sha256(bytes));
            return Optional.of(new Manifest(bytes, r.headers().firstValue("Content-Type").orElse(null), digest));
        }
    }

    @Override
    public Optional<InputStream> blob(String repository, String digest) throws IOException {
        HttpResponse<InputStream> r = get("/v2/" + repository + "/blobs/" + digest, repository, "*/*");
        if (r.statusCode() == 404) {
            r.body().close();
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            r.body().close();
            expectOk(r, "blob " + repository + "@" + digest);
        }
        return Optional.of(r.body());
    }

    @Override
    public String describe() {
        return "registry " + base;
    }

    private HttpResponse<InputStream> get(String path, String repository, String accept) throws IOException {
        String scope = "repository:" + repository + ":pull";
        HttpResponse<InputStream> r = send(path, accept, tokens.get(scope));
        if (r.statusCode() != 401) {
            return r;
        }
        r.body().close();
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        String auth;
        if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            auth = "Bearer " + token(challenge, scope);
        } else if (challenge.regionMatches(true, 0, "Basic", 0, 5) && username != null) {
            auth = basic();
        } else {
            throw new IOException(describe() + " refused " + path + " (401, challenge '" + challenge
                    + "'): pass --registry-user and --registry-password (or VIGIL_REGISTRY_PASSWORD)");
        }
        tokens.put(scope, auth);
        HttpResponse<InputStream> retry = send(path, accept, auth);
        if (retry.statusCode() == 401 || retry.statusCode() == 403) {
            retry.body().close();
            throw new IOException(describe() + " refused " + path + " with the credentials given ("
                    + retry.statusCode() + "): check --registry-user/--registry-password and pull access to " + repository);
        }
        return retry;
    }

    private String token(String challenge, String scope) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1), m.group(2));
        }
        String realm = p.get("realm");
        if (realm == null) {
            throw new IOException(describe() + ": Bearer challenge without realm: " + challenge);
        }
        StringBuilder q = new StringBuilder();
        if (p.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8));
        }
        q.append(q.isEmpty() ? "" : "&").append("scope=")
                .append(URLEncoder.encode(p.getOrDefault("scope", scope), StandardCharsets.UTF_8));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + q))
                .timeout(TIMEOUT).GET();
        if (username != null) {
            req.header("Authorization", basic());
        }
        try {
            HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                byte[] bytes = body.readNBytes(MAX_TOKEN_BYTES + 1);
                if (r.statusCode() != 200 || bytes.length > MAX_TOKEN_BYTES) {
                    throw new IOException("token endpoint " + realm + " answered " + r.statusCode()
                            + (bytes.length > MAX_TOKEN_BYTES ? " with more than MAX_TOKEN_BYTES=" + MAX_TOKEN_BYTES : "")
                            + ": check the registry credentials");
                }
                JsonNode json = JSON.readTree(bytes);
                String token = json.path("token").asString(json.path("access_token").asString(""));
                if (token.isEmpty()) {
                    throw new IOException("token endpoint " + realm + " returned no token");
                }
                return token;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching a registry token", e);
        }
    }

    private HttpResponse<InputStream> send(String path, String accept, String auth) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET()
                .header("Accept", accept);
        if (auth != null) {
            req.header("Authorization", auth);
        }
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + base + path, e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + describe() + " (" + e.getMessage()
                    + "): check --registry URL and that the registry is running", e);
        }
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void expectOk(HttpResponse<?> r, String what) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException(describe() + " answered " + r.statusCode() + " for " + what);
        }
    }
}
