package dev.followup.conversation;

import dev.followup.InvalidInputException;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import java.time.Instant;

/**
 * A text message a patient sent to a practice. The sender and body are PHI: {@link #toString()}
 * leaves them out.
 *
 * @param practiceId the practice it was sent to (the webhook resolves it from the number or URL)
 * @param providerMessageId the provider's id, used to apply a repeated webhook only once
 * @param from the patient's number
 * @param body the text as received
 * @param receivedAt when it arrived
 */
public record InboundSms(PracticeId practiceId, String providerMessageId, PhoneNumber from, String body, Instant receivedAt) {
    /** Validates the message. */
    public InboundSms {
        if (practiceId == null || providerMessageId == null || providerMessageId.isBlank() || from == null || receivedAt == null) {
            throw new InvalidInputException("inbound SMS needs a practice, a provider message id, a sender and a time");
        }
        body = body == null ? "" : body;
    }

    @Override
    public String toString() {
        return "InboundSms[practice=" + practiceId + ", id=" + providerMessageId + "]";
    }
}
