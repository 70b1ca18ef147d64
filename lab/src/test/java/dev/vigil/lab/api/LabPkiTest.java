package dev.vigil.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lab.command.Command;
import dev.vigil.testkit.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabPkiTest {

    @TempDir
    Path dir;

    private LabPki pki() {
        Requirements.requireCommands("openssl");
        return LabPki.create(dir, List.of("kubernetes.default.svc"), List.of("127.0.0.1", "10.96.0.1"), List.of("updates.example.com"));
    }

    @Test
    void serverCertificatesChainToTheLabCaWithTheirNames() {
        LabPki pki = pki();
        Command.Result verify = Command.of("openssl", "verify", "-CAfile", pki.caCert().toString(),
                dir.resolve("apiserver.crt").toString(), pki.internetTlsCert().toString()).run();
        assertThat(verify.stdout()).contains("apiserver.crt: OK").contains("internet-tls.crt: OK");
        String text = Command.of("openssl", "x509", "-in", dir.resolve("apiserver.crt").toString(), "-noout", "-text").run().stdout();
        assertThat(text).contains("DNS:kubernetes.default.svc").contains("IP Address:10.96.0.1").contains("IP Address:127.0.0.1");
    }

    @Test
    void serviceAccountTokensAreSignedJwtsNamingThePod() throws Exception {
        LabPki pki = pki();
        String token = pki.serviceAccountToken("shop-api", "api", "sa-uid", "api-abc-xyz", "pod-uid", 1_700_000_000L);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Base64.Decoder b64 = Base64.getUrlDecoder();
        assertThat(new String(b64.decode(parts[0]), StandardCharsets.UTF_8)).contains("\"alg\":\"RS256\"");
        String claims = new String(b64.decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"system:serviceaccount:shop-api:api\"").contains("\"uid\":\"pod-uid\"")
                .contains("\"iss\":\"" + LabPki.ISSUER + "\"").contains("\"exp\":" + (1_700_000_000L + LabPki.TOKEN_SECONDS));
        String pem = Files.readString(dir.resolve("sa.pub")).replaceAll("-----[A-Z ]+-----", "").strip();
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(key);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(s.verify(b64.decode(parts[2]))).isTrue();
    }
}
