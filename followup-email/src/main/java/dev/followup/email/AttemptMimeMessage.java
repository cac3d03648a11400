package dev.followup.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A MIME message whose Message-ID is the one derived from its send attempt. Jakarta Mail replaces
 * the Message-ID with a random one in {@link #saveChanges()}; this keeps ours, so that the id the
 * engine records is the id the patient's mail client sees.
 */
final class AttemptMimeMessage extends MimeMessage {
    private final String messageId;

    AttemptMimeMessage(Session session, String messageId) {
        super(session);
        this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
    }
}
