package dev.vigil.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One step of the agent's pipeline: a bounded queue and one virtual thread that hands its items to a
 * consumer in order. Producers never wait: {@link #offer} into a full queue drops the item and counts
 * it ({@link #dropped()}), so a slow sink or detector costs records, counted and reported, never a
 * stalled sensor. After each batch (everything that was queued when the thread woke up) the consumer's
 * {@link Handler#endOfBatch()} runs, so writers flush once per burst rather than once per item and
 * never leave a lone item unflushed.
 *
 * <p>A consumer that throws loses that item only; the failure is counted ({@link #failures()}) and the
 * first message kept ({@link #firstFailure()}).
 *
 * @param <T> what flows through
 */
public final class BoundedStage<T> implements AutoCloseable {

    /** Largest batch handed over between two {@link Handler#endOfBatch()} calls. */
    public static final int MAX_BATCH = 256;
    /** How long {@link #close()} waits for the queue to drain. */
    public static final long CLOSE_TIMEOUT_MILLIS = 5000;

    /** Receives the items of a stage on its thread. */
    public interface Handler<T> extends Consumer<T> {

        /** Called when the queue has been emptied (or {@link #MAX_BATCH} items were handed over). */
        default void endOfBatch() {
        }
    }

    private final String name;
    private final ArrayBlockingQueue<T> queue;
    private final Handler<T> handler;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String firstFailure;
    private volatile long handled;
    private volatile boolean running = true;
    private final Thread thread;

    /** Starts the stage's thread. */
    public BoundedStage(String name, int capacity, Handler<T> handler) {
        if (capacity < 1) {
            throw new IllegalArgumentException(name + " queue capacity: " + capacity + " must be at least 1");
        }
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.handler = handler;
        this.thread = Thread.ofVirtual().name("vigil-" + name).start(this::run);
    }

    /** Queues {@code item} without waiting; false (and counted) when the queue is full or closed. */
    public boolean offer(T item) {
        offered.incrementAndGet();
        if (running && queue.offer(item)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    private void run() {
        List<T> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            T first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            hand(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            for (int i = 0; i < batch.size(); i++) {
                hand(batch.get(i));
            }
            batch.clear();
            try {
                handler.endOfBatch();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private void hand(T item) {
        try {
            handler.accept(item);
        } catch (RuntimeException e) {
            failed(e);
        }
        handled++;
    }

    private void failed(RuntimeException e) {
        if (failures.incrementAndGet() == 1) {
            firstFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return queue.remainingCapacity() + queue.size();
    }

    /** Items waiting now. */
    public int depth() {
        return queue.size();
    }

    public long offered() {
        return offered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Items handed to the consumer. */
    public long handled() {
        return handled;
    }

    public long failures() {
        return failures.get();
    }

    /** The first consumer failure, or null. */
    public String firstFailure() {
        return firstFailure;
    }

    /** Stops taking items, hands over what is queued (waiting at most {@link #CLOSE_TIMEOUT_MILLIS}), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            if (!thread.join(java.time.Duration.ofMillis(CLOSE_TIMEOUT_MILLIS))) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
