package dev.vigil.host;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A pod for host sensor tests, built the way the lab builds one: a network namespace
 * {@code vigil-test-*}, a runc container on overlayfs (a busybox-static image layer below, a writable
 * layer above) in a kubelet-style cgroup {@code /kubepods/besteffort/pod<uid>/<id>}. Everything is
 * removed on {@link #close()}, also when start-up fails half-way.
 */
public final class TestPod implements AutoCloseable {

    /** Applets linked in the image. */
    private static final List<String> APPLETS = List.of("sh", "cat", "ls", "cp", "true", "sleep", "nc", "chmod",
            "echo", "id", "arping", "head", "rm", "mkdir", "touch", "ps", "ping", "ln");

    private static final SplittableRandom RANDOM = new SplittableRandom();
    private static volatile Path probe;

    public final String name;
    public final String id;
    public final String podUid;
    public final String netns;
    public final Path dir;
    public final Path image;
    public final Path upper;
    public final Path merged;
    private final List<Runnable> cleanup = new ArrayList<>();

    private TestPod(String name) {
        this.name = name;
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        this.id = HexFormat.of().formatHex(b);
        this.podUid = "vigil-" + id.substring(0, 8);
        // "vigiltest-", not "vigil-": the lab sweeps every "vigil-*" namespace it finds.
        this.netns = "vigiltest-" + id.substring(0, 8);
        try {
            this.dir = Files.createTempDirectory("vigil-test-pod");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.image = dir.resolve("image");
        this.upper = dir.resolve("upper");
        this.merged = dir.resolve("merged");
    }

    /** Builds and starts a pod whose container runs {@code sleep 3600}. */
    public static TestPod start(String name) {
        TestPod pod = new TestPod(name);
        try {
            pod.build();
            return pod;
        } catch (RuntimeException | Error e) {
            pod.close();
            throw e;
        }
    }

    /** The static probe binary (compiled once per JVM from the test resources). */
    public static synchronized Path probe() {
        if (probe == null) {
            try {
                Path src = Files.createTempFile("vigil-probe", ".c");
                try (var in = TestPod.class.getResourceAsStream("probe.c")) {
                    Files.write(src, in.readAllBytes());
                }
                Path out = Files.createTempFile("vigil-probe", "");
                run(List.of("gcc", "-static", "-O2", "-o", out.toString(), src.toString()));
                Files.delete(src);
                out.toFile().deleteOnExit();
                probe = out;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return probe;
    }

    private void build() {
        try {
            for (String d : List.of("bin", "etc", "proc", "dev", "sys", "tmp", "root/.ssh",
                    "var/run/secrets/kubernetes.io/serviceaccount")) {
                Files.createDirectories(image.resolve(d));
            }
            Files.createDirectories(upper);
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(merged);
            Files.copy(Path.of("/usr/bin/busybox"), image.resolve("bin/busybox"));
            Files.copy(probe(), image.resolve("bin/probe"));
            run(List.of("chmod", "755", image.resolve("bin/probe").toString()));
            for (String a : APPLETS) {
                Files.createSymbolicLink(image.resolve("bin/" + a), Path.of("busybox"));
            }
            Files.writeString(image.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
            Files.writeString(image.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
            Files.writeString(image.resolve("var/run/secrets/kubernetes.io/serviceaccount/token"), "eyJ.test.token\n");
            Files.writeString(image.resolve("root/.ssh/id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + image + ",upperdir=" + upper
                + ",workdir=" + dir.resolve("work"), merged.toString()));
        cleanup.add(() -> quiet(List.of("umount", "-l", merged.toString())));
        run(List.of("ip", "netns", "add", netns));
        cleanup.add(() -> quiet(List.of("ip", "netns", "del", netns)));
        run(List.of("ip", "-n", netns, "link", "set", "lo", "up"));
        try {
            Files.writeString(dir.resolve("config.json"), config());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        cleanup.add(() -> {
            quiet(List.of("runc", "delete", "-f", id));
            for (String controller : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                    "systemd", "unified")) {
                Path pod = Path.of("/sys/fs/cgroup", controller, "kubepods/besteffort/pod" + podUid);
                if (Files.isDirectory(pod)) {
                    quiet(List.of("rmdir", pod.resolve(id).toString()));
                    quiet(List.of("rmdir", pod.toString()));
                }
            }
        });
        ProcessBuilder pb = new ProcessBuilder("runc", "run", "-d", "--bundle", dir.toString(), id)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("runc.err").toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("runc run failed: " + Files.readString(dir.resolve("runc.err")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String config() {
        String caps = "[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_KILL\",\"CAP_SETUID\",\"CAP_SETGID\","
                + "\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\",\"CAP_SYS_PTRACE\",\"CAP_AUDIT_WRITE\"]";
        return """
                {"ociVersion":"1.0.2-dev",
                 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":["/bin/sleep","3600"],
                   "env":["PATH=/bin","HOME=/root"],"cwd":"/",
                   "capabilities":{"bounding":@CAPS@,"effective":@CAPS@,"permitted":@CAPS@,"ambient":@CAPS@},
                   "noNewPrivileges":false},
                 "root":{"path":"@ROOT@","readonly":false},
                 "hostname":"@NAME@",
                 "mounts":[
                   {"destination":"/proc","type":"proc","source":"proc"},
                   {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
                   {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
                   {"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
                   {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]}],
                 "linux":{"cgroupsPath":"/kubepods/besteffort/pod@UID@/@ID@",
                   "namespaces":[{"type":"pid"},{"type":"network","path":"/var/run/netns/@NETNS@"},{"type":"ipc"},
                     {"type":"uts"},{"type":"mount"}],
                   "maskedPaths":["/proc/kcore","/proc/keys","/sys/firmware"],
                   "readonlyPaths":["/proc/sys","/proc/sysrq-trigger"]}}
                """.replace("@CAPS@", caps).replace("@ROOT@", merged.toString()).replace("@NAME@", name)
                .replace("@UID@", podUid).replace("@ID@", id).replace("@NETNS@", netns);
    }

    /** The pid (host namespace) of the container's first process. */
    public int initPid() {
        String state = run(List.of("runc", "state", id));
        int at = state.indexOf("\"pid\":");
        int end = state.indexOf(',', at);
        return Integer.parseInt(state.substring(at + 6, end).trim());
    }

    /** Runs a command in the container and returns its standard output; fails on a non-zero exit. */
    public String exec(String... args) {
        List<String> cmd = new ArrayList<>(List.of("runc", "exec", id));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Starts a command in the container without waiting. */
    public Process execAsync(String... args) {
        List<String> cmd = new ArrayList<>(List.of("runc", "exec", id));
        cmd.addAll(List.of(args));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the cluster would say about this container. */
    public ContainerIdentity identity() {
        return new ContainerIdentity(id, "containerd", "vigil-test", name, podUid, "app",
                "registry.vigil.test/busybox:1.36", "sha256:" + "ab".repeat(32),
                new WorkloadRef("vigil-test", "Pod", name));
    }

    /** A resolver that knows these pods. */
    public static IdentityResolver resolver(TestPod... pods) {
        Map<String, ContainerIdentity> byId = new ConcurrentHashMap<>();
        for (TestPod p : pods) {
            byId.put(p.id, p.identity());
        }
        return new IdentityResolver() {
            @Override
            public Endpoint resolve(String ip, Instant at) {
                return new Endpoint.External(ip, null);
            }

            @Override
            public Optional<ContainerIdentity> container(String containerId) {
                String bare = containerId.contains("://") ? containerId.substring(containerId.indexOf("://") + 3) : containerId;
                return Optional.ofNullable(byId.get(bare));
            }
        };
    }

    @Override
    public void close() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        cleanup.clear();
        quiet(List.of("rm", "-rf", dir.toString()));
    }

    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void quiet(List<String> cmd) {
        try {
            run(cmd);
        } catch (RuntimeException ignored) {
            // best effort during cleanup
        }
    }
}
