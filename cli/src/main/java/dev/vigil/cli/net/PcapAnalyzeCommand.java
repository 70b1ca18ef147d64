package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
import dev.vigil.cli.Vigil;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.net.analysis.CaptureAnalysis;
import dev.vigil.net.analysis.ParallelPipeline;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.decode.Anomaly;
import dev.vigil.net.pcap.PacketReader;
import dev.vigil.net.pcap.PcapFiles;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil pcap analyze FILE...}: reads capture files through the network pipeline and prints
 * Zeek-style records (JSON lines by default). Files are read in the order given as one continuous
 * capture; progress goes to stderr for large inputs. With more than one core, flows are spread over
 * worker threads ({@link ParallelPipeline}: the same records, in another order); {@code --threads 1}
 * analyzes on one thread ({@link Pipeline}).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze pcap/pcapng files: connections, application protocols, scans (JSON lines with Zeek field names).")
public final class PcapAnalyzeCommand implements Callable<Integer> {

    /** Inputs above this size get progress reports on stderr. */
    static final long PROGRESS_THRESHOLD = 64L * 1024 * 1024;
    /** Bytes (or chars) of output gathered before a write to standard output. */
    static final int OUTPUT_BUFFER = 1 << 20;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files (pcap or pcapng), read in order.")
    List<Path> files;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|table",
            description = "Output format: jsonl (one JSON object per line) or table (one aligned table per log).")
    String format;

    @Option(names = "--logs", split = ",", paramLabel = "LOG[,LOG...]",
            description = "Logs to print: conn, http, http2, dns, smtp, ssl, ssh, postgresql, mysql, redis, kafka, mongodb, stratum, notice, weird (default: all but weird).")
    List<String> logs;

    /** Exit status when standard output's reader closed the pipe: a shell's for a process ended by SIGPIPE. */
    static final int EXIT_CLOSED_PIPE = 128 + 13;

    @Option(names = "--quiet", description = "No progress or summary on stderr.")
    boolean quiet;

    @Option(names = "--threads", paramLabel = "N",
            description = "Flow-analysis threads beside the reader: 1 analyzes on one thread; more spread flows over"
                    + " threads (same records, not in the same order). Default: the number of cores, or 1 on one core.")
    Integer threads;

    @Mixin
    NetworkOptions network;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        boolean table = switch (format) {
            case "jsonl" -> false;
            case "table" -> true;
            default -> throw new UserError("--format: '" + format + "' is not jsonl or table", Vigil.EXIT_USAGE);
        };
        long total = 0;
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                throw new UserError(f + ": no such readable file; check the path (and permissions: sudo if needed)");
            }
            total += Files.size(f);
        }
        PrintWriter err = spec.commandLine().getErr();
        int workers = threads != null ? threads : defaultThreads();
        if (workers < 1 || workers > ParallelPipeline.MAX_WORKERS) {
            throw new UserError("--threads: " + workers + " is outside 1.." + ParallelPipeline.MAX_WORKERS,
                    Vigil.EXIT_USAGE);
        }
        PipelineConfig config = network.pipelineConfig(IdentityResolver.NONE);
        try {
            return analyze(table, workers, total, config, err);
        } catch (UncheckedIOException | IOException e) {
            if (closedPipe(e)) {
                // the reader went away (`| head`): end as tcpdump and tshark do, quietly
                return EXIT_CLOSED_PIPE;
            }
            throw e;
        }
    }

    /** True when {@code e} or a cause is the write error of a pipe whose reader has closed it (EPIPE). */
    static boolean closedPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private int analyze(boolean table, int workers, long total, PipelineConfig config, PrintWriter err)
            throws IOException {
        try (RecordOutput output = output(table, RecordOutput.parseLogs(logs));
             BackgroundRecordSink records = new BackgroundRecordSink(output);
             CaptureAnalysis analysis = workers == 1
                     ? new Pipeline(config, AnalyzerDiscovery.factory(), records)
                     : new ParallelPipeline(config, AnalyzerDiscovery.factory(), workers, records::producer)) {
            Frame frame = new Frame();
            long done = 0;
            long started = System.nanoTime();
            long nextReport = started + 1_000_000_000L;
            boolean progress = !quiet && total >= PROGRESS_THRESHOLD;
            for (Path f : files) {
                try (PacketReader reader = open(f)) {
                    while (reader.next(frame)) {
                        analysis.frame(frame);
                        if (progress && (analysis.frames() & 0xffff) == 0 && System.nanoTime() > nextReport) {
                            nextReport = System.nanoTime() + 1_000_000_000L;
                            report(err, done + reader.position(), total, started);
                        }
                    }
                    if (reader.truncatedRecords() > 0 && !quiet) {
                        err.printf("vigil: %s: cut short after %,d bytes (damaged or still being written); analyzed what was readable%n",
                                f, reader.position());
                    }
                    done += reader.size();
                }
            }
            analysis.finish();
            long unsupported = analysis.anomalyCount(Anomaly.unsupported_link_type);
            if (unsupported > 0 && !quiet) {
                err.printf("vigil: skipped %,d frames of unsupported link types; Vigil decodes Ethernet, raw IP,"
                        + " NULL/LOOP, Linux SLL and SLL2%n", unsupported);
            }
            if (!quiet) {
                double seconds = (System.nanoTime() - started) / 1e9;
                err.printf(Locale.ROOT, "vigil: %,d packets, %,d flows, %.1f MB in %.2f s (%.0f MB/s, %d flow thread%s)%n",
                        analysis.frames(), analysis.flowsCreated(), total / 1e6, seconds,
                        seconds > 0 ? total / 1e6 / seconds : 0, workers, workers == 1 ? "" : "s");
                if (!analysis.weirdCounts().isEmpty()) {
                    err.println("vigil: anomalies " + new java.util.TreeMap<>(analysis.weirdCounts())
                            + " (see them with --logs weird)");
                }
                err.flush();
            }
        }
        return 0;
    }

    /**
     * JSON lines go to the real standard output as the UTF-8 bytes they are rendered in; tables, and
     * every format when a caller (a test) set its own writer, go to picocli's writer.
     */
    private RecordOutput output(boolean table, Set<String> logs) {
        PrintWriter out = spec.commandLine().getOut();
        OutputStream stdout = table ? null : Vigil.standardOutput(out);
        if (stdout != null) {
            return new RecordOutput(new BufferedOutputStream(stdout, OUTPUT_BUFFER), logs);
        }
        return new RecordOutput(new BufferedWriter(out, OUTPUT_BUFFER), logs, table);
    }

    /** One flow thread per core; one core analyzes on the reading thread. */
    static int defaultThreads() {
        return Math.min(Runtime.getRuntime().availableProcessors(), ParallelPipeline.MAX_WORKERS);
    }

    private static PacketReader open(Path f) {
        try {
            return PcapFiles.open(f);
        } catch (NoSuchFileException e) {
            throw new UserError(f + ": no such file");
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static void report(PrintWriter err, long done, long total, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        err.printf(Locale.ROOT, "vigil: %3.0f%% of %.1f MB, %.0f MB/s%n", 100.0 * done / total, total / 1e6,
                done / 1e6 / seconds);
        err.flush();
    }
}
