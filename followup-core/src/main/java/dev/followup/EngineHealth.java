package dev.followup;

import dev.followup.practice.PracticeId;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the engine's condition, for health checks: how far behind the due work is, and
 * whether the providers its practices need are configured. Taking it makes one small store call,
 * so a snapshot also shows that the store answers. Ids and times only, never PHI.
 *
 * @param checkedAt when the snapshot was taken, by the engine's clock
 * @param oldestDue the due time of the step that has waited longest, or null if none is overdue
 *     (or the store cannot tell)
 * @param practices how many practices the engine serves
 * @param smsSender whether an SMS sender is configured
 * @param emailSender whether an email sender is configured
 * @param slotBooking whether a slot provider and an appointment booker are configured
 * @param practicesWithoutSender practices that name an SMS or email sender address for a channel
 *     the engine has no sender for (their steps on that channel are skipped)
 */
public record EngineHealth(Instant checkedAt, @Nullable Instant oldestDue, int practices, boolean smsSender, boolean emailSender,
        boolean slotBooking, Set<PracticeId> practicesWithoutSender) {

    /** Copies the set. */
    public EngineHealth {
        practicesWithoutSender = Set.copyOf(practicesWithoutSender);
    }

    /** @return how long the oldest overdue step has waited; zero when nothing is overdue */
    public Duration oldestOverdueAge() {
        if (oldestDue == null || oldestDue.isAfter(checkedAt)) {
            return Duration.ZERO;
        }
        return Duration.between(oldestDue, checkedAt);
    }
}
