package dev.vigil.lab.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes the lab's kubeconfig: the TLS endpoint on loopback, the lab CA, an admin bearer token. */
public final class Kubeconfig {

    /** Cluster, user and context name in the kubeconfig. */
    public static final String NAME = "vigil-lab";

    private Kubeconfig() {
    }

    public static void write(Path file, String server, Path caCert, String token) {
        try {
            String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert));
            String yaml = """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: %1$s
                      cluster:
                        server: %2$s
                        certificate-authority-data: %3$s
                    users:
                    - name: %1$s-admin
                      user:
                        token: %4$s
                    contexts:
                    - name: %1$s
                      context:
                        cluster: %1$s
                        user: %1$s-admin
                        namespace: default
                    current-context: %1$s
                    """.formatted(NAME, server, ca, token);
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
        }
    }
}
