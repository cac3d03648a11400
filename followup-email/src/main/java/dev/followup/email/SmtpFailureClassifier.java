package dev.followup.email;

import dev.followup.InvalidConfigurationException;
import dev.followup.practice.PracticeId;
import dev.followup.spi.SendResult;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a failed SMTP conversation into the answer the engine acts on.
 *
 * <ul>
 *   <li>Certainly not delivered, may work later → {@code TRANSIENT_FAILURE}: a 4xx reply anywhere,
 *       a connection that failed or dropped before the end of the message data, a timeout before it.</li>
 *   <li>The server refused this recipient or this message for good → {@code PERMANENT_FAILURE}: a
 *       5xx reply to RCPT, DATA or the end of data (except 552 to RCPT, which RFC 5321 says to
 *       treat as temporary).</li>
 *   <li>May have been delivered → {@code UNKNOWN}: the connection dropped or timed out after the
 *       end of the message data was sent and before the server's answer.</li>
 *   <li>Nothing will work until someone changes the settings → {@link InvalidConfigurationException}:
 *       login refused, STARTTLS required but not offered, a certificate not trusted or not naming
 *       the host, the practice's sender address refused.</li>
 * </ul>
 *
 * <p>Server replies often quote the recipient's address, so no reply text is carried over: only
 * the reply code and the enhanced status code (digits), and the exception's class name.
 */
final class SmtpFailureClassifier {
    private static final Pattern ENHANCED_STATUS = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?!\\d)");
    private static final int MAX_CAUSE_DEPTH = 32;

    private SmtpFailureClassifier() {}

    /**
     * @param failure what Jakarta Mail threw
     * @param transport the transport of the failed send, with the phase it reached
     * @param security the practice's security mode
     * @param practiceId the practice, named in configuration errors
     * @return the result to hand to the engine
     * @throws InvalidConfigurationException if the practice's settings cannot work
     */
    static SendResult classify(MessagingException failure, TrackingSmtpTransport transport, SmtpSecurity security,
            PracticeId practiceId) {
        if (find(failure, AuthenticationFailedException.class) != null) {
            throw new InvalidConfigurationException("SMTP server refused the login of practice " + practiceId
                    + ": check the username and password in its SmtpSettings", failure);
        }
        if (transport.phase() == TrackingSmtpTransport.Phase.CONNECTING) {
            return connectFailure(failure, transport, security, practiceId);
        }

        SMTPSenderFailedException sender = find(failure, SMTPSenderFailedException.class);
        if (sender != null) {
            int code = sender.getReturnCode();
            if (isTemporary(code)) {
                return SendResult.transientFailure(codeOf(code), "SMTP server deferred the sender" + status(sender), null);
            }
            // The sender is the practice's address or login, not the patient's: the patient's
            // address must not be marked as failing, and no other patient's mail would go either.
            throw new InvalidConfigurationException("SMTP server refused the sender address of practice " + practiceId
                    + " (reply " + code + "): use the From address its login may send as, or configure a login");
        }

        SMTPAddressFailedException recipient = find(failure, SMTPAddressFailedException.class);
        if (recipient != null) {
            int code = recipient.getReturnCode();
            if (isTemporary(code) || code == 552) {
                return SendResult.transientFailure(codeOf(code), "SMTP server deferred the recipient" + status(recipient), null);
            }
            if (isPermanent(code)) {
                return SendResult.permanentFailure(codeOf(code), "SMTP server rejected the recipient" + status(recipient));
            }
            // No reply at all (the connection ended during RCPT): nothing was sent yet.
            return SendResult.transientFailure(null, "connection lost before the message was sent" + causeName(failure), null);
        }

        boolean mayHaveBeenDelivered = transport.phase() == TrackingSmtpTransport.Phase.END_OF_DATA;
        SMTPSendFailedException command = find(failure, SMTPSendFailedException.class);
        if (command != null) {
            int code = command.getReturnCode();
            if (isTemporary(code)) {
                return SendResult.transientFailure(codeOf(code), "SMTP server deferred the message" + status(command), null);
            }
            if (isPermanent(code)) {
                return SendResult.permanentFailure(codeOf(code), "SMTP server rejected the message" + status(command));
            }
        }
        if (mayHaveBeenDelivered) {
            return SendResult.unknown(null, "no answer after the end of the message data; it may have been delivered"
                    + causeName(failure));
        }
        return SendResult.transientFailure(null, "connection lost before the end of the message data" + causeName(failure), null);
    }

    private static SendResult connectFailure(MessagingException failure, TrackingSmtpTransport transport,
            SmtpSecurity security, PracticeId practiceId) {
        if (isTlsConfigurationProblem(failure)) {
            throw new InvalidConfigurationException("TLS with the SMTP server of practice " + practiceId
                    + " failed: its certificate is not trusted, does not name the configured host, or no TLS version"
                    + " is shared (check the host name and the trust settings in its SmtpSettings)", failure);
        }
        if (security == SmtpSecurity.STARTTLS_REQUIRED && transport.ehloAnswered() && !transport.startTlsOffered()) {
            throw new InvalidConfigurationException("SMTP server of practice " + practiceId
                    + " does not offer STARTTLS, which its settings require: use the server's submission port"
                    + " (usually 587) or SMTPS (usually 465); mail is never sent unencrypted instead", failure);
        }
        int code = transport.getLastReturnCode();
        return SendResult.transientFailure(isTemporary(code) || isPermanent(code) ? codeOf(code) : null,
                "could not connect to the SMTP server" + causeName(failure), null);
    }

    /**
     * A certificate problem, or a TLS failure that is not a network failure (no shared protocol,
     * TLS spoken to a plain-text port): retrying will not help, the settings must change.
     */
    private static boolean isTlsConfigurationProblem(Throwable failure) {
        if (find(failure, CertificateException.class) != null || find(failure, SSLPeerUnverifiedException.class) != null) {
            return true;
        }
        SSLException ssl = find(failure, SSLException.class);
        return ssl != null
                && find(ssl, EOFException.class) == null
                && find(ssl, SocketException.class) == null
                && find(ssl, SocketTimeoutException.class) == null;
    }

    private static boolean isTemporary(int code) {
        return code >= 400 && code < 500;
    }

    private static boolean isPermanent(int code) {
        return code >= 500 && code < 600;
    }

    private static @Nullable String codeOf(int code) {
        return code > 0 ? Integer.toString(code) : null;
    }

    /** The reply code and enhanced status (e.g. " (550 5.1.1)"), never the reply's text. */
    private static String status(MessagingException reply) {
        String text = reply.getMessage();
        int code = reply instanceof SMTPAddressFailedException ? ((SMTPAddressFailedException) reply).getReturnCode()
                : reply instanceof SMTPSenderFailedException ? ((SMTPSenderFailedException) reply).getReturnCode()
                : reply instanceof SMTPSendFailedException ? ((SMTPSendFailedException) reply).getReturnCode()
                : -1;
        Matcher m = text == null ? null : ENHANCED_STATUS.matcher(text.strip());
        String enhanced = m != null && m.find() ? " " + m.group(1) : "";
        return code > 0 ? " (" + code + enhanced + ")" : "";
    }

    /**
     * Why, without the message (it may hold an address): the innermost cause's class name, e.g.
     * " (SocketTimeoutException)", or " (connection closed by the server)" where Angus reports
     * the end of the stream as a reply without a code.
     */
    private static String causeName(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; depth < MAX_CAUSE_DEPTH && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        boolean endOfStream = (root instanceof SMTPSendFailedException && ((SMTPSendFailedException) root).getReturnCode() <= 0)
                || (root instanceof SMTPAddressFailedException && ((SMTPAddressFailedException) root).getReturnCode() <= 0);
        return endOfStream ? " (connection closed by the server)" : " (" + root.getClass().getSimpleName() + ")";
    }

    /** Walks the cause chain; a MessagingException's cause is its next exception. */
    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        Throwable current = failure;
        for (int depth = 0; depth < MAX_CAUSE_DEPTH && current != null; depth++) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            Throwable next = current.getCause();
            if (next == current) {
                return null;
            }
            current = next;
        }
        return null;
    }
}
