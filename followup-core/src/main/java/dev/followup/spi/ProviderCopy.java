package dev.followup.spi;

import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A text whose copy at the SMS provider is owed a redaction: an outbound SMS the provider accepted
 * (it has a provider message id) or an inbound SMS a patient sent, past the retention period, that
 * the provider has not yet confirmed erasing. Ids only: the record never holds the body.
 *
 * @param providerMessageId the provider's id of the text (what {@link SmsSender#redact} takes)
 * @param direction whether the practice sent it or received it
 * @param attemptId the send attempt of an outbound text; null for an inbound one
 * @param followUpId the follow-up the text belongs to, if any (for the audit trail)
 * @param patientId the patient, if known (for the audit trail)
 * @param messageAt when the attempt was recorded or the text received
 * @param tries how often the provider was asked so far without confirming
 */
public record ProviderCopy(
        String providerMessageId,
        Direction direction,
        @Nullable String attemptId,
        @Nullable FollowUpId followUpId,
        @Nullable PatientId patientId,
        Instant messageAt,
        int tries) {

    /** Validates the copy: an outbound text is known by its attempt, an inbound one by the provider's id alone. */
    public ProviderCopy {
        if (providerMessageId == null || direction == null || messageAt == null || tries < 0) {
            throw new InvalidInputException("provider copy " + providerMessageId + " is missing a required field");
        }
        if ((direction == Direction.OUTBOUND) != (attemptId != null)) {
            throw new InvalidInputException("provider copy " + providerMessageId + ": an outbound text needs its attempt id, an inbound one has none");
        }
    }

    /** The order stores return copies owed a redaction in: oldest first, then by the provider's id. */
    public static final java.util.Comparator<ProviderCopy> OLDEST_FIRST =
            java.util.Comparator.comparing(ProviderCopy::messageAt).thenComparing(ProviderCopy::providerMessageId);

    /**
     * The check every store makes of an outcome it is asked to record.
     *
     * @param outcome the outcome
     * @param retryAt when to ask again
     * @throws InvalidInputException if a refusal comes without a retry time
     */
    public void requireRetryTimeFor(Outcome outcome, java.time.@Nullable Instant retryAt) {
        if (outcome == Outcome.NOT_REDACTED && retryAt == null) {
            throw new InvalidInputException("provider copy " + providerMessageId + ": a refusal needs a retry time");
        }
    }

    /** Who wrote the text. */
    public enum Direction {
        /** The practice sent it (a send attempt). */
        OUTBOUND,
        /** A patient sent it (an inbound message). */
        INBOUND
    }

    /** What the provider made of a request to erase its copy, as the store records it. */
    public enum Outcome {
        /** The provider erased its copy: the copy is no longer owed and is never asked for again. */
        REDACTED,
        /** The provider refused, or could not be asked: the copy stays owed and is asked again after a pause. */
        NOT_REDACTED,
        /** The provider was asked as often as the engine allows: the copy is no longer owed; an operator must act. */
        ABANDONED
    }
}
