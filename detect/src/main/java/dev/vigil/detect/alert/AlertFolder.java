package dev.vigil.detect.alert;

import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.AlertIds;
import dev.vigil.model.identity.WorkloadRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Folds repeats of an alert into counts, so that a pod that scans for an hour raises two alerts a
 * minute instead of thousands, and nothing is dropped.
 *
 * <p>Repeats are alerts with the same rule, workload, peer and subject. The first alert of a key is
 * passed on at once and opens a window of {@link #window()}; later alerts of the key inside the
 * window are counted, not passed on. When the window has passed — noticed by {@link #flush(long)},
 * by the next alert of any key, or at {@link #close()} — the repeats are passed on as one summary
 * alert ({@link Alert#count()} repeats between {@code first_seen} and {@code last_seen}, with the
 * first {@link Alert#MAX_EVIDENCE} of their evidence and the number of records left out). A window
 * without repeats ends silently. The next alert of the key after its window opens a new one.
 *
 * <p>State is bounded: at most {@link #maxKeys()} open windows (default {@link #DEFAULT_MAX_KEYS}).
 * A new key beyond that closes the oldest window early — its summary is passed on at once — and
 * counts an eviction. Time is the alerts' own ({@link Alert#timeNanos()}), so that replayed input
 * folds as it happened; call {@link #flush(long)} periodically with the current time so summaries are
 * not held back when alerts stop. Thread-safe; the downstream consumer runs under the folder's lock
 * and must not block (hand alerts to a bounded queue).
 */
public final class AlertFolder implements Consumer<Alert>, AutoCloseable {

    /** Default fold window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** Default bound of open windows. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private final long windowNanos;
    private final int maxKeys;
    private final AlertIds ids;
    private final Consumer<Alert> downstream;
    private final LinkedHashMap<Key, Window> windows = new LinkedHashMap<>();

    private long passed;
    private long folded;
    private long summaries;
    private long evictions;

    /**
     * @param window     how long repeats are folded after the first alert of a key; positive
     * @param maxKeys    open windows kept at most; positive
     * @param downstream receives first alerts and summaries
     */
    public AlertFolder(Duration window, int maxKeys, AlertIds ids, Consumer<Alert> downstream) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("fold window: " + window + " must be positive (e.g. PT60S)");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("fold max keys: " + maxKeys + " must be at least 1");
        }
        this.windowNanos = window.toNanos();
        this.maxKeys = maxKeys;
        this.ids = Objects.requireNonNull(ids);
        this.downstream = Objects.requireNonNull(downstream);
    }

    /** A folder with the default window and bound. */
    public AlertFolder(AlertIds ids, Consumer<Alert> downstream) {
        this(DEFAULT_WINDOW, DEFAULT_MAX_KEYS, ids, downstream);
    }

    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    public int maxKeys() {
        return maxKeys;
    }

    @Override
    public synchronized void accept(Alert alert) {
        long now = alert.timeNanos();
        flush(now);
        Key key = new Key(alert.rule(), alert.workload(), alert.peer(), alert.subject());
        Window w = windows.get(key);
        if (w != null) {
            w.add(alert);
            folded++;
            return;
        }
        if (windows.size() >= maxKeys) {
            Iterator<Window> eldest = windows.values().iterator();
            Window victim = eldest.next();
            eldest.remove();
            evictions++;
            summarize(victim, now);
        }
        windows.put(key, new Window(alert));
        passed++;
        downstream.accept(alert);
    }

    /** Passes on the summaries of windows that ended at or before {@code nowNanos}. */
    public synchronized void flush(long nowNanos) {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            Window w = it.next();
            long end = w.first.timeNanos() + windowNanos;
            if (end > nowNanos) {
                return;
            }
            it.remove();
            summarize(w, end);
        }
    }

    /** Passes on the summaries of every open window, ending them now. */
    @Override
    public synchronized void close() {
        for (Window w : windows.values()) {
            summarize(w, w.lastSeen);
        }
        windows.clear();
    }

    /** Counters: alerts passed on as first of their window, folded repeats, summaries, evicted windows, open windows. */
    public synchronized Stats stats() {
        return new Stats(passed, folded, summaries, evictions, windows.size());
    }

    /** The folder's counters. */
    public record Stats(long passed, long folded, long summaries, long evictions, int open) {
    }

    private void summarize(Window w, long atNanos) {
        if (w.count == 0) {
            return;
        }
        summaries++;
        String output = w.first.output() + " (repeated " + w.count + (w.count == 1 ? " time" : " times")
                + " within " + Duration.ofNanos(windowNanos).toSeconds() + " s of the first alert)";
        downstream.accept(w.first.folded(ids.next(atNanos), Math.max(atNanos, w.lastSeen), output, w.count,
                w.firstSeen, w.lastSeen, w.evidence, w.omitted));
    }

    private record Key(String rule, WorkloadRef workload, String peer, String subject) {
    }

    private static final class Window {
        final Alert first;
        long count;
        long firstSeen;
        long lastSeen;
        final List<String> evidence = new ArrayList<>(Alert.MAX_EVIDENCE);
        int omitted;

        Window(Alert first) {
            this.first = first;
        }

        void add(Alert a) {
            if (count == 0) {
                firstSeen = a.timeNanos();
            }
            count++;
            firstSeen = Math.min(firstSeen, a.timeNanos());
            lastSeen = Math.max(lastSeen, a.timeNanos());
            for (String e : a.evidence()) {
                if (evidence.size() < Alert.MAX_EVIDENCE) {
                    evidence.add(e);
                } else {
                    omitted++;
                }
            }
            omitted += a.evidenceOmitted();
        }
    }
}
