package dev.followup.spi;

/**
 * Sends emails with a text and an HTML part (SMTP, an email API, a console sandbox).
 *
 * <p>Contract, checked by the test kit's {@code EmailSenderContract}: one call makes at most one
 * delivery attempt; expected failures are returned as {@link SendResult}s (a temporary SMTP error
 * or a dropped connection is {@link SendResult.Outcome#TRANSIENT_FAILURE} or
 * {@link SendResult.Outcome#UNKNOWN}, a rejected recipient is
 * {@link SendResult.Outcome#PERMANENT_FAILURE}); the accepted result's provider id is the
 * Message-ID, derived from the attempt id so that a retried attempt is recognisable; nothing of the
 * message's content or addresses is logged. Implementations are called from several threads at once.
 */
public interface EmailSender {

    /**
     * Sends one email, once.
     *
     * @param email the message
     * @return the server's answer
     */
    SendResult send(OutboundEmail email);
}
