package dev.vigil.posture.waiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import dev.vigil.posture.report.Severity;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaiversTest {

    private static Finding finding(String check, Resource r) {
        return new Finding(check, "t", Severity.HIGH, r, "m", "fix", List.of(), List.of(), null);
    }

    @Test
    void entriesMatchByCheckNamespaceNameGlobKindAndSubject() {
        Waivers w = Waivers.parse("w.yaml", new StringReader("""
                waivers:
                  - check: hostNamespaces
                    namespace: kube-system
                    name: "calico-*"
                    reason: the CNI needs the host network
                  - check: "*"
                    subject: "system:serviceaccount:ci:*"
                    reason: CI runners are audited elsewhere
                """));
        Finding calico = w.apply(finding("hostNamespaces", new Resource("DaemonSet", "kube-system", "calico-node", null)), Map.of());
        assertThat(calico.waived()).isTrue();
        assertThat(calico.waiver().source()).isEqualTo("w.yaml:2");
        assertThat(w.apply(finding("hostNamespaces", new Resource("DaemonSet", "default", "calico-node", null)), Map.of()).waived()).isFalse();
        assertThat(w.apply(finding("privileged", new Resource("DaemonSet", "kube-system", "calico-node", null)), Map.of()).waived()).isFalse();
        assertThat(w.apply(finding("rbac.secrets", new Resource("ServiceAccount", "ci", "runner", null)), Map.of()).waiver().reason())
                .isEqualTo("CI runners are audited elsewhere");
        assertThat(w.apply(finding("rbac.secrets", new Resource("Deployment", "ci", "runner", null)), Map.of()).waived()).isFalse();
    }

    @Test
    void missingReasonIsAnErrorNamingFileAndLine() {
        assertThatThrownBy(() -> Waivers.parse("w.yaml", new StringReader("waivers:\n  - check: privileged\n    name: x\n")))
                .isInstanceOf(WaiverFileException.class)
                .hasMessage("w.yaml:2: waiver of 'privileged' without 'reason': every waiver must say why the finding is accepted");
        assertThatThrownBy(() -> Waivers.parse("w.yaml", new StringReader("waivers:\n  - check: a\n    reason: r\n    nmae: x\n")))
                .hasMessageStartingWith("w.yaml:4: unknown key 'nmae'");
    }

    @Test
    void annotationWaiversApplyOnlyWhenEnabled() {
        Map<String, String> annotations = Map.of("vigil.dev/waive-privileged", "vendor appliance");
        Finding f = finding("privileged", new Resource("Pod", "a", "b", null));
        assertThat(Waivers.none().apply(f, annotations).waived()).isFalse();
        Finding waived = Waivers.none().withAnnotations(true).apply(f, annotations);
        assertThat(waived.waiver().source()).isEqualTo("annotation vigil.dev/waive-privileged");
    }
}
