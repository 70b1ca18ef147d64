package dev.vigil.host.watch;

import dev.vigil.model.record.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Decouples the sensor threads from a possibly slow consumer (a pipe, a file, a detection engine):
 * sensors offer records without blocking into a bounded queue ({@link #DEFAULT_CAPACITY}); one thread
 * hands them to the consumer in order. A record offered to a full queue is dropped and counted
 * ({@link #dropped()}), never waited for.
 *
 * <p>The consumer is never signalled: it drains in batches and, when it finds the queue empty, naps
 * for a time that doubles from {@link #MIN_NAP_NANOS} to {@link #MAX_NAP_NANOS} while nothing comes.
 * Waking it per record (a condition signal, a futex call) cost the sensor threads a third of their
 * time in an exec storm; the nap adds at most {@link #MAX_NAP_NANOS} to a record's latency after a
 * quiet spell, and idle costs about 125 wake-ups a second.
 */
final class EventQueue implements AutoCloseable {

    /** Records waiting for the consumer. */
    static final int DEFAULT_CAPACITY = 65_536;
    /** Most records handed over per drain. */
    static final int BATCH = 1024;
    /** First nap after the queue was found empty. */
    static final long MIN_NAP_NANOS = 1_000_000;
    /** Longest nap while the queue stays empty. */
    static final long MAX_NAP_NANOS = 8_000_000;

    private final BlockingQueue<LogRecord> queue;
    private final Consumer<LogRecord> consumer;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    EventQueue(int capacity, Consumer<LogRecord> consumer) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.consumer = consumer;
        this.thread = Thread.ofPlatform().name("vigil-host-out").daemon(true).start(this::drain);
    }

    void offer(LogRecord record) {
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<LogRecord> batch = new ArrayList<>(BATCH);
        long nap = MIN_NAP_NANOS;
        while (running || !queue.isEmpty()) {
            if (queue.drainTo(batch, BATCH) == 0) {
                LockSupport.parkNanos(nap);
                nap = Math.min(nap * 2, MAX_NAP_NANOS);
                continue;
            }
            nap = MIN_NAP_NANOS;
            for (LogRecord r : batch) {
                try {
                    consumer.accept(r);
                } catch (RuntimeException e) {
                    dropped.incrementAndGet();
                }
            }
            batch.clear();
        }
    }

    /** Delivers what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
