package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.Anomalies;
import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.ObjectSource;
import dev.vigil.posture.source.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Streams a source into an audit with progress on stderr, and reports what went wrong in user terms. */
final class AuditRun {

    /** How many input anomalies are printed on stderr; the rest are counted. */
    static final int MAX_PRINTED_ANOMALIES = 20;

    private AuditRun() {
    }

    /**
     * Streams {@code source} into {@code audit} (objects only; anomalies are counted and kept) and
     * returns the summary of what was read.
     */
    static Summary collect(ObjectSource source, Consumer<KubeObject> audit, PrintWriter err) {
        Anomalies anomalies = new Anomalies();
        long[] objects = new long[1];
        stream(source, new ObjectSink() {
            @Override
            public void object(KubeObject o) {
                objects[0]++;
                audit.accept(o);
            }

            @Override
            public void anomaly(Anomaly anomaly) {
                anomalies.add(anomaly);
            }
        }, err);
        return new Summary(objects[0], anomalies.count(), anomalies.messages(), null);
    }

    static void stream(ObjectSource source, ObjectSink audit, PrintWriter err) {
        Progress progress = new Progress(audit, line -> {
            err.println("vigil: " + line);
            err.flush();
        });
        try {
            source.read(progress);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("no such file or folder: " + e.getFile() + ": check the -f paths");
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError("cannot write the report: " + e.getCause().getMessage());
        }
        progress.finish();
    }

    /** Prints the first anomalies and their count on stderr. */
    static void printAnomalies(Summary summary, PrintWriter err) {
        int n = 0;
        for (String a : summary.anomalies()) {
            if (n++ == MAX_PRINTED_ANOMALIES) {
                break;
            }
            err.println("vigil: skipped " + a);
        }
        if (summary.anomalyCount() > MAX_PRINTED_ANOMALIES) {
            err.println("vigil: " + summary.anomalyCount() + " inputs skipped in all");
        }
        err.flush();
    }
}
