package dev.vigil.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.identity.WorkloadRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyYamlTest {

    static final long S = 1_000_000_000L;
    static final long T0 = 1_764_000_000L * S;
    static final WorkloadRef WEB = new WorkloadRef("shop", "Deployment", "web");

    /** A baseline with every kind of fact, learned the way the agent learns. */
    static Baselines learned() {
        Baselines b = new Baselines(BaselinesTest.lab());
        b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", List.of("nginx", "-g", "daemon off;"), T0);
        b.exec(WEB, "web", "/bin/busybox", "wget", List.of("wget", "-q", "-O", "/tmp/x.json", "http://shop-api:8080/v1/items?id=42"), T0 + S);
        for (int i = 0; i <= BaselineConfig.DEFAULT_MAX_SHAPES; i++) {
            b.exec(WEB, "web", "/bin/sh", "sh", List.of("sh", "-c", "task" + (char) ('a' + i)), T0 + 2 * S);
        }
        b.exec(WEB, "web", "/usr/bin/id", "id", List.of("id"), T0 + 3 * S);
        b.exec(WEB, "sidecar", "/envoy", "envoy", List.of("envoy", "--config-path", "/etc/envoy.yaml"), T0 + 3 * S);
        b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0 + 4 * S);
        b.peer(WEB, PeerKind.EXTERNAL, null, "api.github.com", 443, "tcp", "ssl", T0 + 4 * S);
        b.peer(WEB, PeerKind.EXTERNAL, null, "api.github.com", 443, "tcp", "ssl,http", T0 + 4 * S);
        b.peer(WEB, PeerKind.KUBE_API, null, "kubernetes", 443, "tcp", null, T0 + 4 * S);
        b.peer(WEB, PeerKind.SERVICE, "kube-system", "kube-dns", 53, "udp", "dns", T0 + 4 * S);
        b.listening(WEB, 8080, "tcp", T0 + 5 * S);
        b.dnsName(WEB, "api.github.com", T0 + 5 * S);
        b.fileWrite(WEB, "web", "/etc/nginx/conf.d/x.conf", T0 + 6 * S);
        b.tokenRead(WEB, "web", "/usr/sbin/nginx", T0 + 7 * S);
        b.setMode(WEB, Mode.MONITOR, T0 + 8 * S);
        return b;
    }

    @Test
    void exportThenImportGivesTheSamePolicyAndTheSameVerdicts() {
        Baselines original = learned();
        String yaml = PolicyYaml.write(original.policies());
        List<WorkloadPolicy> read = PolicyYaml.read(yaml, "export.yaml", 0);
        assertThat(read).isEqualTo(original.policies());

        Baselines imported = new Baselines(BaselinesTest.lab());
        read.forEach(imported::replace);
        assertThat(imported.policies()).isEqualTo(original.policies());
        assertThat(PolicyYaml.write(imported.policies())).isEqualTo(yaml);
        long t = T0 + 100 * S;
        assertThat(imported.exec(WEB, "web", "/bin/busybox", "wget",
                List.of("wget", "-q", "-O", "/tmp/y.json", "http://shop-api:8080/v1/items?id=7"), t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.exec(WEB, "web", "/bin/sh", "sh", List.of("sh", "-c", "whatever"), t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.exec(WEB, "web", "/bin/busybox", "nc", List.of("nc", "-e", "/bin/sh"), t))
                .isEqualTo(Verdict.DEVIATION);
        assertThat(imported.peer(WEB, PeerKind.SERVICE, "kube-system", "kube-dns", 53, "udp", "dns", t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.peer(WEB, PeerKind.EXTERNAL, null, "api.github.com", 443, "tcp", "ssl,http", t))
                .isEqualTo(Verdict.KNOWN);
        assertThat(imported.fileWrite(WEB, "web", "/etc/nginx/conf.d/y.conf", t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.tokenRead(WEB, "web", "/usr/sbin/nginx", t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.dnsName(WEB, "api.github.com", t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.listening(WEB, 8080, "tcp", t)).isEqualTo(Verdict.KNOWN);
        assertThat(imported.mode(WEB)).isEqualTo(Mode.MONITOR);
    }

    @Test
    void theFileIsReadable() {
        String yaml = PolicyYaml.write(learned().policies());
        assertThat(yaml).startsWith("# Vigil workload policies").contains("""
                version: 1
                workloads:
                - workload: {namespace: shop, kind: Deployment, name: web}
                  mode: monitor
                  learning_started: 2025-11-24T16:00:00.000000000Z
                """).contains("""
                    - exe: /bin/busybox
                      name: wget
                      args: ['-q -O <tmp> http://shop-api:<n>/v1/items?id=<n>']
                """).contains("""
                    - {exe: /bin/sh, name: sh, any_args: true}
                """).contains("""
                    - kind: workload
                      name: shop/db
                      port: 5432
                      proto: tcp
                      apps: [postgresql]
                """).contains("    dns_names: [api.github.com]\n").doesNotContain("&id", "*id");
    }

    @Test
    void aHandWrittenPolicyWithoutTimesGetsTheReadingTime() {
        List<WorkloadPolicy> p = PolicyYaml.read("""
                version: 1
                workloads:
                - workload: {namespace: shop, kind: Deployment, name: web}
                  mode: protect
                  containers:
                  - name: web
                    processes:
                    - {exe: /app/server, name: server, args: ['--port <n>']}
                """, "hand.yaml", 77);
        assertThat(p).singleElement().satisfies(w -> {
            assertThat(w.mode()).isEqualTo(Mode.PROTECT);
            assertThat(w.learningStartedNanos()).isEqualTo(77);
            assertThat(w.peers()).isEmpty();
        });
        Baselines b = new Baselines(BaselinesTest.lab());
        b.replace(p.getFirst());
        assertThat(b.exec(WEB, "web", "/app/server", "server", List.of("server", "--port", "9000"), T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.exec(WEB, "web", "/app/server", "server", List.of("server", "--debug"), T0)).isEqualTo(Verdict.BLOCK);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "version: 2|p.yaml: version 2 is not supported; this Vigil reads version 1 (export the policy again with this Vigil, or convert the file)",
            "workloads: []|p.yaml: version: missing",
            "[1, 2]|p.yaml: : expected a mapping, got a list",
            "'version: 1\nextra: 1'|p.yaml: extra: unknown key; expected one of [version, workloads]",
            "'version: 1\nworkloads: {a: 1}'|p.yaml: workloads: expected a list, got a mapping",
            "'version: 1\nworkloads: [{mode: learn}]'|p.yaml: workloads[0].workload: missing",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: watch}]'|p.yaml: workloads[0].mode: expected learn, monitor or protect, got 'watch'",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod}, mode: learn}]'|p.yaml: workloads[0].workload.name: missing",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, network: {peers: [{kind: x, name: n, port: 1, proto: tcp}]}}]'|p.yaml: workloads[0].network.peers[0].kind: expected workload, service, node, kube-api or external, got 'x'",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, network: {listening: [{port: 70000, proto: tcp}]}}]'|p.yaml: workloads[0].network.listening[0].port: expected a port number 0-65535, got '70000'",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, network: {listening: [{port: 7, proto: sctp}]}}]'|p.yaml: workloads[0].network.listening[0].proto: expected tcp, udp or icmp, got 'sctp'",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, learning_started: yesterday}]'|p.yaml: workloads[0].learning_started: expected an RFC 3339 time like 2026-11-26T16:53:44Z, got 'yesterday'",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, containers: [{name: c, processes: [{exe: /a, name: a, any_args: true, args: [x]}]}]}]'|p.yaml: workloads[0].containers[0].processes[0]: give either args or any_args: true, not both",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, containers: [{name: c, processes: [{exe: /a, name: a, any_args: maybe}]}]}]'|p.yaml: workloads[0].containers[0].processes[0].any_args: expected true or false, got 'maybe'",
            "'version: 1\nworkloads: [{workload: {namespace: a, kind: Pod, name: b}, mode: learn, network: {dns_names: [a, {b: c}]}}]'|p.yaml: workloads[0].network.dns_names[1]: expected non-empty text, got a mapping",
    })
    void mistakesNameTheFileThePathAndWhatIsExpected(String yaml, String message) {
        assertThatThrownBy(() -> PolicyYaml.read(yaml, "p.yaml", 0)).isInstanceOf(PolicyFileException.class)
                .hasMessage(message);
    }

    @Test
    void malformedYamlAndDuplicateKeysAreRefused() {
        assertThatThrownBy(() -> PolicyYaml.read("version: [1", "p.yaml", 0)).isInstanceOf(PolicyFileException.class)
                .hasMessageStartingWith("p.yaml: not valid YAML: ");
        assertThatThrownBy(() -> PolicyYaml.read("version: 1\nversion: 1\n", "p.yaml", 0))
                .isInstanceOf(PolicyFileException.class).hasMessageContaining("duplicate key");
    }
}
