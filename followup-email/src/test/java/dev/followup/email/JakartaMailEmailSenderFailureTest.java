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
import dev.followup.spi.SendResult.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How failures are classified, against real sockets: GreenMail behind a relay scripted to answer or
 * misbehave the way production servers do, a port that accepts but never speaks, a closed port.
 * Each case also checks that exactly one connection was made (no retries inside the adapter).
 */
class JakartaMailEmailSenderFailureTest {
    private static final PracticeId PRACTICE = PracticeId.of("riverside");
    private static final EmailAddress PATIENT = EmailAddress.of("jose.munoz@patients.example");
    private static final Duration READ_TIMEOUT = Duration.ofMillis(800);

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void aRecipientRejectedWith5xxIsAPermanentFailureWithTheCodeAndNoAddress() throws Exception {
        SendResult result = sendThrough(r -> r.replyToRecipient(PATIENT.value(),
                "550 5.1.1 <" + PATIENT.value() + ">: Recipient address rejected: User unknown"), 1);

        assertThat(result.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo("550");
        assertThat(result.detail()).isEqualTo("SMTP server rejected the recipient (550 5.1.1)");
        assertThat(result.toString()).doesNotContain("jose").doesNotContain("patients.example");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void aRecipientDeferredWith4xxIsTransient() throws Exception {
        SendResult result = sendThrough(r -> r.replyToRecipient(PATIENT.value(), "450 4.2.0 Mailbox busy, try later"), 1);

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo("450");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void a552ToTheRecipientIsTreatedAsTemporaryAsRfc5321Advises() throws Exception {
        SendResult result = sendThrough(r -> r.replyToRecipient(PATIENT.value(), "552 5.2.2 Mailbox full"), 1);

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo("552");
    }

    @Test
    void aSenderDeferredWith4xxIsTransientButASenderRefusedWith5xxIsAConfigurationError() throws Exception {
        SendResult deferred = sendThrough(r -> r.replyToMailFrom("421 4.7.0 Try again later, closing connection"), 1);
        assertThat(deferred.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(deferred.errorCode()).isEqualTo("421");

        assertThatThrownBy(() -> sendThrough(r -> r.replyToMailFrom("553 5.7.1 Sender address rejected: not owned by user"), 1))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("refused the sender address of practice riverside (reply 553 5.7.1 to MAIL FROM)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("frontdesk@").doesNotContain(PATIENT.value()));
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    /**
     * A refusal of the message itself (its content, its size) would meet every patient's email alike:
     * it must not mark this patient's address as failing for good (that once asserted PERMANENT for
     * "554 5.7.1 spam", which suppressed email for every patient reached while a template tripped
     * a filter). Retried within the engine's bounds, then the next step.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "554 5.7.1 Message rejected as spam",
        "552 5.3.4 Message size exceeds fixed maximum message size",
        "554 5.6.0 Message content rejected",
        "550 5.7.26 Unauthenticated email from riverside-clinic.example is not accepted due to DMARC",
        "554 Transaction failed"})
    void aMessageRefusedAfterItsDataIsTransientNotTheRecipientsFault(String reply) throws Exception {
        SendResult refused = sendThrough(r -> r.replyToEndOfData(reply), 1);

        assertThat(refused.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(refused.errorCode()).isEqualTo(reply.substring(0, 3));
        assertThat(refused.detail()).startsWith("SMTP server refused the message, not its recipient (" + reply.substring(0, 3))
                .doesNotContain("riverside-clinic");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void aMessageDeferredAfterItsDataIsTransient() throws Exception {
        SendResult deferred = sendThrough(r -> r.replyToEndOfData("451 4.3.0 Temporary local problem"), 1);
        assertThat(deferred.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(deferred.errorCode()).isEqualTo("451");
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MAIL | 530 5.7.0 Authentication Required | 530 5.7.0 to MAIL FROM",
        "MAIL | 530 5.7.57 Client not authenticated to send mail | 530 5.7.57 to MAIL FROM",
        "MAIL | 535 5.7.8 Authentication credentials invalid | 535 5.7.8 to MAIL FROM",
        "RCPT | 554 5.7.1 <jose.munoz@patients.example>: Relay access denied | 554 5.7.1 to RCPT TO",
        "RCPT | 530 5.7.57 Client was not authenticated | 530 5.7.57 to RCPT TO",
        "DATA | 554 5.2.252 SendAsDenied; frontdesk@riverside-clinic.example not allowed to send as it | 554 5.2.252 after the message data",
        "DATA | 530 5.7.57 Client not authenticated to send mail | 530 5.7.57 after the message data"})
    void aLoginRelayOrSendAsRefusalIsAConfigurationErrorNotTheRecipientsFault(String stage, String reply, String named) {
        UnaryOperator<ScriptedSmtpRelay> script = switch (stage) {
            case "MAIL" -> r -> r.replyToMailFrom(reply);
            case "RCPT" -> r -> r.replyToRecipient(PATIENT.value(), reply);
            default -> r -> r.replyToEndOfData(reply);
        };

        assertThatThrownBy(() -> sendThrough(script, 1))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("practice riverside")
                .hasMessageContaining("(reply " + named + ")")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("frontdesk@").doesNotContain(PATIENT.value()));
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RCPT | 550 5.1.1 <jose.munoz@patients.example>: Recipient address rejected: User unknown",
        "RCPT | 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "RCPT | 550 5.2.1 Mailbox disabled, not accepting messages",
        "RCPT | 553 5.1.3 Bad recipient address syntax",
        "RCPT | 550 No such user here",
        "RCPT | 551 User not local; please try <someone@elsewhere.example>",
        "DATA | 550 5.1.1 The email account that you tried to reach does not exist"})
    void onlyARefusalOfTheRecipientsMailboxIsPermanent(String stage, String reply) throws Exception {
        SendResult result = sendThrough(stage.equals("RCPT") ? r -> r.replyToRecipient(PATIENT.value(), reply)
                : r -> r.replyToEndOfData(reply), 1);

        assertThat(result.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo(reply.substring(0, 3));
        assertThat(result.toString()).doesNotContain("jose").doesNotContain("patients.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "550 5.4.4 Unable to route",
        "503 5.5.1 Error: need MAIL command",
        "554 Transaction failed"})
    void aRecipientRefusedForAReasonOtherThanItsMailboxIsTransient(String reply) throws Exception {
        SendResult result = sendThrough(r -> r.replyToRecipient(PATIENT.value(), reply), 1);

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo(reply.substring(0, 3));
        assertThat(result.detail()).startsWith("SMTP server refused the recipient, not for its mailbox");
    }

    @Test
    void aMessageTooLargeForTheServerIsTransientEvenWhenRefusedAtTheSender() throws Exception {
        SendResult result = sendThrough(r -> r.replyToMailFrom("552 5.3.4 Message size exceeds fixed maximum message size"), 1);

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.errorCode()).isEqualTo("552");
    }

    @Test
    void aConnectionDroppedBeforeTheDataIsTransientAndNothingIsDelivered() throws Exception {
        SendResult result = sendThrough(ScriptedSmtpRelay::dropOnDataCommand, 1);

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.errorCode()).isNull();
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void aConnectionDroppedAfterTheEndOfDataIsUnknownBecauseTheMessageMayHaveArrived() throws Exception {
        SendResult result = sendThrough(ScriptedSmtpRelay::dropAfterEndOfData, 1);

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        // And indeed it did arrive: a blind retry would have sent it twice.
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void noAnswerAfterTheEndOfDataIsUnknownWithinTheReadTimeout() throws Exception {
        long start = System.nanoTime();
        SendResult result = sendThrough(ScriptedSmtpRelay::stallAfterEndOfData, 1);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(result.detail()).contains("SocketTimeoutException");
        assertThat(took).isLessThan(READ_TIMEOUT.multipliedBy(4));
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsTransientWithinTheTimeout() throws Exception {
        // Bound and listening, never accepting: the kernel completes the TCP handshake, then silence.
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            long start = System.nanoTime();
            SendResult result = sender(silent.getLocalPort()).send(email());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
            assertThat(result.detail()).contains("could not connect").contains("SocketTimeoutException");
            assertThat(took).isGreaterThanOrEqualTo(READ_TIMEOUT.minusMillis(100)).isLessThan(READ_TIMEOUT.multipliedBy(4));
        }
    }

    @Test
    void aServerRefusingServiceInItsGreetingIsTransientWithTheCode() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> {
                try (Socket client = busy.accept()) {
                    client.getOutputStream().write("421 4.3.2 Too busy, try later\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    client.getInputStream().read();
                } catch (IOException e) {
                    // The client hung up first: fine.
                }
            });
            greeter.setDaemon(true);
            greeter.start();

            SendResult result = sender(busy.getLocalPort()).send(email());

            assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
            assertThat(result.errorCode()).isEqualTo("421");
        }
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }

        SendResult result = sender(closedPort).send(email());

        assertThat(result.outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(result.detail()).contains("could not connect");
    }

    @Test
    void nothingOfTheMessageIsLoggedWhateverHappens() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            sendThrough(r -> r, 1);
            sendThrough(r -> r.replyToRecipient(PATIENT.value(), "550 5.1.1 <" + PATIENT.value() + ">: User unknown"), 1);
            sendThrough(r -> r.replyToEndOfData("451 4.3.0 <" + PATIENT.value() + "> try later"), 1);
            sendThrough(ScriptedSmtpRelay::dropAfterEndOfData, 1);
            try {
                sendThrough(r -> r.replyToMailFrom("553 5.7.1 <frontdesk@riverside-clinic.example> rejected"), 1);
            } catch (InvalidConfigurationException expected) {
                // Logged at warn before it was thrown: that line is checked too.
            }
            try {
                sendThrough(r -> r.replyToRecipient(PATIENT.value(), "554 5.7.1 <" + PATIENT.value() + ">: Relay access denied"), 1);
            } catch (InvalidConfigurationException expected) {
                // The same: its warn line quotes no reply text.
            }
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("attempt-").contains("riverside")
                .doesNotContain("jose").doesNotContain("José").doesNotContain("patients.example")
                .doesNotContain("Your follow-up").doesNotContain("Dr. Martínez");
    }

    private SendResult sendThrough(UnaryOperator<ScriptedSmtpRelay> script, int expectedConnections) throws IOException {
        try (ScriptedSmtpRelay relay = script.apply(
                ScriptedSmtpRelay.inFrontOf(GREEN_MAIL.getSmtp().getBindTo(), GREEN_MAIL.getSmtp().getPort())).start()) {
            try {
                return sender(relay.port()).send(email());
            } finally {
                assertThat(relay.connections()).as("connections per send").isEqualTo(expectedConnections);
            }
        }
    }

    private static JakartaMailEmailSender sender(int port) {
        return JakartaMailEmailSender.builder()
                .practice(PRACTICE, SmtpSettings.builder("localhost")
                        .port(port)
                        .security(SmtpSecurity.PLAIN_INSECURE)
                        .heloName("test.followup.example")
                        .connectTimeout(READ_TIMEOUT)
                        .readTimeout(READ_TIMEOUT)
                        .build())
                .allowInsecureSettingsForTesting()
                .build();
    }

    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    private static OutboundEmail email() {
        return new OutboundEmail("attempt-" + ATTEMPTS.incrementAndGet(), PRACTICE, "frontdesk@riverside-clinic.example", "Riverside Clinic",
                null, PATIENT, "Your follow-up visit, José", "Hola José Muñoz, Dr. Martínez recommends a visit.",
                "<p>Hola José Muñoz, Dr. Martínez recommends a visit.</p>");
    }
}
