package dev.vigil.net.capture;

import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.PcapWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Live capture on any number of interfaces: one {@link LiveCapture} handle, one reading thread and one
 * {@link Pipeline} per interface (pipelines are single-threaded), so interfaces can come and go as pods
 * do. Frames can also be copied to a shared pcap writer ({@code vigil capture -w}). Idle pipelines are
 * ticked on read timeouts so their flows expire on time.
 */
public final class CaptureSession implements AutoCloseable {

    private final CaptureOptions options;
    private final Function<String, Pipeline> pipelines;
    private final PcapWriter writer;
    private final Consumer<String> log;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<String, LiveCapture.Stats> finalStats = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong finishedFrames = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param pipelines makes the pipeline of each new interface, given the interface's name
     * @param writer    receives every frame of every interface, or null
     * @param log       receives one line per interface started, stopped or failed
     */
    public CaptureSession(CaptureOptions options, Function<String, Pipeline> pipelines, PcapWriter writer, Consumer<String> log) {
        this.options = options;
        this.pipelines = pipelines;
        this.writer = writer;
        this.log = log;
    }

    private final class Worker implements Runnable {
        final LiveCapture capture;
        final Pipeline pipeline;
        final Thread thread;

        Worker(LiveCapture capture, Pipeline pipeline) {
            this.capture = capture;
            this.pipeline = pipeline;
            this.thread = Thread.ofPlatform().daemon().name("vigil-capture-" + capture.iface()).unstarted(this);
        }

        @Override
        public void run() {
            Frame frame = new Frame();
            try {
                while (true) {
                    int r = capture.next(frame);
                    if (r == LiveCapture.PACKET) {
                        if (writer != null) {
                            synchronized (writer) {
                                writer.write(frame);
                            }
                        }
                        pipeline.frame(frame);
                    } else if (r == LiveCapture.TIMEOUT) {
                        pipeline.tick(System.currentTimeMillis() * 1000);
                    } else {
                        break;
                    }
                }
                String error = capture.lastError();
                if (error != null) {
                    log.accept("capture on " + capture.iface() + " ended: " + error);
                }
            } finally {
                pipeline.finish();
                try {
                    finalStats.put(capture.iface(), capture.stats());
                } catch (CaptureException e) {
                    log.accept(e.getMessage());
                }
                capture.close();
                workers.remove(capture.iface(), this);
                finishedFrames.addAndGet(pipeline.frames());
            }
        }
    }

    /** Starts capturing on {@code iface} unless already capturing there; throws {@link CaptureException} on failure. */
    public synchronized void start(String iface) {
        if (workers.containsKey(iface)) {
            return;
        }
        LiveCapture capture = LiveCapture.open(iface, options);
        Worker w = new Worker(capture, pipelines.apply(iface));
        workers.put(iface, w);
        w.thread.start();
        log.accept("capturing on " + iface);
    }

    /** Stops capturing on {@code iface} and waits for its flows to be written. */
    public void stop(String iface) {
        Worker w = workers.get(iface);
        if (w != null) {
            w.capture.breakLoop();
            join(w);
            log.accept("stopped capturing on " + iface);
        }
    }

    /**
     * Follows a changing set of interfaces (pods coming and going): starts the missing ones, stops the
     * ones no longer wanted. Interfaces that fail to open are reported and retried on the next call.
     */
    public void sync(Set<String> wanted) {
        for (String iface : wanted) {
            if (!workers.containsKey(iface)) {
                try {
                    start(iface);
                } catch (CaptureException e) {
                    log.accept(e.getMessage());
                }
            }
        }
        for (String iface : interfaces()) {
            if (!wanted.contains(iface)) {
                stop(iface);
            }
        }
    }

    /** Interfaces captured now. */
    public Set<String> interfaces() {
        return Set.copyOf(workers.keySet());
    }

    /** Kernel counters of every interface, live ones and those already stopped. */
    public Map<String, LiveCapture.Stats> stats() {
        Map<String, LiveCapture.Stats> out = new TreeMap<>(finalStats);
        for (Worker w : workers.values()) {
            try {
                out.put(w.capture.iface(), w.capture.stats());
            } catch (CaptureException e) {
                // the handle just closed; its final counters are in finalStats
            }
        }
        return out;
    }

    /** Packets seen by every pipeline so far, those of interfaces no longer captured included. */
    public long frames() {
        long n = finishedFrames.get();
        for (Worker w : workers.values()) {
            n += w.pipeline.frames();
        }
        return n;
    }

    /** Stops every interface and waits until all records are written. */
    @Override
    public void close() {
        for (Worker w : workers.values()) {
            w.capture.breakLoop();
        }
        for (Worker w : workers.values()) {
            join(w);
        }
    }

    private static void join(Worker w) {
        try {
            w.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
