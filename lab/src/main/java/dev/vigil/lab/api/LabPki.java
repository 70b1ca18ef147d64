package dev.vigil.lab.api;

import dev.vigil.lab.command.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab's certificates and service-account tokens. A lab CA (ECDSA P-256, made with
 * {@code openssl}) issues the API server certificate — valid for 127.0.0.1, the kubernetes
 * ClusterIP and its DNS names — and the simulated internet's TLS host certificate. Service-account
 * tokens are real RS256 JWTs with the claims kube-apiserver puts in bound tokens, signed by the
 * lab's service-account key ({@code sa.key}, public half {@code sa.pub}).
 */
public final class LabPki {

    /** Issuer and audience of lab service-account tokens, as kube-apiserver's defaults. */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** Token lifetime (kubelet-projected tokens last an hour; the lab's last a day). */
    static final long TOKEN_SECONDS = 24 * 3600;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final PrivateKey saKey;
    private final String keyId;

    private LabPki(Path dir, PrivateKey saKey, String keyId) {
        this.dir = dir;
        this.saKey = saKey;
        this.keyId = keyId;
    }

    /** Creates the CA, the server certificates and the service-account key in {@code dir}. */
    public static LabPki create(Path dir, List<String> apiServerNames, List<String> apiServerIps, List<String> internetTlsNames) {
        try {
            Files.createDirectories(dir);
            openssl(dir, "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650", "-subj", "/CN=vigil-lab-ca",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            leaf(dir, "apiserver", "kube-apiserver", apiServerNames, apiServerIps);
            leaf(dir, "internet-tls", internetTlsNames.getFirst(), internetTlsNames, List.of());
            Files.writeString(dir.resolve("apiserver.pem"),
                    Files.readString(dir.resolve("apiserver.crt")) + Files.readString(dir.resolve("apiserver.key")));

            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair kp = gen.generateKeyPair();
            Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
            Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
            return new LabPki(dir, kp.getPrivate(), keyId(kp.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab PKI to " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the service-account key", e);
        }
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** Certificate and key of the API server, concatenated (socat's {@code cert=}). */
    public Path apiServerPem() {
        return dir.resolve("apiserver.pem");
    }

    public Path internetTlsCert() {
        return dir.resolve("internet-tls.crt");
    }

    public Path internetTlsKey() {
        return dir.resolve("internet-tls.key");
    }

    /**
     * A bound service-account token as kubelet mounts it: {@code sub}
     * {@code system:serviceaccount:<ns>:<sa>}, the {@code kubernetes.io} claim naming the pod.
     */
    public String serviceAccountToken(String namespace, String serviceAccount, String saUid, String pod, String podUid,
                                      long nowSeconds) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", List.of(ISSUER));
        claims.put("exp", nowSeconds + TOKEN_SECONDS);
        claims.put("iat", nowSeconds);
        claims.put("iss", ISSUER);
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", namespace);
        k8s.put("pod", Map.of("name", pod, "uid", podUid));
        k8s.put("serviceaccount", Map.of("name", serviceAccount, "uid", saUid));
        claims.put("kubernetes.io", k8s);
        claims.put("nbf", nowSeconds);
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        return sign(claims);
    }

    /** A token for the lab administrator (the kubeconfig user). */
    public String adminToken(long nowSeconds) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", List.of(ISSUER));
        claims.put("exp", nowSeconds + 30 * TOKEN_SECONDS);
        claims.put("iat", nowSeconds);
        claims.put("iss", ISSUER);
        claims.put("sub", "vigil-lab-admin");
        return sign(claims);
    }

    private String sign(Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("kid", keyId);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(saKey);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a service-account token", e);
        }
    }

    private static void leaf(Path dir, String file, String cn, List<String> names, List<String> ips) {
        StringBuilder san = new StringBuilder("subjectAltName=");
        String sep = "";
        for (String n : names) {
            san.append(sep).append("DNS:").append(n);
            sep = ",";
        }
        for (String ip : ips) {
            san.append(sep).append("IP:").append(ip);
            sep = ",";
        }
        openssl(dir, "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-keyout", file + ".key", "-out", file + ".crt", "-days", "365", "-subj", "/CN=" + cn,
                "-CA", "ca.crt", "-CAkey", "ca.key", "-addext", san.toString(),
                "-addext", "extendedKeyUsage=serverAuth", "-addext", "basicConstraints=CA:FALSE");
    }

    private static void openssl(Path dir, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
        for (String a : args) {
            argv.add(a.endsWith(".key") || a.endsWith(".crt") ? dir.resolve(a).toString() : a);
        }
        Command.of(argv).run();
    }

    private static String keyId(byte[] publicDer) throws GeneralSecurityException {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(publicDer));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
