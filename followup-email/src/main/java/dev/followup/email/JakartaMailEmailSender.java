package dev.followup.email;

import dev.followup.FollowUpException;
import dev.followup.InvalidConfigurationException;
import dev.followup.message.DeliveryStatus;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EmailSender;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends follow-up emails over SMTP with Jakarta Mail, each through its own practice's server.
 *
 * <pre>{@code
 * EmailSender email = JakartaMailEmailSender.builder()
 *         .practice(PracticeId.of("riverside-pt"), SmtpSettings.builder("smtp.riverside-pt.com")
 *                 .credentials("outreach@riverside-pt.com", password)
 *                 .build())
 *         .clock(clock)
 *         .build();
 * }</pre>
 *
 * <p>Each {@link #send(OutboundEmail)} opens one connection to the practice's server, sends one
 * {@code multipart/alternative} message (text and HTML, UTF-8) and closes it: one delivery attempt,
 * no retries of its own. The Message-ID is {@code <attemptId@followup.domain-of-from>}, the same for
 * every send of an attempt, and is returned as the provider message id. How failures are reported:
 * <ul>
 *   <li>{@code TRANSIENT_FAILURE}: a 4xx reply, or the connection failed, dropped or timed out
 *       before the end of the message data (the server certainly does not have it); also a 5xx
 *       refusing the message or the server's service rather than the recipient's mailbox
 *       (content, spam, size, routing), which would meet every patient's email alike;</li>
 *   <li>{@code PERMANENT_FAILURE}: a 5xx reply saying the recipient's mailbox will not take mail
 *       (enhanced status 5.1.x, 5.2.1, or 550/551/553 to RCPT without one), with the reply code as
 *       error code; the engine moves on and stops using the address;</li>
 *   <li>{@code UNKNOWN}: the connection dropped or timed out after the end of the data was sent;
 *       the server may have delivered it;</li>
 *   <li>{@link InvalidConfigurationException} thrown: no settings for the practice, login refused
 *       or demanded (530, 535, 5.7.57...), STARTTLS required but not offered, TLS certificate
 *       problems, the practice's sender refused or not allowed ("send as denied"), relaying denied.</li>
 * </ul>
 * The full table is in {@code SmtpFailureClassifier}.
 *
 * <p>Nothing of a message (addresses, subject, bodies) or of the server's replies (which quote
 * addresses) is logged or put into an exception message or result detail: ids and reply codes only.
 *
 * <p>Thread-safe: sends for the same or different practices may run concurrently.
 */
public final class JakartaMailEmailSender implements EmailSender {
    private static final Logger LOG = LoggerFactory.getLogger(JakartaMailEmailSender.class);
    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    private final Map<PracticeId, PracticeMailSession> configured;
    private final @Nullable Function<PracticeId, Optional<SmtpSettings>> lookup;
    private final ConcurrentHashMap<PracticeId, PracticeMailSession> looked = new ConcurrentHashMap<>();
    private final Clock clock;
    private final boolean insecureAllowed;

    private JakartaMailEmailSender(Builder b) {
        this.configured = Map.copyOf(b.practices);
        this.lookup = b.lookup;
        this.clock = b.clock;
        this.insecureAllowed = b.insecureAllowed;
    }

    /** @return a builder; register at least one practice or a settings lookup */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends one email through its practice's SMTP server, once.
     *
     * @param email the message
     * @return the server's answer; see the class description for what each outcome means
     * @throws InvalidConfigurationException if the practice has no settings, or its settings cannot
     *     work (login refused or demanded, STARTTLS not offered, certificate not trusted, sender
     *     refused, relaying denied)
     */
    @Override
    public SendResult send(OutboundEmail email) {
        Objects.requireNonNull(email, "email");
        PracticeId practiceId = email.practiceId();
        PracticeMailSession practice = sessionFor(practiceId);
        SmtpSettings settings = practice.settings();

        InternetAddress recipient;
        try {
            recipient = new InternetAddress(email.to().value(), true);
            recipient.validate();
            if (!isAscii(recipient.getAddress())) {
                // An internationalised address needs SMTPUTF8, which this sender does not speak:
                // Jakarta Mail would send its bytes mangled to Latin-1, to a wrong mailbox.
                throw new AddressException("non-ASCII address");
            }
        } catch (AddressException e) {
            // This address will never work through this sender: the engine should move on.
            LOG.info("Email attempt {} of practice {}: recipient address cannot be used over SMTP", email.attemptId(), practiceId);
            return SendResult.permanentFailure(null, "recipient address cannot be used over SMTP (malformed or non-ASCII)");
        }

        String messageId;
        MimeMessage message;
        try {
            InternetAddress from = fromOf(email, settings, practiceId);
            messageId = MessageIds.forAttempt(email.attemptId(), from.getAddress());
            message = compose(practice, email, from, recipient, messageId, practiceId);
        } catch (IllegalArgumentException e) {
            // IDN conversion of the From domain failed: the practice's address is unusable.
            throw new InvalidConfigurationException("From address of practice " + practiceId + " has an invalid domain");
        } catch (MessagingException e) {
            // Nothing here touches the network; a failure means a part could not be encoded.
            throw new InvalidConfigurationException("email attempt " + email.attemptId() + " of practice " + practiceId
                    + " could not be composed (" + e.getClass().getSimpleName() + ")");
        }

        TrackingSmtpTransport transport = practice.newTransport();
        try {
            transport.connect(settings.host(), settings.port(), settings.username().orElse(null), settings.password());
            transport.sendMessage(message, new Address[] {recipient});
            LOG.debug("Email attempt {} of practice {} accepted as {}", email.attemptId(), practiceId, messageId);
            return SendResult.accepted(messageId, DeliveryStatus.SENT);
        } catch (MessagingException e) {
            SendResult result;
            try {
                result = SmtpFailureClassifier.classify(e, transport, settings.security(), practiceId);
            } catch (InvalidConfigurationException configuration) {
                LOG.warn("Email attempt {} of practice {} not sent: SMTP settings problem ({})",
                        email.attemptId(), practiceId, e.getClass().getSimpleName());
                throw configuration;
            }
            LOG.info("Email attempt {} of practice {} not sent: {} {}", email.attemptId(), practiceId,
                    result.outcome(), result.detail());
            return result;
        } finally {
            closeQuietly(transport);
        }
    }

    private PracticeMailSession sessionFor(PracticeId practiceId) {
        PracticeMailSession known = configured.get(practiceId);
        if (known != null) {
            return known;
        }
        if (lookup == null) {
            throw new InvalidConfigurationException("no SMTP settings for practice " + practiceId);
        }
        Optional<SmtpSettings> found;
        try {
            found = Objects.requireNonNull(lookup.apply(practiceId), "settings lookup returned null");
        } catch (FollowUpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException("SMTP settings lookup failed for practice " + practiceId, e);
        }
        SmtpSettings settings = found.orElseThrow(
                () -> new InvalidConfigurationException("no SMTP settings for practice " + practiceId));
        PracticeMailSession cached = looked.get(practiceId);
        if (cached != null && cached.settings().equals(settings)) {
            return cached;
        }
        checkAllowed(practiceId, settings, insecureAllowed);
        // Settings changed (or first use): a new session, so that no send uses the old server or password.
        PracticeMailSession fresh = new PracticeMailSession(settings);
        looked.put(practiceId, fresh);
        return fresh;
    }

    private static InternetAddress fromOf(OutboundEmail email, SmtpSettings settings, PracticeId practiceId) {
        String address = settings.fromAddress().orElse(email.from());
        String name = singleLine(settings.fromName().orElse(email.fromName()));
        try {
            InternetAddress from = new InternetAddress(address, true);
            from.validate();
            return new InternetAddress(from.getAddress(), name.isBlank() ? null : name, UTF_8);
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new InvalidConfigurationException("From address of practice " + practiceId + " is not a valid email address");
        }
    }

    private MimeMessage compose(PracticeMailSession practice, OutboundEmail email, InternetAddress from,
            InternetAddress recipient, String messageId, PracticeId practiceId) throws MessagingException {
        MimeMessage message = new AttemptMimeMessage(practice.session(), messageId);
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, recipient);
        String replyTo = practice.settings().replyTo().orElse(email.replyTo());
        if (replyTo != null) {
            try {
                message.setReplyTo(new Address[] {new InternetAddress(replyTo, true)});
            } catch (AddressException e) {
                throw new InvalidConfigurationException("Reply-To address of practice " + practiceId + " is not a valid email address");
            }
        }
        // Line breaks in a header value would start a new header (header injection); the subject
        // is one line by definition.
        message.setSubject(singleLine(email.subject()), UTF_8);
        message.setSentDate(Date.from(clock.instant()));
        // RFC 3834: tells vacation responders and mailing lists not to answer an automated message.
        message.setHeader("Auto-Submitted", "auto-generated");

        MimeBodyPart text = new MimeBodyPart();
        text.setText(email.textBody(), UTF_8, "plain");
        MimeBodyPart html = new MimeBodyPart();
        // The HTML arrives rendered and escaped by core: it is carried as is, never re-rendered.
        html.setText(email.htmlBody(), UTF_8, "html");
        // Order matters: clients show the last alternative they can display, so HTML goes last.
        message.setContent(new MimeMultipart("alternative", text, html));
        // Transport.sendMessage does not do it: without it the parts' headers are not computed.
        message.saveChanges();
        return message;
    }

    private static boolean isAscii(String value) {
        return value.chars().allMatch(c -> c < 0x80);
    }

    private static String singleLine(String value) {
        return value.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }

    private static void closeQuietly(TrackingSmtpTransport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // The outcome is already decided; a failed QUIT changes nothing about it.
            LOG.trace("closing SMTP connection failed ({})", e.getClass().getSimpleName());
        }
    }

    private static void checkAllowed(PracticeId practiceId, SmtpSettings settings, boolean insecureAllowed) {
        if (settings.isInsecure() && !insecureAllowed) {
            throw new InvalidConfigurationException("SMTP settings of practice " + practiceId
                    + " are insecure (" + (settings.security() == SmtpSecurity.PLAIN_INSECURE ? "no encryption" : "any certificate trusted")
                    + "): allowed only for testing, with JakartaMailEmailSender.builder().allowInsecureSettingsForTesting()");
        }
    }

    @Override
    public String toString() {
        return "JakartaMailEmailSender[" + configured.size() + " practices" + (lookup == null ? "" : " + lookup") + "]";
    }

    /**
     * Builds a {@link JakartaMailEmailSender}. Each practice's settings are checked when added;
     * settings found by a lookup are checked when first used.
     */
    public static final class Builder {
        private final Map<PracticeId, PracticeMailSession> practices = new HashMap<>();
        private @Nullable Function<PracticeId, Optional<SmtpSettings>> lookup;
        private Clock clock = Clock.systemUTC();
        private boolean insecureAllowed;

        private Builder() {}

        /**
         * Registers a practice's SMTP server. Its mail never goes through another practice's server,
         * and no other practice's mail goes through this one.
         *
         * @param practiceId the practice
         * @param settings its server
         * @return this builder
         * @throws InvalidConfigurationException if the practice was already registered
         */
        public Builder practice(PracticeId practiceId, SmtpSettings settings) {
            Objects.requireNonNull(practiceId, "practiceId");
            Objects.requireNonNull(settings, "settings");
            if (practices.containsKey(practiceId)) {
                throw new InvalidConfigurationException("SMTP settings for practice " + practiceId + " were given twice");
            }
            practices.put(practiceId, new PracticeMailSession(settings));
            return this;
        }

        /**
         * Finds settings for practices not registered with {@link #practice(PracticeId, SmtpSettings)},
         * e.g. from the vendor's practice table, so that practices can be added without a restart. Called
         * on every send for such a practice: cache in the lookup if it is slow. When it returns settings
         * different from the last ones, the practice's session is rebuilt.
         *
         * @param lookup the practice's settings, or empty if it has none (its sends then throw)
         * @return this builder
         */
        public Builder settingsLookup(Function<PracticeId, Optional<SmtpSettings>> lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * @param clock the source of each message's Date header; the system UTC clock unless set
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Accepts settings with {@link SmtpSecurity#PLAIN_INSECURE} or
         * {@link SmtpSettings.Builder#trustAnyCertificateForTesting()}. Without it they are refused,
         * so that a practice's settings (perhaps read from a database) can never turn encryption off
         * in production.
         *
         * @return this builder
         */
        public Builder allowInsecureSettingsForTesting() {
            this.insecureAllowed = true;
            return this;
        }

        /**
         * @return the sender
         * @throws InvalidConfigurationException if no practice and no lookup was given, or a
         *     practice's settings are insecure without {@link #allowInsecureSettingsForTesting()}
         */
        public JakartaMailEmailSender build() {
            if (practices.isEmpty() && lookup == null) {
                throw new InvalidConfigurationException("register at least one practice's SMTP settings or a settings lookup");
            }
            practices.forEach((id, practice) -> checkAllowed(id, practice.settings(), insecureAllowed));
            return new JakartaMailEmailSender(this);
        }
    }
}
