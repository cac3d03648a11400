package dev.followup.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.followup.InvalidConfigurationException;
import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STARTTLS and SMTPS. GreenMail 2.1 does not offer STARTTLS, so the STARTTLS cases run through the
 * relay, which terminates TLS with a certificate for {@code localhost} and passes the conversation
 * on to GreenMail. These tests use production settings: a trust store, host names verified, no
 * {@code allowInsecureSettingsForTesting()}.
 */
class JakartaMailEmailSenderTlsTest {
    private static final PracticeId PRACTICE = PracticeId.of("riverside");
    private static final EmailAddress PATIENT = EmailAddress.of("jose.munoz@patients.example");
    private static final TestCertificate CERTIFICATE = TestCertificate.localhost();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()});

    @Test
    void startTlsComesBeforeTheLoginAndTheMessage() throws Exception {
        GREEN_MAIL.setUser("outreach@riverside-clinic.example", "outreach", "s3cret-pw");
        try (ScriptedSmtpRelay relay = relay().offerStartTls(CERTIFICATE.serverContext()).start()) {
            JakartaMailEmailSender sender = sender(settings(relay.port())
                    .sslSocketFactory(CERTIFICATE.trustingClientFactory())
                    .credentials("outreach", "s3cret-pw")
                    .build());

            SendResult result = sender.send(email("tls-1"));

            assertThat(result.outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
            List<String> verbs = relay.verbs();
            assertThat(verbs).containsSubsequence("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA");
            assertThat(verbs.subList(0, verbs.indexOf("STARTTLS"))).containsExactly("EHLO");
            assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
            assertThat(GREEN_MAIL.getReceivedMessages()[0].getMessageID()).isEqualTo(result.providerMessageId());
        }
    }

    @Test
    void smtpsSpeaksTlsFromTheFirstByte() throws Exception {
        try (ScriptedSmtpRelay relay = relay().implicitTls(CERTIFICATE.serverContext()).start()) {
            JakartaMailEmailSender sender = sender(settings(relay.port())
                    .security(SmtpSecurity.SMTPS)
                    .sslSocketFactory(CERTIFICATE.trustingClientFactory())
                    .build());

            assertThat(sender.send(email("smtps-1")).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
            assertThat(relay.verbs()).doesNotContain("STARTTLS");
            assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void anUntrustedCertificateIsAConfigurationErrorAndNothingIsSent() throws Exception {
        try (ScriptedSmtpRelay relay = relay().offerStartTls(CERTIFICATE.serverContext()).start()) {
            // The JDK's own trust store does not know the self-signed test certificate.
            JakartaMailEmailSender sender = sender(settings(relay.port()).build());

            assertThatThrownBy(() -> sender.send(email("tls-2")))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("TLS with the SMTP server of practice riverside failed");
            assertThat(relay.verbs()).doesNotContain("MAIL", "RCPT", "DATA");
            assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsAConfigurationError() throws Exception {
        try (ScriptedSmtpRelay relay = relay().offerStartTls(CERTIFICATE.serverContext()).start()) {
            // Same server, same trusted certificate, but reached as 127.0.0.1, which it does not name.
            JakartaMailEmailSender sender = sender(SmtpSettings.builder("127.0.0.1").port(relay.port())
                    .sslSocketFactory(CERTIFICATE.trustingClientFactory())
                    .heloName("test.followup.example")
                    .build());

            assertThatThrownBy(() -> sender.send(email("tls-3")))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("practice riverside");
            assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void smtpsAgainstGreenMailsSelfSignedCertificateWhenTrustingAnyForTesting() {
        JakartaMailEmailSender sender = JakartaMailEmailSender.builder()
                .practice(PRACTICE, SmtpSettings.builder("localhost").port(GREEN_MAIL.getSmtps().getPort())
                        .security(SmtpSecurity.SMTPS)
                        .trustAnyCertificateForTesting()
                        .heloName("test.followup.example")
                        .build())
                .allowInsecureSettingsForTesting()
                .build();

        assertThat(sender.send(email("smtps-2")).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void smtpsToAPlainTextPortIsAConfigurationError() {
        JakartaMailEmailSender sender = sender(settings(GREEN_MAIL.getSmtp().getPort())
                .security(SmtpSecurity.SMTPS)
                .sslSocketFactory(CERTIFICATE.trustingClientFactory())
                .build());

        assertThatThrownBy(() -> sender.send(email("smtps-3")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("practice riverside");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    private static ScriptedSmtpRelay relay() {
        return ScriptedSmtpRelay.inFrontOf(GREEN_MAIL.getSmtp().getBindTo(), GREEN_MAIL.getSmtp().getPort());
    }

    private static SmtpSettings.Builder settings(int port) {
        return SmtpSettings.builder("localhost")
                .port(port)
                .heloName("test.followup.example")
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5));
    }

    private static JakartaMailEmailSender sender(SmtpSettings settings) {
        return JakartaMailEmailSender.builder().practice(PRACTICE, settings).build();
    }

    private static OutboundEmail email(String attemptId) {
        return new OutboundEmail(attemptId, PRACTICE, "frontdesk@riverside-clinic.example", "Riverside Clinic", null, PATIENT,
                "Your follow-up visit", "Hello", "<p>Hello</p>");
    }
}
