package dev.vigil.detect.rules;

import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.util.List;

/** Crafted host events for rule tests: a process in a pod's container unless said otherwise. */
final class Events {

    static final String CONTAINER_ID = "3f1c9a2b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a";

    private Events() {
    }

    static ContainerIdentity identity(String namespace, String image) {
        return new ContainerIdentity(CONTAINER_ID, "containerd", namespace, "web-7d9f", "uid-1", "app", image,
                "sha256:" + "ab".repeat(32), new WorkloadRef(namespace, "Deployment", "web"));
    }

    /** An exec of {@code argv} by a process named {@code name} whose ancestors are {@code ancestors}. */
    static HostContext exec(HostContext ctx, String name, List<String> argv, String... ancestors) {
        long[] pids = new long[ancestors.length];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = 100 - i;
        }
        return ctx.reset().event("execve", 1_700_000_000_123_456_789L)
                .process(4242, 100, name, "/bin/" + name, argv, "/")
                .ancestors(List.of(ancestors), pids)
                .user(1000, 1000, "app").session(0, 1, 0)
                .container(CONTAINER_ID, "containerd", identity("shop", "registry.example/shop/web:1.4"));
    }

    /** A file open as the host sensor reports it: fanotify knows the file, not the process's descriptor number. */
    static HostContext open(HostContext ctx, String name, String path, String flags) {
        return ctx.reset().event("open", 1_700_000_000_000_000_000L)
                .process(4242, 100, name, "/usr/bin/" + name, List.of(name, path), "/")
                .ancestors(List.of("bash"), new long[] {100})
                .user(0, 0, "root")
                .container(CONTAINER_ID, "containerd", identity("shop", "registry.example/shop/web:1.4"))
                .file(-1, path, flags);
    }
}
