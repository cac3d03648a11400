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
import java.util.Set;
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
 *   <li>The recipient's mailbox will not take mail → {@code PERMANENT_FAILURE}, which makes the
 *       engine stop emailing the patient: only a 5xx reply whose enhanced status code (RFC 3463)
 *       names the recipient's address or mailbox ({@code 5.1.x} other than the sender's
 *       {@code 5.1.7}/{@code 5.1.8}; {@code 5.2.0}, {@code 5.2.1} disabled, {@code 5.2.4}), to RCPT
 *       or after the data (there is one recipient per message); or, without an enhanced code,
 *       550, 551 or 553 to RCPT.</li>
 *   <li>The message or the server is refused, not this recipient → {@code TRANSIENT_FAILURE}
 *       (retried within the engine's bounds, then the next step of the policy): any other 5xx to
 *       RCPT, DATA or after the data, such as content or spam ({@code 5.7.x} after the data,
 *       {@code 5.6.x}), size ({@code 5.3.4}, {@code 5.2.3}, 552), routing ({@code 5.4.x}) or
 *       protocol ({@code 5.5.x}). The same refusal would meet every patient's email, so it must
 *       not mark this patient's address as failing for good; 552 to RCPT and {@code 5.2.2} (mailbox
 *       full) are temporary as RFC 5321 and RFC 3463 say.</li>
 *   <li>May have been delivered → {@code UNKNOWN}: the connection dropped or timed out after the
 *       end of the message data was sent and before the server's answer.</li>
 *   <li>Nothing will work until someone changes the settings → {@link InvalidConfigurationException}:
 *       login refused, STARTTLS required but not offered, a certificate not trusted or not naming
 *       the host; and, at any stage, a login demanded or refused (530, 534, 535, 538;
 *       {@code 5.7.8}-{@code 5.7.14}, {@code 5.7.57}), the practice's sender refused ({@code 5.1.7},
 *       {@code 5.1.8}) or not allowed as the login ({@code 5.2.252}, {@code 5.7.60} "send as
 *       denied"); any 5xx to MAIL FROM except a size refusal (it names only the practice's sender);
 *       a {@code 5.7.x} to RCPT (relay denied: the server will not carry the practice's mail to
 *       anyone).</li>
 * </ul>
 *
 * <p>Server replies often quote the recipient's address, so no reply text is carried over: only
 * the reply code and the enhanced status code (digits), and the exception's class name.
 */
final class SmtpFailureClassifier {
    private static final Pattern ENHANCED_STATUS = Pattern.compile("^\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})(?!\\d)");
    private static final int MAX_CAUSE_DEPTH = 32;
    /** RFC 4954: authentication required, mechanism too weak, credentials invalid, encryption required for it. */
    private static final Set<Integer> LOGIN_REPLIES = Set.of(530, 534, 535, 538);

    private SmtpFailureClassifier() {}

    /** Whom a 5xx reply holds responsible, which decides what the engine does next. */
    private enum Fault {
        /** The practice's login, sender or right to relay: none of its mail goes until its settings change. */
        SETTINGS,
        /** The recipient's mailbox: this address will not take mail. */
        RECIPIENT,
        /** The recipient's mailbox is full, which RFC 5321 and RFC 3463 treat as temporary. */
        MAILBOX_FULL,
        /** The message or the server, not this recipient: another patient's email would be refused alike. */
        MESSAGE
    }

    /**
     * A server's reply: its code, its enhanced status code if it gave one, and the command it answered.
     *
     * @param stage the command the reply answered
     * @param code the reply code
     * @param enhancedSubject the enhanced status code's subject (its middle number), or -1 if none
     * @param enhancedDetail the enhanced status code's detail (its last number), or -1 if none
     */
    private record Reply(TrackingSmtpTransport.Phase stage, int code, int enhancedSubject, int enhancedDetail) {

        boolean hasEnhanced() {
            return enhancedSubject >= 0;
        }

        boolean enhancedIs(int subject, int detail) {
            return enhancedSubject == subject && enhancedDetail == detail;
        }

        /** The reply code and enhanced status (e.g. "550 5.1.1"), never the reply's text. */
        String codes() {
            return code + (hasEnhanced() ? " " + (code / 100) + "." + enhancedSubject + "." + enhancedDetail : "");
        }

        /** {@link #codes()} in parentheses, to end a result's detail. */
        String status() {
            return " (" + codes() + ")";
        }
    }

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

        Reply reply = replyOf(failure, transport.phase());
        if (reply == null) {
            return switch (transport.phase()) {
                case END_OF_DATA -> SendResult.unknown(null, "no answer after the end of the message data; it may have been delivered"
                        + causeName(failure));
                case SENDER, RECIPIENTS -> SendResult.transientFailure(null, "connection lost before the message was sent"
                        + causeName(failure), null);
                default -> SendResult.transientFailure(null, "connection lost before the end of the message data"
                        + causeName(failure), null);
            };
        }
        if (isTemporary(reply.code())) {
            String what = switch (reply.stage()) {
                case SENDER -> "sender";
                case RECIPIENTS -> "recipient";
                default -> "message";
            };
            return SendResult.transientFailure(codeOf(reply.code()), "SMTP server deferred the " + what + reply.status(), null);
        }
        return switch (faultOf(reply)) {
            case SETTINGS -> throw settingsProblem(reply, practiceId);
            case RECIPIENT -> SendResult.permanentFailure(codeOf(reply.code()), "SMTP server rejected the recipient" + reply.status());
            case MAILBOX_FULL -> SendResult.transientFailure(codeOf(reply.code()), "SMTP server deferred the recipient" + reply.status(), null);
            case MESSAGE -> SendResult.transientFailure(codeOf(reply.code()), (reply.stage() == TrackingSmtpTransport.Phase.RECIPIENTS
                    ? "SMTP server refused the recipient, not for its mailbox" : "SMTP server refused the message, not its recipient")
                    + reply.status(), null);
        };
    }

    /**
     * Reads a 5xx reply by its enhanced status code first (it says what the server objects to),
     * then by the command it answered; the reply code alone says little (554 is used for relay
     * denied, spam and unknown users alike).
     */
    private static Fault faultOf(Reply reply) {
        TrackingSmtpTransport.Phase stage = reply.stage();
        int code = reply.code();
        if (isLoginProblem(reply) || isSenderStatus(reply)) {
            return Fault.SETTINGS;
        }
        if (stage == TrackingSmtpTransport.Phase.RECIPIENTS && code == 552) {
            return Fault.MAILBOX_FULL;
        }
        if (reply.hasEnhanced()) {
            // Before the sender rule: the SIZE parameter of MAIL FROM is refused there, and a
            // smaller message could pass.
            if (reply.enhancedIs(3, 4) || reply.enhancedIs(2, 3)) {
                return Fault.MESSAGE;
            }
            if (stage == TrackingSmtpTransport.Phase.SENDER) {
                return Fault.SETTINGS;
            }
            if (reply.enhancedIs(2, 2)) {
                return Fault.MAILBOX_FULL;
            }
            if (reply.enhancedSubject() == 1 || reply.enhancedIs(2, 0) || reply.enhancedIs(2, 1) || reply.enhancedIs(2, 4)) {
                return Fault.RECIPIENT;
            }
            // Security or policy at RCPT: relay denied, or this client may not send through the server.
            return stage == TrackingSmtpTransport.Phase.RECIPIENTS && reply.enhancedSubject() == 7 ? Fault.SETTINGS : Fault.MESSAGE;
        }
        if (code == 552) {
            return Fault.MESSAGE;
        }
        return switch (stage) {
            case SENDER -> Fault.SETTINGS;
            case RECIPIENTS -> code == 550 || code == 551 || code == 553 ? Fault.RECIPIENT : Fault.MESSAGE;
            default -> Fault.MESSAGE;
        };
    }

    /**
     * A login demanded or refused, whatever the command: the RFC 4954 replies, the enhanced codes
     * of RFC 4954 and RFC 5248 (5.7.8 to 5.7.14) and Microsoft's "client not authenticated" (5.7.57).
     */
    private static boolean isLoginProblem(Reply reply) {
        int detail = reply.enhancedDetail();
        return LOGIN_REPLIES.contains(reply.code())
                || (reply.enhancedSubject() == 7 && ((detail >= 8 && detail <= 14) || detail == 57));
    }

    /**
     * The practice's sender refused, whatever the command: its address (5.1.7, 5.1.8), or a From
     * its login may not use (5.2.252 and 5.7.60, Microsoft's "send as denied").
     */
    private static boolean isSenderStatus(Reply reply) {
        int detail = reply.enhancedDetail();
        return switch (reply.enhancedSubject()) {
            case 1 -> detail == 7 || detail == 8;
            case 2 -> detail == 252;
            case 7 -> detail == 60;
            default -> false;
        };
    }

    private static InvalidConfigurationException settingsProblem(Reply reply, PracticeId practiceId) {
        String answered = " (reply " + reply.codes() + " " + switch (reply.stage()) {
            case SENDER -> "to MAIL FROM";
            case RECIPIENTS -> "to RCPT TO";
            case CONTENT -> "to DATA";
            default -> "after the message data";
        } + ")";
        if (isLoginProblem(reply)) {
            return new InvalidConfigurationException("SMTP server of practice " + practiceId + " requires a login it accepts" + answered
                    + ": check the username and password in its SmtpSettings");
        }
        if (reply.stage() == TrackingSmtpTransport.Phase.RECIPIENTS) {
            return new InvalidConfigurationException("SMTP server of practice " + practiceId + " refused to relay its mail" + answered
                    + ": configure a login in its SmtpSettings, or have the server allow relaying from this host");
        }
        // The sender is the practice's address or login, not the patient's: the patient's address
        // must not be marked as failing, and no other patient's mail would go either.
        return new InvalidConfigurationException("SMTP server refused the sender address of practice " + practiceId + answered
                + ": use the From address its login may send as, or configure a login");
    }

    /**
     * The server's reply in the failure, from the most specific exception: Angus marks a refused
     * sender or recipient with its own exception inside the one it throws.
     *
     * @return the reply, or null if the server gave none (the connection ended or timed out)
     */
    private static @Nullable Reply replyOf(MessagingException failure, TrackingSmtpTransport.Phase phase) {
        SMTPSenderFailedException sender = find(failure, SMTPSenderFailedException.class);
        if (sender != null) {
            return replyOf(TrackingSmtpTransport.Phase.SENDER, sender.getReturnCode(), sender.getMessage());
        }
        SMTPAddressFailedException recipient = find(failure, SMTPAddressFailedException.class);
        if (recipient != null) {
            return replyOf(TrackingSmtpTransport.Phase.RECIPIENTS, recipient.getReturnCode(), recipient.getMessage());
        }
        SMTPSendFailedException command = find(failure, SMTPSendFailedException.class);
        return command == null ? null : replyOf(phase, command.getReturnCode(), command.getMessage());
    }

    private static @Nullable Reply replyOf(TrackingSmtpTransport.Phase stage, int code, @Nullable String text) {
        if (!isTemporary(code) && !isPermanent(code)) {
            return null;
        }
        Matcher m = text == null ? null : ENHANCED_STATUS.matcher(text.strip());
        // An enhanced code of another class than the reply's contradicts it: the reply code wins.
        if (m != null && m.find() && Integer.parseInt(m.group(1)) == code / 100) {
            return new Reply(stage, code, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
        return new Reply(stage, code, -1, -1);
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
