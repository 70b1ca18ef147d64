package dev.vigil.lab.image;

import java.util.List;

/**
 * The runtime defaults of an image (OCI image config {@code config} object): what runs, as whom,
 * with which environment.
 *
 * @param user numeric {@code uid:gid} (the lab resolves no names at run time)
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String user,
                          String workingDir, List<String> exposedPorts) {

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        exposedPorts = List.copyOf(exposedPorts);
    }

    /** The numeric user id of {@link #user()}. */
    public int uid() {
        return Integer.parseInt(user.split(":")[0]);
    }

    /** The numeric group id of {@link #user()}. */
    public int gid() {
        String[] p = user.split(":");
        return Integer.parseInt(p.length > 1 ? p[1] : p[0]);
    }
}
