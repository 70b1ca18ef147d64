package dev.vigil.host.enforce;

import dev.vigil.host.file.Fanotify;
import dev.vigil.host.linux.Native;
import dev.vigil.model.host.EnforcementAudit;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Denies executions in guarded containers through fanotify permission events: a FAN_CLASS_CONTENT
 * group marks each guarded container's root mount for FAN_OPEN_EXEC_PERM, and every exec there waits
 * for this guard's answer — FAN_DENY (the exec fails with EPERM) when the policy names the file,
 * FAN_ALLOW otherwise.
 *
 * <p>Failing open by design, so that a slow or broken guard never freezes a workload: a reader thread
 * queues requests in a bounded queue ({@link #DEFAULT_QUEUE} entries) for a decider thread; a request
 * that finds the queue full, or is not decided within the timeout ({@link #DEFAULT_TIMEOUT_MILLIS}),
 * is allowed and counted. Denials are audited; closing the guard closes the group, and the kernel then
 * allows whatever was pending. Only the targeted container is marked, after its process was verified.
 */
public final class ExecGuard implements AutoCloseable {

    /** Default number of requests awaiting a decision. */
    public static final int DEFAULT_QUEUE = 1024;
    /** Default time a request may wait for a decision before it is allowed. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 500;
    /** Bytes read from the group at once. */
    public static final int READ_BUFFER = 16 * 1024;

    private record Request(int fd, int pid, long deadlineNanos, AtomicBoolean answered) {
    }

    private final Native readerSys = new Native();
    private final Native deciderSys = new Native();
    private final int group;
    private final Predicate<String> deny;
    private final Consumer<EnforcementAudit> audit;
    private final int timeoutMillis;
    private final BlockingQueue<Request> queue;
    private final Map<Integer, Request> inFlight = new ConcurrentHashMap<>();
    private final MemorySegment buffer = readerSys.allocate(READ_BUFFER);
    private final MemorySegment readerResponse = readerSys.allocate(Fanotify.RESPONSE_LEN);
    private final MemorySegment deciderResponse = deciderSys.allocate(Fanotify.RESPONSE_LEN);
    private final MemorySegment link = deciderSys.allocate(Native.MAX_PATH);
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private volatile boolean running = true;
    private final Thread reader;
    private final Thread decider;

    /**
     * Opens the permission group.
     *
     * @param deny          true for a path (as the container sees it) whose execution is denied
     * @param queueSize     requests awaiting a decision
     * @param timeoutMillis time before an undecided request is allowed
     * @throws IllegalStateException naming the fix when fanotify permission events are unavailable
     */
    public ExecGuard(Predicate<String> deny, int queueSize, int timeoutMillis, Consumer<EnforcementAudit> audit) {
        if (queueSize < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("exec guard: queue " + queueSize + " and timeout " + timeoutMillis
                    + " ms must both be positive");
        }
        this.deny = deny;
        this.audit = audit;
        this.timeoutMillis = timeoutMillis;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        int g = readerSys.fanotifyInit(Fanotify.FAN_CLASS_CONTENT | Fanotify.FAN_CLOEXEC | Fanotify.FAN_NONBLOCK,
                Native.O_RDONLY | Native.O_LARGEFILE | Native.O_CLOEXEC);
        if (g < 0) {
            throw new IllegalStateException("fanotify_init(FAN_CLASS_CONTENT) failed: " + Native.errnoName(g)
                    + " — run as root on a kernel with CONFIG_FANOTIFY_ACCESS_PERMISSIONS=y");
        }
        this.group = g;
        this.reader = Thread.ofPlatform().name("vigil-exec-guard-read").daemon(true).start(this::readLoop);
        this.decider = Thread.ofPlatform().name("vigil-exec-guard-decide").daemon(true).start(this::decideLoop);
    }

    /**
     * Guards the container {@code containerId}, whose process {@code pid} gives access to its root
     * mount. Audited; refused when {@code pid} is not in that container.
     */
    public EnforcementAudit guard(int pid, String containerId, String reason) {
        String wrong = new TargetCheck(readerSys).mismatch(pid, containerId);
        String outcome;
        String detail;
        if (wrong != null) {
            outcome = "refused";
            detail = wrong;
        } else {
            int r;
            synchronized (this) {
                r = readerSys.fanotifyMark(group, Fanotify.FAN_MARK_ADD | Fanotify.FAN_MARK_MOUNT,
                        Fanotify.FAN_OPEN_EXEC_PERM, "/proc/" + pid + "/root");
            }
            outcome = r < 0 ? "failed" : "done";
            detail = r < 0 ? "fanotify_mark(FAN_OPEN_EXEC_PERM): " + Native.errnoName(r) : "exec guard on root mount";
        }
        EnforcementAudit a = new EnforcementAudit(System.currentTimeMillis() * 1_000_000L, "guard_exec", outcome,
                containerId, null, pid, "/proc/" + pid + "/root", reason, detail);
        audit.accept(a);
        return a;
    }

    private void readLoop() {
        while (running) {
            expire();
            int ready = readerSys.pollIn(group, Math.min(timeoutMillis, 50));
            if (ready <= 0) {
                continue;
            }
            long n = readerSys.read(group, buffer, READ_BUFFER);
            long at = 0;
            while (n > 0 && at + Fanotify.METADATA_LEN <= n) {
                int len = Fanotify.eventLength(buffer, at);
                if (len < Fanotify.METADATA_LEN || at + len > n) {
                    break;
                }
                int fd = Fanotify.fd(buffer, at);
                if (fd >= 0 && (Fanotify.mask(buffer, at) & Fanotify.FAN_OPEN_EXEC_PERM) != 0) {
                    Request r = new Request(fd, Fanotify.pid(buffer, at),
                            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), new AtomicBoolean());
                    inFlight.put(fd, r);
                    if (!queue.offer(r)) {
                        overflowed.incrementAndGet();
                        answer(readerSys, readerResponse, r, Fanotify.FAN_ALLOW);
                    }
                } else if (fd >= 0) {
                    readerSys.close(fd);
                }
                at += len;
            }
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Request r : inFlight.values()) {
            if (now - r.deadlineNanos() > 0 && answer(readerSys, readerResponse, r, Fanotify.FAN_ALLOW)) {
                timedOut.incrementAndGet();
            }
        }
    }

    private void decideLoop() {
        while (running) {
            Request r;
            try {
                r = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (r == null || r.answered().get()) {
                continue;
            }
            String path = path(r.fd());
            boolean no = path != null && deny.test(path);
            // Read before answering: once denied, the process may end at once.
            String container = no ? new TargetCheck(deciderSys).containerOf(r.pid()) : null;
            if (answer(deciderSys, deciderResponse, r, no ? Fanotify.FAN_DENY : Fanotify.FAN_ALLOW) && no) {
                denied.incrementAndGet();
                audit.accept(new EnforcementAudit(System.currentTimeMillis() * 1_000_000L, "deny_exec", "done",
                        container, null, r.pid(), path, "exec policy", "FAN_DENY"));
            }
        }
    }

    private String path(int fd) {
        long n = deciderSys.readlink("/proc/self/fd/" + fd, link);
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[(int) n];
        MemorySegment.copy(link, ValueLayout.JAVA_BYTE, 0, b, 0, (int) n);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Writes the response once; false when another thread answered first. */
    private boolean answer(Native sys, MemorySegment response, Request r, int verdict) {
        if (!r.answered().compareAndSet(false, true)) {
            return false;
        }
        inFlight.remove(r.fd());
        synchronized (response) {
            response.set(ValueLayout.JAVA_INT, 0, r.fd());
            response.set(ValueLayout.JAVA_INT, 4, verdict);
            sys.write(group, response, Fanotify.RESPONSE_LEN);
        }
        sys.close(r.fd());
        if (verdict == Fanotify.FAN_ALLOW) {
            allowed.incrementAndGet();
        }
        return true;
    }

    public long allowed() {
        return allowed.get();
    }

    public long denied() {
        return denied.get();
    }

    /** Requests allowed because no decision came within the timeout. */
    public long timedOut() {
        return timedOut.get();
    }

    /** Requests allowed because the decision queue was full. */
    public long overflowed() {
        return overflowed.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(1000);
            decider.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Request r : inFlight.values()) {
            answer(readerSys, readerResponse, r, Fanotify.FAN_ALLOW);
        }
        readerSys.close(group);
    }
}
