package dev.followup.email;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EmailSender;
import dev.followup.test.contract.EmailSenderContract;
import dev.followup.test.contract.ReceivedEmail;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EmailSender contract against a real SMTP server: GreenMail, behind a relay that rejects one
 * recipient with 550 (GreenMail accepts every recipient).
 */
class JakartaMailEmailSenderContractTest extends EmailSenderContract {
    private static final PracticeId PRACTICE = PracticeId.of("riverside");
    private static final EmailAddress GONE = EmailAddress.of("gone@patients.example");

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private ScriptedSmtpRelay relay;
    private JakartaMailEmailSender sender;

    @BeforeEach
    void startRelay() throws IOException {
        relay = ScriptedSmtpRelay.inFrontOf(GREEN_MAIL.getSmtp().getBindTo(), GREEN_MAIL.getSmtp().getPort())
                .replyToRecipient(GONE.value(), "550 5.1.1 <" + GONE.value() + ">: Recipient address rejected: User unknown")
                .start();
        sender = JakartaMailEmailSender.builder()
                .practice(PRACTICE, SmtpSettings.builder("localhost")
                        .port(relay.port())
                        .security(SmtpSecurity.PLAIN_INSECURE)
                        .heloName("test.followup.example")
                        .connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(5))
                        .build())
                .allowInsecureSettingsForTesting()
                .build();
    }

    @AfterEach
    void stopRelay() throws IOException {
        relay.close();
    }

    @Override
    protected EmailSender sender() {
        return sender;
    }

    @Override
    protected PracticeId practiceId() {
        return PRACTICE;
    }

    @Override
    protected List<ReceivedEmail> delivered() {
        return ReceivedMessages.of(GREEN_MAIL.getReceivedMessages());
    }

    @Override
    protected EmailAddress permanentlyFailingRecipient() {
        return GONE;
    }
}
