package dev.vigil.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One lab per machine: an exclusive lock on {@value #PATH}, held by the lab daemon for the lab's
 * whole life and released by the kernel when that process ends, however it ends. Who holds it is
 * written to {@code /run/vigil-lab/holder} so a waiter can say what it waits for.
 */
final class LabLock implements AutoCloseable {

    static final String PATH = "/run/vigil-lab/lock";
    static final Path HOLDER = LabState.RUN.resolve("holder");

    private final FileChannel channel;
    private final FileLock lock;

    private LabLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, waiting while another lab holds it; {@code progress} hears once why we wait.
     * Gives up (returns null) when {@code giveUp} turns true or {@code timeout} passes.
     */
    static LabLock acquire(String holderDescription, Duration timeout, BooleanSupplier giveUp, Consumer<String> progress) {
        try {
            Files.createDirectories(LabState.RUN);
            FileChannel ch = FileChannel.open(Path.of(PATH), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Instant deadline = Instant.now().plus(timeout);
            boolean told = false;
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    Files.writeString(HOLDER, holderDescription + "\n");
                    return new LabLock(ch, l);
                }
                if (!told) {
                    progress.accept("waiting for the lab lock " + PATH + ", held by " + holder()
                            + "; stop that lab with `sudo ./vigil lab down`, or wait for it to finish");
                    told = true;
                }
                if (giveUp.getAsBoolean() || Instant.now().isAfter(deadline)) {
                    ch.close();
                    return null;
                }
                Thread.sleep(250);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lab lock " + PATH, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** True when some process holds the lock (this one excepted). */
    static boolean held() {
        if (!Files.exists(Path.of(PATH))) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(Path.of(PATH), StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (IOException e) {
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    /** The pid in the holder description ({@code pid N …}), or -1 when nobody holds the lock. */
    static long holderPid() {
        String h = holder();
        if (!h.startsWith("pid ")) {
            return -1;
        }
        int end = h.indexOf(' ', 4);
        try {
            return Long.parseLong(end < 0 ? h.substring(4) : h.substring(4, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String holder() {
        try {
            return Files.readString(HOLDER).strip();
        } catch (IOException e) {
            return "another process";
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(HOLDER);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lab lock", e);
        }
    }
}
