package dev.followup.spi;

import dev.followup.InvalidInputException;
import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import org.jspecify.annotations.Nullable;

/**
 * One email to send, with a plain-text and an HTML part. Addresses, subject and bodies are PHI:
 * {@link #toString()} leaves them out.
 *
 * @param attemptId the send attempt's id; an adapter derives the Message-ID from it so that a
 *     retried attempt is recognisable
 * @param practiceId the practice sending it
 * @param from the practice's From address
 * @param fromName the display name for From (the practice's name)
 * @param replyTo where replies go, if not to From
 * @param to the patient's address
 * @param subject the subject line (UTF-8)
 * @param textBody the plain-text part
 * @param htmlBody the HTML part, already escaped
 */
public record OutboundEmail(
        String attemptId,
        PracticeId practiceId,
        String from,
        String fromName,
        @Nullable String replyTo,
        EmailAddress to,
        String subject,
        String textBody,
        String htmlBody) {
    /** Validates the message. */
    public OutboundEmail {
        if (attemptId == null || attemptId.isBlank() || practiceId == null || from == null || to == null
                || subject == null || textBody == null || htmlBody == null || fromName == null) {
            throw new InvalidInputException("outbound email needs an attempt id, practice, sender, recipient, subject and both bodies");
        }
    }

    @Override
    public String toString() {
        return "OutboundEmail[attempt=" + attemptId + ", practice=" + practiceId + "]";
    }
}
