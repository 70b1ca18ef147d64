package dev.vigil.posture.cis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAuditTest {

    private static Path file(Path root, String abs, String content, String perms) throws Exception {
        Path p = root.resolve(abs.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    @Test
    void craftedNodeTreeFailsPassesAndReportsMissingFiles(@TempDir Path root) throws Exception {
        file(root, "/var/lib/kubelet/config.yaml", """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                authentication:
                  anonymous: {enabled: true}
                  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}
                authorization: {mode: AlwaysAllow}
                readOnlyPort: 10255
                protectKernelDefaults: true
                podPidsLimit: 4096
                """, "rw-r--r--");
        file(root, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
                "[Service]\nExecStart=/usr/bin/kubelet --rotate-certificates=false $KUBELET_KUBEADM_ARGS\n", "rw-------");
        file(root, "/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--read-only-port=0\"\n", "rw-------");
        file(root, "/etc/kubernetes/pki/ca.crt", "ca", "rw-------");
        List<Finding> out = new ArrayList<>();
        NodeAudit.Counts counts = new NodeAudit(root, out::add).run();
        List<String> failed = out.stream().filter(f -> f.severity() != Severity.INFO).map(Finding::check).sorted().toList();
        assertThat(failed).containsExactly("CIS-4.1.9", "CIS-4.2.1", "CIS-4.2.10", "CIS-4.2.2");
        List<String> notFound = out.stream().filter(f -> f.severity() == Severity.INFO).map(Finding::check).sorted().toList();
        assertThat(notFound).containsExactly("CIS-4.1.3", "CIS-4.1.4", "CIS-4.1.5", "CIS-4.1.6");
        assertThat(out.stream().filter(f -> f.check().equals("CIS-4.1.5")).findFirst().orElseThrow().message())
                .startsWith("not applicable: /etc/kubernetes/kubelet.conf not found");
        assertThat(out.stream().filter(f -> f.check().equals("CIS-4.2.1")).findFirst().orElseThrow().message())
                .isEqualTo("authentication.anonymous.enabled is true (/var/lib/kubelet/config.yaml authentication.anonymous.enabled)");
        assertThat(counts.failed()).isEqualTo(4);
        assertThat(counts.notFound()).isEqualTo(4);
        // root ownership passes as the test runs as root; otherwise the ownership checks fail too
        assertThat(counts.passed() + counts.failed() + counts.notFound()).isEqualTo(20);
    }

    @Test
    void emptyRootIsNotApplicableEverywhereNeverPassed(@TempDir Path root) throws Exception {
        List<Finding> out = new ArrayList<>();
        NodeAudit.Counts counts = new NodeAudit(root, out::add).run();
        assertThat(counts.passed()).isZero();
        assertThat(counts.failed()).isZero();
        assertThat(out).allMatch(f -> f.severity() == Severity.INFO && f.message().startsWith("not applicable:"));
    }
}
