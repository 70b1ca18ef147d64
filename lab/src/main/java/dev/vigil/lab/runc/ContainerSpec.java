package dev.vigil.lab.runc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What runc needs to start one lab container: identity, process, root filesystem, the pod's
 * network namespace and cgroup path, bind mounts, and CRI-style annotations.
 */
public record ContainerSpec(String id, String hostname, List<String> args, List<String> env, String cwd,
                            int uid, int gid, Path rootfs, Path netns, String cgroupsPath,
                            List<BindMount> binds, Map<String, String> annotations) {

    /** A host path bound into the container. */
    public record BindMount(Path source, String destination, boolean readOnly) {
    }

    public ContainerSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        binds = List.copyOf(binds);
        annotations = Map.copyOf(annotations);
    }
}
