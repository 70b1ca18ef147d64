package dev.vigil.cli.net;

import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.RecordSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Hands records to another thread in batches, so rendering and writing them (a fifth of
 * {@code pcap analyze}'s work with every log on) runs beside the analysis on another core. Records
 * are immutable, so handing them over is safe. Several analysis threads may feed it, each through its
 * own {@link #producer()} (this sink itself is the creating thread's); each producer's order is kept,
 * producers' batches interleave. Bounded: at most {@link #QUEUE} batches of {@link #BATCH} records
 * wait, and producers wait when the writer falls behind. A failure of the writer (a closed pipe) is
 * rethrown to the producers on their next hand-over and on close.
 */
final class BackgroundRecordSink implements RecordSink, AutoCloseable {

    /** Records per hand-over. */
    static final int BATCH = 512;
    /** Batches waiting at most. */
    static final int QUEUE = 32;

    private static final List<LogRecord> END = List.of();

    private final RecordSink target;
    private final ArrayBlockingQueue<List<LogRecord>> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private final List<Producer> producers = new CopyOnWriteArrayList<>();
    private final Producer own;
    private volatile RuntimeException failure;

    BackgroundRecordSink(RecordSink target) {
        this.target = target;
        this.own = new Producer();
        producers.add(own);
        this.writer = Thread.ofPlatform().name("vigil-output").daemon().start(this::drain);
    }

    /** A sink for one more analysis thread, to be used by that thread alone until {@link #close}. */
    RecordSink producer() {
        Producer p = new Producer();
        producers.add(p);
        return p;
    }

    @Override
    public void accept(LogRecord record) {
        own.accept(record);
    }

    private final class Producer implements RecordSink {
        private List<LogRecord> batch = new ArrayList<>(BATCH);

        @Override
        public void accept(LogRecord record) {
            batch.add(record);
            if (batch.size() == BATCH) {
                hand(batch);
                batch = new ArrayList<>(BATCH);
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                hand(batch);
                batch = new ArrayList<>(0);
            }
        }
    }

    /**
     * Hands over what every producer has left (their threads must be done), waits until the writer has
     * written everything, and rethrows its failure.
     */
    @Override
    public void close() {
        for (Producer p : producers) {
            p.flush();
        }
        hand(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rethrow();
    }

    private void hand(List<LogRecord> records) {
        try {
            while (!queue.offer(records, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing records to the output thread", e);
        }
        rethrow();
    }

    private void rethrow() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void drain() {
        try {
            while (true) {
                List<LogRecord> records = queue.take();
                if (records == END) {
                    return;
                }
                for (LogRecord r : records) {
                    target.accept(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            queue.clear();
        }
    }
}
