package dev.vigil.host;

import dev.vigil.model.host.HostEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects sensor events with their arrival time and waits for the ones a test expects. */
public final class EventCollector implements Consumer<HostEvent> {

    /** An event and when the collector received it (epoch nanoseconds). */
    public record Arrival(HostEvent event, long receivedNanos) {
    }

    private final List<Arrival> arrivals = new ArrayList<>();

    @Override
    public synchronized void accept(HostEvent e) {
        arrivals.add(new Arrival(e, System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L));
        notifyAll();
    }

    /** Waits up to {@code millis} for {@code count} events matching; returns all matching so far. */
    public synchronized List<Arrival> await(Predicate<HostEvent> match, int count, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            List<Arrival> found = arrivals.stream().filter(a -> match.test(a.event())).toList();
            long left = deadline - System.currentTimeMillis();
            if (found.size() >= count || left <= 0) {
                return found;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    /** The first matching event within {@code millis}, or null. */
    public HostEvent first(Predicate<HostEvent> match, long millis) {
        List<Arrival> found = await(match, 1, millis);
        return found.isEmpty() ? null : found.getFirst().event();
    }

    public synchronized List<HostEvent> all() {
        return new ArrayList<>(arrivals.stream().map(Arrival::event).toList());
    }

    /** Events of a container. */
    public static Predicate<HostEvent> in(TestPod pod) {
        return e -> e.container() != null && e.container().id().equals(pod.id);
    }
}
