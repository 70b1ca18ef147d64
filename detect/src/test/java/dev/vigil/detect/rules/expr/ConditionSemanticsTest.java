package dev.vigil.detect.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conditions compiled over the host source and evaluated as libsinsp would. */
class ConditionSemanticsTest {

    private final HostContext ctx = new HostContext("node-1");

    private static Cond<HostContext> compile(String condition) throws ConditionException {
        ConditionCompiler.Result<HostContext> r = ConditionCompiler.compile(ConditionParser.parse(condition), HostFields.SOURCE);
        assertThat(r.missingFields()).isEmpty();
        return r.cond();
    }

    private HostContext event() {
        return ctx.reset().event("execve", 1_000).process(200, 100, "bash", null,
                        List.of("/bin/bash", "-c", "cat /etc/shadow"), "/root")
                .ancestors(List.of("sshd", "systemd"), new long[] {100, 1})
                .user(0, 0, "root").session(34816, 200, (1L << 21) | 1)
                .container("0123456789abcdef0123", "containerd", new ContainerIdentity("0123456789abcdef0123",
                        "containerd", "shop", "web-1", "uid", "app", "registry.example/shop/web:1.4@sha256:aa",
                        "sha256:aa", new WorkloadRef("shop", "Deployment", "web")))
                .labels(Map.of("vigil.dev/encryption", "required"), Map.of("app", "web"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "proc.name = bash|true",
            "proc.name != bash|false",
            "proc.exepath = /bin/bash|false",
            "proc.exepath != /bin/bash|false",
            "not proc.exepath = /bin/bash|true",
            "proc.exepath exists|false",
            "proc.name exists|true",
            "proc.cmdline = 'bash -c cat /etc/shadow'|true",
            "proc.args = '-c cat /etc/shadow'|true",
            "proc.exe = /bin/bash|true",
            "proc.cmdline contains /etc/shadow|true",
            "proc.pid > 100 and proc.pid <= 200|true",
            "proc.pid in (1, 2, 200)|true",
            "proc.ppid = 0x64|true",
            "user.uid = 0 and user.name = root|true",
            "proc.tty != 0|true",
            "proc.aname = systemd|true",
            "proc.aname in (init, sshd)|true",
            "proc.aname = bash|false",
            "proc.aname[0] = bash|true",
            "proc.aname[1] = sshd and proc.aname[2] = systemd|true",
            "proc.aname[3] exists|false",
            "proc.apid[2] = 1|true",
            "proc.pname = sshd|true",
            "thread.cap_effective contains CAP_SYS_ADMIN|true",
            "thread.cap_effective icontains sys_module|false",
            "thread.cap_effective = 'CAP_CHOWN CAP_SYS_ADMIN'|true",
            "container.id = 0123456789ab|true",
            "container.id != host|true",
            "container.image.repository = registry.example/shop/web|true",
            "container.image.tag = '1.4'|true",
            "k8s.ns.name = shop and k8s.pod.name = web-1|true",
            "k8s.workload.kind = Deployment and k8s.workload.name = web|true",
            "k8s.ns.label[vigil.dev/encryption] = required|true",
            "k8s.pod.label.app = web|true",
            "k8s.pod.label[app] = web|true",
            "k8s.pod.label[tier] exists|false",
            "tolower(proc.name) = bash|true",
            "toupper(proc.name) = BASH|true",
            "basename(proc.exe) = bash|true",
            "proc.name = val(proc.pname)|false",
            "proc.aname[0] = val(proc.name)|true",
            "evt.num > 0|true",
            "evt.dir = '<'|true",
            "evt.hostname = node-1|true",
            "fd.name exists|false",
            "not fd.name startswith /etc|true",
    })
    void evaluatesLikeLibsinsp(String condition, boolean expected) throws ConditionException {
        assertThat(compile(condition).test(event())).isEqualTo(expected);
    }

    @Test
    void onTheHostContainerFieldsSayHost() throws ConditionException {
        HostContext host = event().container(null, null, null);
        assertThat(compile("container.id = host and container.name = host").test(host)).isTrue();
        assertThat(compile("k8s.ns.name exists").test(host)).isFalse();
    }

    @Test
    void fileAndSocketFields() throws ConditionException {
        ctx.reset().event("open", 1).process(1, 0, "cat", null, null, null).file(3, "/etc/ssl/private/key.pem", "r");
        assertThat(compile("fd.directory = /etc/ssl/private and fd.filename = key.pem and fd.typechar = f and fd.type = file")
                .test(ctx)).isTrue();
        assertThat(compile("evt.is_open_read = true and evt.is_open_write = false").test(ctx)).isTrue();
        ctx.reset().event("connect", 1).process(1, 0, "sh", null, null, null)
                .fd(3, '4', "10.0.0.2:40000->203.0.113.9:4444", "tcp", "10.0.0.2", 40000, "203.0.113.9", 4444, null);
        assertThat(compile("fd.rip = 203.0.113.9 and fd.rport = 4444 and fd.lport = 40000 and fd.l4proto = tcp"
                + " and fd.sockfamily = ip and fd.type = ipv4").test(ctx)).isTrue();
        assertThat(compile("evt.is_open_read exists").test(ctx)).isFalse();
    }

    @Test
    void callArgumentsAndResults() throws ConditionException {
        ctx.reset().event("ptrace", 1).process(1, 0, "gdb", null, null, null)
                .args("request=PTRACE_ATTACH pid=812").result(0);
        assertThat(compile("evt.arg.request = PTRACE_ATTACH and evt.arg[request] = PTRACE_ATTACH and evt.arg[1] = 812"
                + " and evt.res = SUCCESS and evt.rawres = 0 and evt.failed = false").test(ctx)).isTrue();
        ctx.reset().event("mount", 1).process(1, 0, "mount", null, null, null)
                .args("dev=my disk dir=/mnt x flags=3").result(-2);
        assertThat(compile("evt.arg.dev = 'my disk' and evt.arg.dir = '/mnt x' and evt.arg.flags = 3").test(ctx)).isTrue();
        assertThat(compile("evt.res = ENOENT and evt.rawres < 0 and evt.failed = true").test(ctx)).isTrue();
        assertThat(compile("evt.arg.nothing exists").test(ctx)).isFalse();
    }

    @Test
    void eventNumbersCountFromOne() throws ConditionException {
        HostContext fresh = new HostContext("n");
        Cond<HostContext> first = compile("evt.num = 1");
        assertThat(first.test(fresh)).isTrue();
        assertThat(first.test(fresh.reset())).isFalse();
        assertThat(compile("evt.num = 0").test(fresh)).as("Falco's never_true").isFalse();
    }

    @Test
    void specializationFoldsEventTypeTests() throws ConditionException {
        Cond<HostContext> c = compile("evt.type in (execve, execveat) and proc.name = bash");
        assertThat(c.specialize("open").isFalse()).isTrue();
        assertThat(c.specialize(null).isFalse()).as("an event type no rule names").isTrue();
        Cond<HostContext> exec = c.specialize("execve");
        assertThat(exec).isInstanceOf(Cond.StrTest.class);
        assertThat(compile("not evt.type = open").specialize(null).isTrue()).isTrue();
        assertThat(compile("evt.type != open").specialize("open").isFalse()).isTrue();
        Cond<HostContext> prefix = compile("evt.type startswith open");
        assertThat(prefix.specialize("openat").isTrue()).isTrue();
        assertThat(prefix.specialize(null)).as("undecidable for unnamed types").isSameAs(prefix);
        java.util.Set<String> names = new java.util.TreeSet<>();
        compile("evt.type in (a, b) or (evt.type != c and proc.name = x)").collectBuckets(names);
        assertThat(names).containsExactly("a", "b", "c");
    }

    @Test
    void unknownFieldsAreCollectedNotThrown() throws ConditionException {
        ConditionCompiler.Result<HostContext> r = ConditionCompiler.compile(
                ConditionParser.parse("fd.net = x or (proc.env contains y and fd.net = z) or proc.name = a"), HostFields.SOURCE);
        assertThat(r.cond()).isNull();
        assertThat(r.missingFields()).containsExactly("fd.net", "proc.env");
    }

    @Test
    void badFieldArgumentsAreErrors() {
        assertThatThrownBy(() -> compile("proc.aname[x] = a"))
                .hasMessage("field proc.aname needs a number as argument, not 'x'");
        assertThatThrownBy(() -> compile("proc.name[1] = a")).hasMessage("field proc.name does not take an argument");
        assertThatThrownBy(() -> compile("proc.apid = 1")).hasMessage("field proc.apid requires an argument");
        assertThatThrownBy(() -> compile("proc.cmdline regex '('")).isInstanceOf(ConditionException.class);
        assertThatThrownBy(() -> compile("tolower(proc.aname) = a"))
                .hasMessage("transformer 'tolower' needs a single string field, not proc.aname");
    }
}
