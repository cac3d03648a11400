package dev.followup.spi;

import dev.followup.InvalidInputException;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import java.time.Duration;

/**
 * One text message to send. The body is PHI: {@link #toString()} leaves it out.
 *
 * @param attemptId the send attempt's id, recorded before the provider is called; a provider that
 *     can carry it back (Twilio: in the status-callback URL) should, so that a status settles the
 *     right attempt even if the engine crashed before storing the provider's id
 * @param practiceId the practice sending it (selects the provider account)
 * @param from the sender: an E.164 number or a messaging-service id
 * @param to the patient's number
 * @param body the text, at most 1,600 characters
 * @param validity how long the provider may keep it queued before dropping it
 */
public record OutboundSms(String attemptId, PracticeId practiceId, String from, PhoneNumber to, String body, Duration validity) {
    /** Validates the message. */
    public OutboundSms {
        if (attemptId == null || attemptId.isBlank() || practiceId == null || from == null || from.isBlank() || to == null) {
            throw new InvalidInputException("outbound SMS needs an attempt id, a practice, a sender and a recipient");
        }
        if (body == null || body.isEmpty() || body.length() > 1600) {
            throw new InvalidInputException("SMS body of attempt " + attemptId + " must be 1 to 1,600 characters");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new InvalidInputException("SMS validity of attempt " + attemptId + " must be positive");
        }
    }

    @Override
    public String toString() {
        return "OutboundSms[attempt=" + attemptId + ", practice=" + practiceId + "]";
    }
}
