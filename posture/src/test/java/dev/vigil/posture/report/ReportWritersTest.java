package dev.vigil.posture.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Requirements;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportWritersTest {

    static final AuditInfo INFO = new AuditInfo("pss", "Pod Security Standards restricted:latest", "files x.yaml",
            "0.1.0", List.of(new Rule("privileged", "Privileged container", "d", "fix it", Severity.CRITICAL,
                    List.of("T1611", "CIS-5.2.2"), null), new Rule("hostPorts", "Host port", "d", "fix", Severity.MEDIUM, List.of(), null)));

    static List<Finding> findings() {
        Resource fromFile = new Resource("Deployment", "shop", "web<&>", "manifests/a b.yaml", 12);
        Resource fromCluster = new Resource("Pod", "kube-system", "calico-node-x", null);
        return List.of(
                new Finding("privileged", "Privileged container", Severity.CRITICAL, fromFile,
                        "privileged (container \"web\" must not set securityContext.privileged=true)", "Remove privileged",
                        List.of("CIS-5.2.2"), List.of("T1611"), null),
                new Finding("privileged", "Privileged container", Severity.CRITICAL, fromCluster, "privileged (container \"calico\")",
                        "Remove privileged", List.of("CIS-5.2.2"), List.of("T1611"), new Finding.Waiver("waivers.yaml:3", "CNI needs it")),
                new Finding("runtime.socket", "Container runtime socket mounted", Severity.HIGH, fromFile, "mounts /var/run/docker.sock",
                        "Never mount it", List.of(), List.of("T1610"), null));
    }

    static String render(Format format) {
        StringWriter out = new StringWriter();
        ReportWriter w = format.open(out, INFO);
        findings().forEach(w::finding);
        w.finish(new Summary(7, 1, List.of("x.yaml:3: malformed YAML"), "2 of 5 evaluations rejected"));
        return out.toString();
    }

    @Test
    void sarifCarriesToolRulesLocationsAndSuppressions() {
        JsonNode root = JsonMapper.builder().build().readTree(render(Format.SARIF));
        assertThat(root.path("version").stringValue()).isEqualTo("2.1.0");
        JsonNode run = root.path("runs").get(0);
        assertThat(run.path("tool").path("driver").path("name").stringValue()).isEqualTo("vigil");
        JsonNode rules = run.path("tool").path("driver").path("rules");
        assertThat(rules.size()).isEqualTo(3);
        assertThat(rules.get(0).path("properties").path("tags").toString()).contains("T1611", "CIS-5.2.2");
        JsonNode results = run.path("results");
        assertThat(results.size()).isEqualTo(3);
        JsonNode first = results.get(0);
        assertThat(first.path("level").stringValue()).isEqualTo("error");
        assertThat(first.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri").stringValue())
                .isEqualTo("manifests/a%20b.yaml");
        assertThat(first.path("locations").get(0).path("physicalLocation").path("region").path("startLine").intValue()).isEqualTo(12);
        JsonNode second = results.get(1);
        assertThat(second.path("locations").get(0).has("physicalLocation")).isFalse();
        assertThat(second.path("locations").get(0).path("logicalLocations").get(0).path("fullyQualifiedName").stringValue())
                .isEqualTo("kube-system/Pod/calico-node-x");
        assertThat(second.path("suppressions").get(0).path("kind").stringValue()).isEqualTo("external");
        assertThat(results.get(2).path("ruleIndex").intValue()).isEqualTo(2);
        assertThat(run.path("invocations").get(0).path("toolExecutionNotifications").size()).isEqualTo(1);
    }

    /** Regression: Jackson closed the SARIF writer's target, so the report's own flush failed and every SARIF run exited 1. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void writersLeaveTheirWriterOpen(Format format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
        ReportWriter w = format.open(out, INFO);
        findings().forEach(w::finding);
        w.finish(new Summary(7, 0, List.of(), null));
        out.write("\n");
        out.flush();
        assertThat(bytes.size()).isPositive();
    }

    @Test
    void junitIsWellFormedWithFailuresSkipsAndPassingChecks() throws Exception {
        String xml = render(Format.JUNIT);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        var root = doc.getDocumentElement();
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("2");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(3);
        assertThat(xml).contains("name=\"no findings\"").contains("web&lt;&amp;&gt;");
    }

    @Test
    void jsonIsOneLinePerFinding() {
        String[] lines = render(Format.JSON).split("\n");
        assertThat(lines).hasSize(3);
        JsonNode waived = JsonMapper.builder().build().readTree(lines[1]);
        assertThat(waived.path("waived").booleanValue()).isTrue();
        assertThat(waived.path("waiver").path("reason").stringValue()).isEqualTo("CNI needs it");
        assertThat(waived.path("resource").path("namespace").stringValue()).isEqualTo("kube-system");
    }

    @Test
    void tableGroupsByResourceMostSevereFirstAndKeepsWaived() {
        String table = render(Format.TABLE);
        assertThat(table.indexOf("Deployment shop/web<&>")).isLessThan(table.indexOf("Pod kube-system/calico-node-x"));
        assertThat(table).contains("waived   privileged").contains("[waived: CNI needs it — waivers.yaml:3]")
                .contains("2 findings and 1 waived in 2 resources; 7 objects read, 1 unreadable");
        assertThat(table.lines().mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(TableWriter.WIDTH);
    }

    @Test
    void htmlIsSelfContainedAndRendersInHeadlessChromium(@TempDir Path dir) throws Exception {
        String html = render(Format.HTML);
        assertThat(html).doesNotContain("http://", "https://", "<link", "src=\"");
        assertThat(html).contains("web&lt;&amp;&gt;");
        Requirements.requireCommands("chromium");
        Path page = dir.resolve("report.html");
        Files.writeString(page, html);
        Path png = dir.resolve("shot.png");
        List<String> base = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"));
        run(dir, concat(base, "--window-size=1280,900", "--screenshot=" + png, page.toUri().toString()));
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(20);
        String dom = run(dir, concat(base, "--dump-dom", page.toUri().toString()));
        assertThat(dom).contains("Pod Security Standards restricted:latest").contains("3 of 3 shown")
                .contains("calico-node-x").contains("class=\"badge sev-critical\"");
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit; log: " + Files.readString(dir.resolve("chromium.log"))).isZero();
        return out;
    }
}
