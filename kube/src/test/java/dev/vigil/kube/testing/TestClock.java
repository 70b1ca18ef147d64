package dev.vigil.kube.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test sets, so that observed changes get known times. */
public final class TestClock implements InstantSource {

    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }
}
