package dev.vigil.host.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SensitiveFilesTest {

    final SensitiveFiles s = SensitiveFiles.DEFAULT;

    @Test
    void defaultReads() {
        assertThat(s.isSensitiveRead("/etc/shadow")).isTrue();
        assertThat(s.isSensitiveRead("/var/run/secrets/kubernetes.io/serviceaccount/token")).isTrue();
        assertThat(s.isSensitiveRead("/root/.ssh/id_ed25519")).isTrue();
        assertThat(s.isSensitiveRead("/home/alice/.ssh/authorized_keys")).isTrue();
        assertThat(s.isSensitiveRead("/home/alice/docs/.ssh/x")).isFalse();
        assertThat(s.isSensitiveRead("/etc/ssh/ssh_host_rsa_key")).isTrue();
        assertThat(s.isSensitiveRead("/etc/ssh/ssh_host_rsa_key.pub")).isFalse();
        assertThat(s.isSensitiveRead("/etc/shadow-")).isFalse();
        assertThat(s.isSensitiveRead("/etc/passwd")).isFalse();
        assertThat(s.isSensitiveRead("/root/.aws/credentials")).isTrue();
    }

    @Test
    void systemDirectories() {
        assertThat(s.isSystemPath("/usr/local/bin/x")).isTrue();
        assertThat(s.isSystemPath("/etc/cron.d/job")).isTrue();
        assertThat(s.isSystemPath("/tmp/x")).isFalse();
        assertThat(s.isSystemPath("/binary")).isFalse();
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> new SensitiveFiles(List.of("etc/shadow"), List.of()))
                .hasMessage("sensitive path: etc/shadow must be absolute");
        assertThatThrownBy(() -> new SensitiveFiles(List.of(), List.of("/bin")))
                .hasMessage("system directory: /bin must be absolute and end with /");
    }
}
