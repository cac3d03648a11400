package dev.followup.internal;

import dev.followup.message.SendRate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Spaces sends per sender so that no sender exceeds its rate. Reservations are made before a
 * message is recorded: a short wait is slept out by the caller, a long one (a daily limit) makes
 * the caller defer the step instead of holding a connection or a lease.
 *
 * <p>Per node: several engine nodes sharing one sender should each get a share of its rate.
 */
public final class SendPacer {
    /** A moment this far behind the latest one asked with is a clock stepped back, not a caller that took its time. */
    static final Duration CLOCK_STEP = Duration.ofMinutes(1);

    private final Map<String, SendRate> rates;
    private final Map<String, State> states = new HashMap<>();

    private static final class State {
        Instant nextFree = Instant.MIN;
        Instant latestAsked = Instant.MIN;
        LocalDate day = LocalDate.MIN;
        int sentToday;
    }

    /** @param rates the rate of every paced sender; senders without one are not paced */
    public SendPacer(Map<String, SendRate> rates) {
        this.rates = Map.copyOf(rates);
    }

    /**
     * Reserves the next send slot of a sender if it comes within {@code maxWait}.
     *
     * @param sender the sender
     * @param now the current time
     * @param maxWait the longest wait the caller accepts
     * @return the moment the message may go (now or later); if that would be beyond {@code maxWait},
     *     nothing is reserved and the returned moment is when to try again, marked by {@link Reservation#reserved()} false
     */
    public synchronized Reservation reserve(String sender, Instant now, Duration maxWait) {
        SendRate rate = rates.get(sender);
        if (rate == null) {
            return new Reservation(true, now);
        }
        State s = states.computeIfAbsent(sender, k -> new State());
        Duration stepBack = s.latestAsked.isAfter(now) ? Duration.between(now, s.latestAsked) : Duration.ZERO;
        if (stepBack.compareTo(CLOCK_STEP) > 0) {
            // The clock stepped back (an NTP step), by more than callers' moments differ (a group reserves with the moment
            // it was decided at, seconds old when its transaction was slow): the slots given keep their spacing from the
            // new time, rather than holding every send back by the size of the step.
            s.nextFree = s.nextFree.minus(stepBack);
            s.latestAsked = now;
        } else if (now.isAfter(s.latestAsked)) {
            s.latestAsked = now;
        }
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        if (!today.equals(s.day)) {
            s.day = today;
            s.sentToday = 0;
        }
        if (s.sentToday >= rate.perDay()) {
            return new Reservation(false, today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        Instant at = s.nextFree.isAfter(now) ? s.nextFree : now;
        if (Duration.between(now, at).compareTo(maxWait) > 0) {
            return new Reservation(false, at);
        }
        long intervalNanos = (long) Math.ceil(1_000_000_000d / rate.perSecond());
        s.nextFree = at.plusNanos(intervalNanos);
        s.sentToday++;
        return new Reservation(true, at);
    }

    /**
     * @param reserved whether a slot was taken
     * @param at when the message may go, or when to try again
     */
    public record Reservation(boolean reserved, Instant at) {}
}
