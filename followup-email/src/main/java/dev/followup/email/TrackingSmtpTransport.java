package dev.followup.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport, remembering how far the conversation got. A failure means something
 * different before and after the end of the message data: before, the server has certainly not
 * taken the message (safe to retry); after, it may have (a retry could send it twice). Jakarta
 * Mail's exceptions do not say which, so the phases are recorded here.
 *
 * <p>One instance serves one send on one thread.
 */
final class TrackingSmtpTransport extends SMTPTransport {

    /** How far a send got. */
    enum Phase {
        /** Connecting, greeting, EHLO, STARTTLS, AUTH. */
        CONNECTING,
        /** MAIL FROM: a refusal here names the practice's sender, never the recipient. */
        SENDER,
        /** RCPT TO: a refusal here may name the recipient's mailbox, or who may relay through the server. */
        RECIPIENTS,
        /** The DATA command and the message content, before the final dot. */
        CONTENT,
        /** The final dot was being sent or its answer awaited: the server may have the message. */
        END_OF_DATA
    }

    private Phase phase = Phase.CONNECTING;
    private boolean ehloAnswered;
    private boolean startTlsOffered;

    /**
     * @param session the practice's session
     * @param implicitTls whether to speak TLS from the first byte (SMTPS)
     */
    TrackingSmtpTransport(Session session, boolean implicitTls) {
        super(session, new URLName(implicitTls ? "smtps" : "smtp", null, -1, null, null, null),
                implicitTls ? "smtps" : "smtp", implicitTls);
    }

    /** @return how far the last send got */
    Phase phase() {
        return phase;
    }

    /** @return whether the server answered EHLO before TLS, so that its extensions are known */
    boolean ehloAnswered() {
        return ehloAnswered;
    }

    /** @return whether the server offered STARTTLS in its first EHLO answer */
    boolean startTlsOffered() {
        return startTlsOffered;
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        boolean ok = super.ehlo(domain);
        // Only the answer on the plain connection tells whether STARTTLS was on offer; the EHLO
        // repeated inside TLS must not advertise it again.
        if (!ehloAnswered && !isSSL()) {
            ehloAnswered = true;
            startTlsOffered = ok && supportsExtension("STARTTLS");
        }
        return ok;
    }

    @Override
    protected void mailFrom() throws MessagingException {
        phase = Phase.SENDER;
        super.mailFrom();
    }

    @Override
    protected void rcptTo() throws MessagingException {
        phase = Phase.RECIPIENTS;
        super.rcptTo();
    }

    @Override
    protected OutputStream data() throws MessagingException {
        phase = Phase.CONTENT;
        return super.data();
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        phase = Phase.END_OF_DATA;
        super.finishData();
    }

    @Override
    protected OutputStream bdat() throws MessagingException {
        phase = Phase.CONTENT;
        return super.bdat();
    }

    @Override
    protected void finishBdat() throws IOException, MessagingException {
        phase = Phase.END_OF_DATA;
        super.finishBdat();
    }
}
