package dev.vigil.detect.baseline;

import java.util.ArrayList;
import java.util.List;

/** One container's processes, written directories and token readers. Guarded by its {@link WorkloadBaseline}. */
final class ContainerBaseline {

    /** An executable with its shapes; mutable while learning. */
    static final class Exe {
        final String exe;
        final String name;
        final long key;
        boolean anyArgs;
        final List<String> shapes = new ArrayList<>();

        Exe(String exe, String name, long key) {
            this.exe = exe;
            this.name = name;
            this.key = key;
        }
    }

    final String name;
    final Facts<Exe> executables;
    /** Hashes of (executable, shape). */
    final LongSet shapes = new LongSet();
    /** Hashes of executables that accept any arguments. */
    final LongSet anyArgs = new LongSet();
    final Facts<String> fileDirs;
    final Facts<String> tokenReaders;

    ContainerBaseline(String name, BaselineConfig config) {
        this.name = name;
        this.executables = new Facts<>(config.maxExecutables());
        this.fileDirs = new Facts<>(config.maxFileDirs());
        this.tokenReaders = new Facts<>(config.maxTokenReaders());
    }

    static long exeKey(String exe, String name) {
        return Fnv.part(Fnv.add(Fnv.START, exe), name);
    }

    static long shapeSeed(long exeKey) {
        return Fnv.add(exeKey, Fnv.SEP);
    }

    /** The directory of {@code path} ({@code /} for a file at the root), as a hash. */
    static long dirKey(String path) {
        return Fnv.add(Fnv.START, path, 0, dirEnd(path));
    }

    static String dir(String path) {
        return path.substring(0, dirEnd(path));
    }

    private static int dirEnd(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path.length() : Math.max(slash, 1);
    }

    Exe findExe(long key) {
        for (Exe e : executables.items()) {
            if (e.key == key) {
                return e;
            }
        }
        return null;
    }
}
