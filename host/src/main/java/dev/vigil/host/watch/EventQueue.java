package dev.vigil.host.watch;

import dev.vigil.model.record.LogRecord;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Decouples the sensor threads from a possibly slow consumer (a pipe, a file, a detection engine):
 * sensors offer records without blocking into a bounded queue ({@link #DEFAULT_CAPACITY}); one thread
 * hands them to the consumer in order. A record offered to a full queue is dropped and counted
 * ({@link #dropped()}), never waited for.
 */
final class EventQueue implements AutoCloseable {

    /** Records waiting for the consumer. */
    static final int DEFAULT_CAPACITY = 65_536;

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
        while (running || !queue.isEmpty()) {
            try {
                LogRecord r = queue.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    consumer.accept(r);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                dropped.incrementAndGet();
            }
        }
    }

    /** Delivers what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
