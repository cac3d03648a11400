package dev.followup.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand, so that a week of outreach runs in milliseconds. Thread-safe.
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * @param start the initial time
     * @return a clock in UTC standing at {@code start}
     */
    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start)), ZoneOffset.UTC);
    }

    /**
     * @param text an ISO instant such as {@code 2026-03-02T15:00:00Z}
     * @return a clock standing there
     */
    public static MutableClock at(String text) {
        return at(Instant.parse(text));
    }

    /**
     * @param amount how far to move forward (negative moves back, as an NTP step would)
     * @return the new time
     */
    public Instant advance(Duration amount) {
        return now.updateAndGet(t -> t.plus(amount));
    }

    /**
     * @param instant the new time
     * @return it
     */
    public Instant set(Instant instant) {
        now.set(Objects.requireNonNull(instant));
        return instant;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(now, newZone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
