package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.detect.rules.expr.ConditionException;
import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

    private final HostContext ctx = Events.exec("bash", List.of("bash", "-i"), "sshd").bind(new HostContext("n"));

    private String render(String format) throws ConditionException {
        return OutputFormat.compile(format, HostFields.SOURCE).render(ctx);
    }

    @Test
    void fieldsArgumentsAndLiterals() throws ConditionException {
        assertThat(render("%proc.name (%proc.cmdline) parent=%proc.aname[1]; gp=%proc.aname[2]"))
                .isEqualTo("bash (bash -i) parent=sshd; gp=<NA>");
    }

    @Test
    void aTokenIsTheLongestKnownField() throws ConditionException {
        assertThat(render("%proc.names")).isEqualTo("bashs");
        assertThat(render("%proc.name.")).isEqualTo("bash.");
        assertThat(render("[%user.name]")).isEqualTo("[app]");
    }

    @Test
    void padWidthsAndTheirLimit() throws ConditionException {
        assertThat(render("%8proc.name|")).isEqualTo("bash    |");
        assertThat(render("%2proc.name|")).isEqualTo("ba|");
        assertThat(render("%" + (OutputFormat.MAX_PAD_WIDTH + 1) + "proc.name|"))
                .hasSize(OutputFormat.MAX_PAD_WIDTH + 1);
    }

    @Test
    void unknownFieldsRenderNaAndAreReported() throws ConditionException {
        OutputFormat<HostContext> f = OutputFormat.compile("%proc.pcmdline and %user.loginuid", HostFields.SOURCE);
        assertThat(f.render(ctx)).isEqualTo("<NA> and <NA>");
        assertThat(f.missingFields()).containsExactly("proc.pcmdline", "user.loginuid");
        assertThat(f.fields(ctx)).containsEntry("proc.pcmdline", null).containsKey("user.loginuid");
    }

    @Test
    void aPercentWithoutFieldIsAnError() {
        assertThatThrownBy(() -> render("50% done")).hasMessage("invalid formatting token  done");
        assertThatThrownBy(() -> render("end %")).hasMessage("invalid formatting token ");
    }
}
