package dev.followup.message;

import dev.followup.InvalidInputException;
import dev.followup.practice.PracticeId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A status report from a provider about one sent message (a Twilio status callback, a bounce).
 * Repeats and out-of-order arrivals are expected: the engine applies each status once and never
 * moves a message backwards.
 *
 * @param practiceId the practice that sent the message
 * @param attemptId the send attempt's id, when the provider carried it back (it settles an attempt
 *     whose provider id was never stored)
 * @param providerMessageId the provider's id of the message
 * @param status the reported status
 * @param errorCode the provider's error code, if any
 * @param occurredAt when the provider reported it
 */
public record DeliveryUpdate(
        PracticeId practiceId,
        @Nullable String attemptId,
        String providerMessageId,
        DeliveryStatus status,
        @Nullable String errorCode,
        Instant occurredAt) {
    /** Validates the update. */
    public DeliveryUpdate {
        if (practiceId == null || providerMessageId == null || providerMessageId.isBlank() || status == null || occurredAt == null) {
            throw new InvalidInputException("delivery update needs a practice, a provider message id, a status and a time");
        }
    }
}
