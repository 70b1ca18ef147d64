package dev.vigil.host.enforce;

import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nftables inside one pod's network namespace, shared by the network enforcement primitives: the
 * confinement check (the process is in the targeted container and not in the host's namespace), and
 * {@code nsenter --net=/proc/<pid>/ns/net nft …}.
 */
final class PodNft {

    /** Longest time an nft invocation may take. */
    static final int NFT_TIMEOUT_SECONDS = 10;

    private PodNft() {
    }

    /**
     * Null when {@code pid} runs in {@code containerId} in a network namespace of its own; otherwise
     * {@code {"refused", why}}, {@code what} naming the action for the message.
     */
    static String[] refusal(int pid, String containerId, String what) {
        Native sys = new Native();
        try {
            TargetCheck t = new TargetCheck(sys);
            String wrong = t.mismatch(pid, containerId);
            if (wrong != null) {
                return new String[] {"refused", wrong};
            }
            long ns = t.netNs(pid);
            if (ns == 0 || ns == t.netNs(1) || ns == t.netNs(Native.getpid())) {
                return new String[] {"refused", "pid " + pid + " shares the host's network namespace (" + ns + "): " + what};
            }
            return null;
        } finally {
            sys.release();
        }
    }

    /** The network namespace inode of {@code pid} (0 when unreadable). */
    static long netNs(int pid) {
        Native sys = new Native();
        try {
            return new TargetCheck(sys).netNs(pid);
        } finally {
            sys.release();
        }
    }

    /**
     * A live process in network namespace {@code ns}: {@code preferred} while it is still there, else
     * the first found in {@code /proc}; -1 when the namespace has no process left (it is gone, and
     * everything in it with it).
     */
    static int processIn(long ns, int preferred) {
        if (ns != 0 && netNs(preferred) == ns) {
            return preferred;
        }
        Native sys = new Native();
        try {
            ProcFs fs = new ProcFs(sys);
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"))) {
                for (Path p : dir) {
                    String name = p.getFileName().toString();
                    if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                        int pid = Integer.parseInt(name);
                        if (fs.namespaceInode(pid, "ns/net") == ns) {
                            return pid;
                        }
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return -1;
        } finally {
            sys.release();
        }
    }

    /** Runs nft in the network namespace of {@code pid}; null on success, else the error. */
    static String nft(int pid, List<String> args, String stdin) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "nft"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // nft ended before reading its script: its output below says why
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "nft timed out after " + NFT_TIMEOUT_SECONDS + " s";
            }
            return p.exitValue() == 0 ? null : "nft exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return "cannot run nsenter/nft: " + e.getMessage() + " — install them: apt-get install nftables util-linux";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
