package dev.vigil.posture.pss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.source.FileSource;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.PodTemplate;
import dev.vigil.testkit.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every fixture of kubernetes/pod-security-admission's test data ({@code ../shared/corpora/pss}):
 * pass fixtures are allowed and fail fixtures rejected with the check their file name names, at the
 * fixture's own level and version, once as the Pod and once wrapped as a Deployment's pod template.
 */
class PssConformanceTest {

    private record Outcome(int fixtures, int pass, int fail, List<String> mismatches) {
    }

    @Test
    void allFixturesAgreeAsPodsAndAsDeploymentTemplates() throws Exception {
        Path root = Requirements.corpora().resolve("pss");
        Requirements.require(Files.isDirectory(root), "PSS fixtures missing at " + root);
        List<Path> fixtures;
        try (Stream<Path> walk = Files.walk(root)) {
            fixtures = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int pass = 0;
        int fail = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path f : fixtures) {
            Path rel = root.relativize(f);
            Level level = Level.parse(rel.getName(0).toString());
            PolicyVersion version = PolicyVersion.parse(rel.getName(1).toString());
            boolean expectAllowed = rel.getName(2).toString().equals("pass");
            String check = rel.getFileName().toString().replaceAll("\\d*\\.yaml$", "");
            KubeObject pod = readOne(f);
            if (expectAllowed) {
                pass++;
            } else {
                fail++;
            }
            for (PodTemplate template : List.of(PodTemplate.of(pod), PodTemplate.of(wrapAsDeployment(pod)))) {
                Decision d = PodSecurity.evaluate(level, version, template);
                String as = template.owner().kind();
                if (expectAllowed && !d.allowed()) {
                    mismatches.add(rel + " as " + as + ": expected allowed, got " + d.message());
                } else if (!expectAllowed && d.allowed()) {
                    mismatches.add(rel + " as " + as + ": expected rejected by " + check + ", was allowed");
                } else if (!expectAllowed && d.violations().stream()
                        .noneMatch(v -> v.check().toLowerCase(Locale.ROOT).equals(check))) {
                    mismatches.add(rel + " as " + as + ": expected " + check + " among " + d.violations());
                }
            }
        }
        System.out.printf("PSS conformance: %d fixtures (%d pass, %d fail), each as Pod and Deployment: %d of %d evaluations agree%n",
                fixtures.size(), pass, fail, 2 * fixtures.size() - mismatches.size(), 2 * fixtures.size());
        assertThat(mismatches).as("fixtures that disagree").isEmpty();
        assertThat(fixtures).hasSize(4537);
    }

    private static KubeObject readOne(Path f) throws Exception {
        List<KubeObject> objects = new ArrayList<>();
        new FileSource(List.of(f.toString())).read(new ObjectSink() {
            @Override
            public void object(KubeObject object) {
                objects.add(object);
            }

            @Override
            public void anomaly(Anomaly anomaly) {
                throw new AssertionError(anomaly.display());
            }
        });
        assertThat(objects).as(f.toString()).hasSize(1);
        return objects.get(0);
    }

    static KubeObject wrapAsDeployment(KubeObject pod) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        ObjectNode d = n.objectNode();
        d.put("apiVersion", "apps/v1");
        d.put("kind", "Deployment");
        d.putObject("metadata").put("name", pod.name());
        ObjectNode template = d.putObject("spec").putObject("template");
        ObjectNode meta = pod.metadata().deepCopy();
        meta.remove("name");
        template.set("metadata", meta);
        template.set("spec", pod.json().get("spec").deepCopy());
        return new KubeObject("apps/v1", "Deployment", pod.namespace(), pod.name(), d, pod.origin());
    }
}
