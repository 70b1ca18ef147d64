package dev.vigil.lab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.lab.topology.DefaultTopology;
import dev.vigil.lab.topology.Topology;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The scenario table, the address guard and the small parsers, without a lab. */
class ScenariosTest {

    private final Topology topology = DefaultTopology.create();

    @Test
    void everyScenarioOfTheBriefExistsOnceAndAllComesLast() {
        assertThat(Scenarios.names()).containsExactly("port-scan", "ping-sweep", "egress", "api-contact", "token-read", "shell",
                "reverse-shell", "drift", "fileless", "shm-exec", "miner", "plaintext", "weak-tls", "sqli", "dns-tunnel", "all");
        Set<String> seen = new HashSet<>();
        for (Scenario s : Scenarios.all()) {
            assertThat(seen.add(s.name())).as(s.name()).isTrue();
            assertThat(s.description()).as(s.name()).isNotBlank();
            assertThat(Scenarios.named(s.name())).contains(s);
        }
        assertThat(Scenarios.named("all")).isEmpty();
        assertThat(Scenarios.named("nmap")).isEmpty();
    }

    @Test
    void defaultSourcesAreLabWorkloadsWithTheNamedContainer() {
        for (Scenario s : Scenarios.all()) {
            SourceRef ref = s.defaultSource();
            Topology.PodDef pod = topology.pod(ref.namespace(), ref.pod());
            if (ref.container() != null) {
                assertThat(pod.containers()).as(s.name()).anySatisfy(c -> assertThat(c.name()).isEqualTo(ref.container()));
            }
        }
    }

    @Test
    void everyScenarioNamesTheDetectionsItShouldRaise() {
        for (Scenario s : Scenarios.all()) {
            assertThat(s.expectedRules()).as(s.name()).isNotEmpty().doesNotHaveDuplicates()
                    .allSatisfy(r -> assertThat(r).isNotBlank());
        }
        assertThat(Scenarios.named("miner").orElseThrow().expectedRules()).first().isEqualTo("Crypto mining protocol");
    }

    @Test
    void theLabHasWhatTheScenariosAttack() {
        for (String name : List.of("c2.evil.example", "paste.evil.example", "pool.minexmr.example", "legacy.example.net",
                "updates.example.com")) {
            AttackerHost h = AttackerHost.named(name);
            assertThat(h.ip()).as(name).startsWith("203.0.113.");
            assertThat(h.netns()).startsWith("vigil-lab-inet-");
        }
        assertThat(topology.internet().stream().filter(Topology.InternetHost::attacker).map(Topology.InternetHost::name))
                .containsExactlyInAnyOrder("evil", "pool", "legacy");
        assertThat(topology.namespaceLabels().get(Plaintext.NAMESPACE)).containsEntry(DefaultTopology.ENCRYPTION_LABEL, "required");
        assertThat(topology.pod("shop-data", "postgres").containers().getFirst().memoryVolumes()).containsValue("/dev/shm");
        assertThat(topology.services()).anySatisfy(s -> assertThat(s.name() + "." + s.namespace()).isEqualTo("ledger.shop-payments"));
        assertThatThrownBy(() -> AttackerHost.named("www.google.com")).isInstanceOf(AttackException.class)
                .hasMessage("no simulated internet host is named www.google.com in the lab topology");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.1.20", "10.244.0.1", "10.244.255.255", "10.96.0.1", "10.111.255.255", "203.0.113.0",
            "203.0.113.255"})
    void labAddressesPassTheGuard(String ip) {
        assertThat(LabAddresses.requireLab(ip)).isEqualTo(ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.245.0.1", "10.243.255.255", "10.95.255.255", "10.112.0.0", "203.0.112.255", "203.0.114.0",
            "192.0.2.1", "8.8.8.8", "127.0.0.1", "0.0.0.0", "255.255.255.255", "example.com", "10.244.1", "::1"})
    void everyOtherAddressIsRefused(String ip) {
        assertThatThrownBy(() -> LabAddresses.requireLab(ip)).isInstanceOf(AttackException.class)
                .hasMessage("refusing to attack " + ip + ": scenarios target only the lab's ranges "
                        + "[10.244.0.0/16, 10.96.0.0/12, 203.0.113.0/24]");
    }

    @Test
    void sourceRefsParseNamespaceSlashPod() {
        assertThat(SourceRef.parse("shop-data/cache", null)).isEqualTo(new SourceRef("shop-data", "cache", null));
        assertThat(SourceRef.parse("loadgen/loadgen", "tls").toString()).isEqualTo("loadgen/loadgen:tls");
        for (String bad : List.of("frontend", "/frontend", "shop-web/", "a/b/c", "")) {
            assertThatThrownBy(() -> SourceRef.parse(bad, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name the pod as NAMESPACE/POD, e.g. shop-web/frontend (got '" + bad + "')");
        }
    }

    @Test
    void commandLinesQuoteWhatAShellWouldSplit() {
        Step s = new Step("a", "b", List.of("nmap", "-p", "1-1024,8080", "10.244.1.20", "sh -c", "it's", ""), 0, 1, 2, "", false);
        assertThat(s.commandLine()).isEqualTo("nmap -p 1-1024,8080 10.244.1.20 'sh -c' 'it'\\''s' ''");
        assertThat(s.durationNanos()).isEqualTo(1);
    }

    @Test
    void stepOutputIsCutAtItsLimit() {
        String big = "x".repeat(Step.MAX_OUTPUT_CHARS + 10);
        Step s = new Step("a", "b", List.of(), 0, 0, 0, big, false);
        assertThat(s.output()).startsWith("x".repeat(Step.MAX_OUTPUT_CHARS)).endsWith("… (10 more characters)");
        assertThat(new Step("a", "b", List.of(), 0, 0, 0, "x".repeat(Step.MAX_OUTPUT_CHARS), false).output())
                .hasSize(Step.MAX_OUTPUT_CHARS);
    }

    @Test
    void curlRepliesSplitBodyAndStatus() {
        assertThat(reply("{\"kind\":\"PodList\"}\n200")).isEqualTo(new CurlReply(200, "{\"kind\":\"PodList\"}"));
        assertThat(reply("line one\nline two\n201")).isEqualTo(new CurlReply(201, "line one\nline two"));
        assertThat(reply("\n000")).isEqualTo(new CurlReply(0, ""));
        assertThat(reply("")).isEqualTo(new CurlReply(0, ""));
        assertThat(reply("no status")).isEqualTo(new CurlReply(0, ""));
    }

    private static CurlReply reply(String stdout) {
        return CurlReply.of(new AttackRun.Ran(new Step("a", "b", List.of(), 0, 0, 0, stdout, false), stdout, ""));
    }
}
