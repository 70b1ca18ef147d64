package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.testkit.Requirements;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FalcoCorpusTest {

    @Test
    void falcosOwnRuleFilesLoad() {
        Path dir = Requirements.corpora().resolve("falco");
        RuleEngine engine = RuleEngine.builder().source(HostFields.SOURCE).source(NetFields.source()).build();
        RuleSet set = engine.loadPaths(List.of(dir.resolve("falco_rules.yaml"), dir.resolve("falco-incubating_rules.yaml"),
                dir.resolve("falco-sandbox_rules.yaml")));
        System.out.println(set.report().render());
        set.report().warnings().stream().filter(m -> m.code() != LoadCode.LOAD_UNUSED_LIST && m.code() != LoadCode.LOAD_UNUSED_MACRO).limit(400).forEach(System.out::println);
        assertThat(set.report().errors()).isEmpty();
    }
}
