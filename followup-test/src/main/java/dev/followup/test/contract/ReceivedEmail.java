package dev.followup.test.contract;

import java.util.List;
import java.util.Objects;

/**
 * An email as it arrived at the receiving end (a test SMTP server's mailbox, an in-memory list),
 * in the form {@link EmailSenderContract} checks it. Holds test data only; its text is shown in
 * assertion messages.
 *
 * @param messageId the Message-ID header, with its angle brackets
 * @param to the recipients' bare addresses
 * @param subject the decoded subject
 * @param textBody the decoded {@code text/plain} part
 * @param htmlBody the decoded {@code text/html} part
 */
public record ReceivedEmail(String messageId, List<String> to, String subject, String textBody, String htmlBody) {
    /** Checks and copies the parts. */
    public ReceivedEmail {
        Objects.requireNonNull(messageId, "messageId");
        to = List.copyOf(to);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(textBody, "textBody");
        Objects.requireNonNull(htmlBody, "htmlBody");
    }
}
