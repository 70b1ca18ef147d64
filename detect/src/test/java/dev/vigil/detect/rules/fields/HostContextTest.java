package dev.vigil.detect.rules.fields;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.host.HostEvent;
import dev.vigil.model.host.HostField;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A host sensor event bound to the context reads as the host record renders it. */
class HostContextTest {

    private static final Set<String> FALCO_TYPED = Set.of("thread.cap_effective", "evt.res");

    private static HostEvent event() {
        HostEvent.Process p = new HostEvent.Process(4242, 100, "curl", "/usr/bin/curl",
                List.of("curl", "-s", "http://10.96.0.1/api"), "/app", List.of("sh", "java", "containerd-shim"),
                new long[] {100, 90, 80}, 0, 1_700_000_000_000_000_000L, 1000, 1000, "app", 1, 0xa80425fbL,
                4026532100L, 4026532101L, 4026532102L, "/kubepods/besteffort/pod1/abc", false, false);
        ContainerIdentity id = new ContainerIdentity("abcdef0123456789abcdef", "containerd", "shop", "web-1", "uid-1",
                "web", "registry.example/shop/web:1.4", "sha256:" + "cd".repeat(32),
                new WorkloadRef("shop", "Deployment", "web"));
        return new HostEvent("connect", 1_700_000_001_000_000_000L, "syscall", p,
                new HostEvent.Container("abcdef0123456789abcdef", "containerd", id),
                new HostEvent.Fd(5, '4', "10.244.1.5:41000->10.96.0.1:443", "tcp", "10.244.1.5", 41000, "10.96.0.1", 443,
                        null), "fd=5 res=0", 0L, null, null);
    }

    @Test
    void everyFieldTheHostRecordHasReadsTheSame() {
        HostEvent e = event();
        HostContext ctx = new HostContext("n").bind(e);
        int compared = 0;
        for (HostField f : HostField.values()) {
            String arg = f.kind() == HostField.Kind.INDEXED_NUMBER ? "1" : null;
            Field<HostContext> field = HostFields.SOURCE.resolve(f.falcoName(), arg);
            assertThat(field).as("%s is a rule field", f.falcoName()).isNotNull();
            if (FALCO_TYPED.contains(f.falcoName())) {
                continue;
            }
            Object record = f.get(e);
            assertThat(field.value(ctx)).as(f.falcoName()).isEqualTo(record);
            compared++;
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void rulesSeeFalcosTypesWhereTheRecordDiffers() {
        HostContext ctx = new HostContext("n").bind(event());
        assertThat(HostFields.SOURCE.resolve("thread.cap_effective", null).value(ctx).toString())
                .startsWith("CAP_CHOWN CAP_DAC_OVERRIDE").contains("CAP_NET_RAW").doesNotContain("CAP_SYS_ADMIN");
        assertThat(HostFields.SOURCE.resolve("evt.res", null).value(ctx)).isEqualTo("SUCCESS");
        assertThat(HostFields.SOURCE.resolve("evt.rawres", null).value(ctx)).isEqualTo(0L);
    }

    @Test
    void bindingForgetsThePreviousEvent() {
        HostContext ctx = new HostContext("n").bind(event());
        HostEvent.Process bare = HostEvent.Process.minimal(7, 1, "true", List.of("sh"), new long[] {1});
        ctx.bind(new HostEvent("procexit", 1, "proc", bare, null, null, null, null, 0, 9));
        for (String name : List.of("fd.name", "fd.num", "proc.cmdline", "proc.exepath", "k8s.pod.name", "evt.args",
                "thread.cap_effective", "proc.cgroup", "proc.ns.net", "user.uid")) {
            assertThat(HostFields.SOURCE.resolve(name, null).value(ctx)).as(name).isNull();
        }
        assertThat(HostFields.SOURCE.resolve("container.id", null).value(ctx)).isEqualTo("host");
        assertThat(HostFields.SOURCE.resolve("evt.arg", "status").value(ctx)).isEqualTo(0L);
        assertThat(HostFields.SOURCE.resolve("evt.arg", "sig").value(ctx)).isEqualTo(9L);
        assertThat(HostFields.SOURCE.resolve("vigil.sensor", null).value(ctx)).isEqualTo("proc");
    }
}
