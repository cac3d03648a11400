package dev.followup.spi;

import dev.followup.message.DeliveryStatus;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider answered to one send. Expected failures are results, not exceptions, because the
 * engine acts on each kind differently; only a configuration error (bad credentials) is thrown.
 *
 * @param outcome the kind of answer
 * @param providerMessageId the provider's id of the message (Twilio's SID, the email's Message-ID),
 *     when it was accepted
 * @param initialStatus the status the provider gave in its answer (no callback repeats it)
 * @param errorCode the provider's error code, if any (e.g. {@code 21610})
 * @param detail a description without PHI
 * @param retryAfter how long to wait before retrying a transient failure, if the provider said
 */
public record SendResult(
        Outcome outcome,
        @Nullable String providerMessageId,
        @Nullable DeliveryStatus initialStatus,
        @Nullable String errorCode,
        @Nullable String detail,
        @Nullable Duration retryAfter) {

    /** The kinds of answer, each handled differently by the engine. */
    public enum Outcome {
        /** The provider took the message. */
        ACCEPTED,
        /** The recipient opted out at the carrier or provider (Twilio 21610): record an opt-out, never retry. */
        RECIPIENT_OPTED_OUT,
        /** The recipient cannot be reached on this channel (invalid, landline, bounced): move to the next channel. */
        PERMANENT_FAILURE,
        /** Certainly not sent (throttled, refused before processing): safe to retry later. */
        TRANSIENT_FAILURE,
        /** It may or may not have been sent (timeout, 5xx): reconcile before any retry. */
        UNKNOWN
    }

    /** Validates the result. */
    public SendResult {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.ACCEPTED && (providerMessageId == null || providerMessageId.isBlank())) {
            throw new dev.followup.InvalidInputException("an accepted send needs the provider's message id");
        }
    }

    /**
     * @param providerMessageId the provider's id
     * @param initialStatus the status in the provider's answer
     * @return an accepted send
     */
    public static SendResult accepted(String providerMessageId, DeliveryStatus initialStatus) {
        return new SendResult(Outcome.ACCEPTED, providerMessageId, initialStatus, null, null, null);
    }

    /**
     * @param errorCode the provider's code
     * @return the recipient opted out at the provider
     */
    public static SendResult optedOut(String errorCode) {
        return new SendResult(Outcome.RECIPIENT_OPTED_OUT, null, DeliveryStatus.FAILED, errorCode, "recipient opted out at the provider", null);
    }

    /**
     * @param errorCode the provider's code
     * @param detail without PHI
     * @return a permanent failure
     */
    public static SendResult permanentFailure(@Nullable String errorCode, String detail) {
        return new SendResult(Outcome.PERMANENT_FAILURE, null, DeliveryStatus.FAILED, errorCode, detail, null);
    }

    /**
     * @param errorCode the provider's code
     * @param detail without PHI
     * @param retryAfter the provider's hint, if any
     * @return a failure after which nothing was sent
     */
    public static SendResult transientFailure(@Nullable String errorCode, String detail, @Nullable Duration retryAfter) {
        return new SendResult(Outcome.TRANSIENT_FAILURE, null, null, errorCode, detail, retryAfter);
    }

    /**
     * @param errorCode the provider's code
     * @param detail without PHI
     * @return an ambiguous outcome
     */
    public static SendResult unknown(@Nullable String errorCode, String detail) {
        return new SendResult(Outcome.UNKNOWN, null, null, errorCode, detail, null);
    }
}
