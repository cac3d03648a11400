package dev.followup.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.followup.InvalidConfigurationException;
import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Composition, configuration and authentication, against GreenMail over plain SMTP. */
class JakartaMailEmailSenderTest {
    private static final PracticeId PRACTICE = PracticeId.of("riverside");
    private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
    private static final EmailAddress PATIENT = EmailAddress.of("jose.munoz@patients.example");

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void sendsMultipartAlternativeWithUtf8HeadersBodiesAndTheAttemptsMessageId() throws Exception {
        OutboundEmail email = new OutboundEmail("attempt-1", PRACTICE, "frontdesk@riverside-clinic.example",
                "José Muñoz — Clínica Riverside", "replies@riverside-clinic.example", PATIENT,
                "Ñandú — café", "Hola José,\nsu visita de control.",
                "<p>Hola José,</p><p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; más</p>");
        SendResult result = plainSender().send(email);

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
        assertThat(result.providerMessageId()).isEqualTo("<attempt-1@followup.riverside-clinic.example>");
        MimeMessage received = onlyReceived();
        assertThat(received.getMessageID()).isEqualTo(result.providerMessageId());
        assertThat(received.getSubject()).isEqualTo("Ñandú — café");
        assertThat(received.getHeader("Subject")[0]).startsWith("=?UTF-8?");
        InternetAddress from = (InternetAddress) received.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("frontdesk@riverside-clinic.example");
        assertThat(from.getPersonal()).isEqualTo("José Muñoz — Clínica Riverside");
        assertThat(((InternetAddress) received.getReplyTo()[0]).getAddress()).isEqualTo("replies@riverside-clinic.example");
        assertThat(((InternetAddress) received.getAllRecipients()[0]).getAddress()).isEqualTo(PATIENT.value());
        assertThat(received.getSentDate().toInstant()).isEqualTo(NOW);
        assertThat(received.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(received.getContentType()).startsWith("multipart/alternative");

        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(html.getContentType()).containsIgnoringCase("text/html").containsIgnoringCase("charset=UTF-8");
        // SMTP carries lines ending in CRLF.
        assertThat(((String) text.getContent()).replace("\r\n", "\n")).isEqualTo("Hola José,\nsu visita de control.");
        assertThat((String) html.getContent())
                .isEqualTo("<p>Hola José,</p><p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; más</p>")
                .doesNotContain("<script>");
    }

    @Test
    void thePracticesSettingsOverrideFromAndReplyTo() throws Exception {
        JakartaMailEmailSender sender = builderFor(plain().toBuilder()
                .from("outreach@mail.riverside-clinic.example", "Riverside Clinic")
                .replyTo("desk@riverside-clinic.example")
                .build()).build();

        SendResult result = sender.send(email("attempt-2", PATIENT));

        MimeMessage received = onlyReceived();
        InternetAddress from = (InternetAddress) received.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("outreach@mail.riverside-clinic.example");
        assertThat(from.getPersonal()).isEqualTo("Riverside Clinic");
        assertThat(((InternetAddress) received.getReplyTo()[0]).getAddress()).isEqualTo("desk@riverside-clinic.example");
        // The Message-ID follows the From actually used.
        assertThat(result.providerMessageId()).isEqualTo("<attempt-2@followup.mail.riverside-clinic.example>");
    }

    @Test
    void lineBreaksInTheSubjectCannotAddHeadersOrRecipients() throws Exception {
        OutboundEmail email = new OutboundEmail("attempt-3", PRACTICE, "frontdesk@riverside-clinic.example", "Riverside\r\nX-Evil: 1",
                null, PATIENT, "Hello\r\nBcc: evil@attacker.example", "text", "<p>html</p>");

        assertThat(plainSender().send(email).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);

        MimeMessage received = onlyReceived();
        assertThat(received.getSubject()).isEqualTo("Hello Bcc: evil@attacker.example");
        assertThat(received.getHeader("Bcc")).isNull();
        assertThat(received.getHeader("X-Evil")).isNull();
        assertThat(GREEN_MAIL.getReceivedMessagesForDomain("attacker.example")).isEmpty();
    }

    @Test
    void unusualAttemptIdsGiveValidStableMessageIds() throws Exception {
        JakartaMailEmailSender sender = plainSender();

        SendResult first = sender.send(email("retry 2/ü@x>.", PATIENT));
        SendResult again = sender.send(email("retry 2/ü@x>.", PATIENT));
        SendResult longId = sender.send(email("a".repeat(300), PATIENT));

        assertThat(first.providerMessageId())
                .isEqualTo("<retry=202=2F=C3=BC=40x=3E=2E@followup.riverside-clinic.example>")
                .isEqualTo(again.providerMessageId());
        assertThat(longId.providerMessageId()).matches("<sha256=[0-9a-f]{64}@followup\\.riverside-clinic\\.example>");
        assertThat(GREEN_MAIL.getReceivedMessages()).extracting(MimeMessage::getMessageID)
                .containsExactly(first.providerMessageId(), again.providerMessageId(), longId.providerMessageId());
    }

    @Test
    void aNonAsciiRecipientIsAPermanentFailureWithoutConnecting() throws Exception {
        try (ScriptedSmtpRelay relay = relay()) {
            JakartaMailEmailSender sender = builderFor(plain().toBuilder().port(relay.port()).build()).build();

            SendResult result = sender.send(email("attempt-4", EmailAddress.of("josé@patients.example")));

            assertThat(result.outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
            assertThat(result.toString()).doesNotContain("jos");
            assertThat(relay.connections()).isZero();
        }
    }

    @Test
    void insecureSettingsAreRefusedUnlessAllowedForTesting() {
        assertThatThrownBy(() -> JakartaMailEmailSender.builder().practice(PRACTICE, plain()).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("practice riverside")
                .hasMessageContaining("no encryption");
        SmtpSettings trustingAll = SmtpSettings.builder("localhost").security(SmtpSecurity.SMTPS).trustAnyCertificateForTesting().build();
        assertThatThrownBy(() -> JakartaMailEmailSender.builder().practice(PRACTICE, trustingAll).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("any certificate trusted");
        JakartaMailEmailSender viaLookup = JakartaMailEmailSender.builder().settingsLookup(id -> Optional.of(plain())).build();
        assertThatThrownBy(() -> viaLookup.send(email("attempt-5", PATIENT)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("practice riverside");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void aPracticeWithoutSettingsIsAConfigurationErrorNamingIt() {
        JakartaMailEmailSender sender = plainSender();
        OutboundEmail other = new OutboundEmail("attempt-6", PracticeId.of("lakeside"), "desk@lakeside.example", "Lakeside",
                null, PATIENT, "Subject", "text", "<p>html</p>");

        assertThatThrownBy(() -> sender.send(other))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("no SMTP settings for practice lakeside");
        assertThatThrownBy(() -> JakartaMailEmailSender.builder().build()).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void eachPracticesMailGoesThroughItsOwnServerOnly() throws Exception {
        try (ScriptedSmtpRelay lakesideServer = relay()) {
            PracticeId lakeside = PracticeId.of("lakeside");
            JakartaMailEmailSender sender = JakartaMailEmailSender.builder()
                    .practice(PRACTICE, plain())
                    .practice(lakeside, plain().toBuilder().port(lakesideServer.port()).build())
                    .allowInsecureSettingsForTesting()
                    .build();

            sender.send(email("riverside-1", PATIENT));
            assertThat(lakesideServer.connections()).isZero();
            sender.send(new OutboundEmail("lakeside-1", lakeside, "desk@lakeside.example", "Lakeside", null, PATIENT,
                    "Subject", "text", "<p>html</p>"));
            assertThat(lakesideServer.connections()).isEqualTo(1);
            assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(2);
        }
    }

    @Test
    void settingsFromALookupAreUsedAndAChangeIsPickedUp() throws Exception {
        try (ScriptedSmtpRelay first = relay(); ScriptedSmtpRelay second = relay()) {
            AtomicReference<SmtpSettings> current = new AtomicReference<>(plain().toBuilder().port(first.port()).build());
            JakartaMailEmailSender sender = JakartaMailEmailSender.builder()
                    .settingsLookup(id -> id.equals(PRACTICE) ? Optional.of(current.get()) : Optional.empty())
                    .allowInsecureSettingsForTesting()
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build();

            sender.send(email("lookup-1", PATIENT));
            sender.send(email("lookup-2", PATIENT));
            current.set(plain().toBuilder().port(second.port()).build());
            sender.send(email("lookup-3", PATIENT));

            assertThat(first.connections()).isEqualTo(2);
            assertThat(second.connections()).isEqualTo(1);
            assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(3);
            assertThatThrownBy(() -> sender.send(new OutboundEmail("lookup-4", PracticeId.of("unknown"), "a@b.example", "B", null,
                    PATIENT, "s", "t", "h")))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("no SMTP settings for practice unknown");
        }
    }

    @Test
    void logsInWithTheConfiguredCredentials() throws Exception {
        GREEN_MAIL.setUser("outreach@riverside-clinic.example", "outreach", "s3cret-pw");
        try (ScriptedSmtpRelay relay = relay()) {
            JakartaMailEmailSender sender = builderFor(plain().toBuilder()
                    .port(relay.port()).credentials("outreach", "s3cret-pw").build()).build();

            assertThat(sender.send(email("auth-1", PATIENT)).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
            assertThat(relay.verbs()).containsSubsequence("EHLO", "AUTH", "MAIL", "RCPT", "DATA");
        }
    }

    @Test
    void aRefusedLoginIsAConfigurationErrorNamingOnlyThePractice() {
        GREEN_MAIL.setUser("outreach@riverside-clinic.example", "outreach", "s3cret-pw");
        JakartaMailEmailSender sender = builderFor(plain().toBuilder().credentials("outreach", "wrong-pw").build()).build();

        assertThatThrownBy(() -> sender.send(email("auth-2", PATIENT)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("refused the login of practice riverside")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("wrong-pw").doesNotContain("outreach@").doesNotContain(PATIENT.value()));
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void startTlsRequiredButNotOfferedIsAConfigurationErrorAndNothingIsSentInTheClear() throws Exception {
        try (ScriptedSmtpRelay relay = relay()) {
            // Default security: STARTTLS required. GreenMail does not offer STARTTLS.
            JakartaMailEmailSender sender = JakartaMailEmailSender.builder()
                    .practice(PRACTICE, SmtpSettings.builder("localhost").port(relay.port())
                            .credentials("outreach", "s3cret-pw").heloName("test.followup.example").build())
                    .build();

            assertThatThrownBy(() -> sender.send(email("tls-1", PATIENT)))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("practice riverside")
                    .hasMessageContaining("does not offer STARTTLS");
            // Neither the password nor the patient's address went over the plain connection.
            assertThat(relay.verbs()).doesNotContain("AUTH", "MAIL", "RCPT", "DATA");
            assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void settingsToStringShowsNoPassword() {
        SmtpSettings settings = plain().toBuilder().credentials("outreach", "s3cret-pw").build();

        assertThat(settings.toString()).contains("outreach").doesNotContain("s3cret-pw");
        assertThat(settings).isEqualTo(settings.toBuilder().build())
                .isNotEqualTo(settings.toBuilder().credentials("outreach", "other").build());
        assertThat(SmtpSettings.builder("smtp.example.com").build().port()).isEqualTo(587);
        assertThat(SmtpSettings.builder("smtp.example.com").security(SmtpSecurity.SMTPS).build().port()).isEqualTo(465);
        assertThatThrownBy(() -> SmtpSettings.builder("smtp.example.com").readTimeout(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> SmtpSettings.builder("smtp.example.com").fromAddress("not an address"))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    private static JakartaMailEmailSender plainSender() {
        return builderFor(plain()).build();
    }

    private static JakartaMailEmailSender.Builder builderFor(SmtpSettings settings) {
        return JakartaMailEmailSender.builder()
                .practice(PRACTICE, settings)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .allowInsecureSettingsForTesting();
    }

    private static SmtpSettings plain() {
        return SmtpSettings.builder("localhost")
                .port(GREEN_MAIL.getSmtp().getPort())
                .security(SmtpSecurity.PLAIN_INSECURE)
                .heloName("test.followup.example")
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static ScriptedSmtpRelay relay() throws java.io.IOException {
        return ScriptedSmtpRelay.inFrontOf(GREEN_MAIL.getSmtp().getBindTo(), GREEN_MAIL.getSmtp().getPort()).start();
    }

    private static OutboundEmail email(String attemptId, EmailAddress to) {
        return new OutboundEmail(attemptId, PRACTICE, "frontdesk@riverside-clinic.example", "Riverside Clinic", null, to,
                "Your follow-up visit", "Hello", "<p>Hello</p>");
    }

    private static MimeMessage onlyReceived() {
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }
}
