package dev.vigil.cli.net;

import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.RecordSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands records to another thread in batches, so rendering and writing them (a fifth of
 * {@code pcap analyze}'s work with every log on) runs beside the analysis on a second core. Records
 * are immutable, so handing them over is safe; their order is kept. Bounded: at most {@link #QUEUE}
 * batches of {@link #BATCH} records wait, and the analysis waits when the writer falls behind. A
 * failure of the writer (a closed pipe) is rethrown to the analysis on its next record and on close.
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
    private volatile RuntimeException failure;
    private List<LogRecord> batch = new ArrayList<>(BATCH);

    BackgroundRecordSink(RecordSink target) {
        this.target = target;
        this.writer = Thread.ofPlatform().name("vigil-output").daemon().start(this::drain);
    }

    @Override
    public void accept(LogRecord record) {
        batch.add(record);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Hands over what is left, waits until the writer has written everything, and rethrows its failure. */
    @Override
    public void close() {
        if (!batch.isEmpty()) {
            hand(batch);
            batch = new ArrayList<>(0);
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
