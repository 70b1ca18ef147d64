package dev.vigil.cli.net;

import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.RecordSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Writes records on another thread, so that writing (and rendering, a fifth of {@code pcap analyze}'s
 * work with every log on) runs beside the analysis. Several analysis threads may feed it, each through
 * its own {@link #producer()} (this sink itself is the creating thread's); each producer's order is
 * kept, producers' hand-overs interleave. In front of a {@link RecordOutput} writing JSON lines, each
 * producer renders its own records into chunks of UTF-8 bytes and hands those over, so rendering runs on as
 * many cores as there are analysis threads; otherwise records (immutable, so safe to hand over) go
 * over in batches of {@link #BATCH}. Bounded: at most {@link #QUEUE} hand-overs wait, and producers
 * wait when the writer falls behind. A failure of the writer (a closed pipe) is rethrown to the
 * producers on their next hand-over and on close.
 */
final class BackgroundRecordSink implements RecordSink, AutoCloseable {

    /** Records per hand-over. */
    static final int BATCH = 512;
    /** Batches waiting at most. */
    static final int QUEUE = 32;

    private static final Runnable END = () -> { };

    private final RecordSink target;
    private final RecordOutput lines;
    private final ArrayBlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private final List<Producer> producers = new CopyOnWriteArrayList<>();
    private final Producer own;
    private volatile RuntimeException failure;
    /** Set once the failure has been thrown: close does not throw it again (a try-with-resources would add it to itself). */
    private volatile boolean thrown;

    /** Hands records over in batches; {@code target} gets them on the writer thread. */
    BackgroundRecordSink(RecordSink target) {
        this.target = target;
        this.lines = target instanceof RecordOutput output && !output.table() ? output : null;
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
        private final RecordOutput.Lines rendered = lines != null
                ? lines.lines((chunk, length) -> hand(() -> lines.write(chunk, length))) : null;
        private List<LogRecord> batch = new ArrayList<>(BATCH);

        @Override
        public void accept(LogRecord record) {
            if (rendered != null) {
                rendered.accept(record);
                return;
            }
            batch.add(record);
            if (batch.size() == BATCH) {
                handBatch();
                batch = new ArrayList<>(BATCH);
            }
        }

        private void handBatch() {
            List<LogRecord> records = batch;
            hand(() -> {
                for (LogRecord r : records) {
                    target.accept(r);
                }
            });
        }

        void flush() {
            if (rendered != null) {
                rendered.flush();
            } else if (!batch.isEmpty()) {
                handBatch();
                batch = new ArrayList<>(0);
            }
        }
    }

    /**
     * Hands over what every producer has left (their threads must be done), waits until the writer has
     * written everything, and rethrows its failure unless a hand-over already has.
     */
    @Override
    public void close() {
        if (failure == null) {
            for (Producer p : producers) {
                p.flush();
            }
            hand(END);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thrown) {
            rethrow();
        }
    }

    private void hand(Runnable work) {
        try {
            while (!queue.offer(work, 100, TimeUnit.MILLISECONDS)) {
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
            thrown = true;
            throw f;
        }
    }

    private void drain() {
        try {
            while (true) {
                Runnable work = queue.take();
                if (work == END) {
                    return;
                }
                work.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            queue.clear();
        }
    }
}
