package dev.followup.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryEmailSenderTest {
    private static final EmailAddress TO = EmailAddress.of("sarah@patients.example");

    private final InMemoryEmailSender sender = new InMemoryEmailSender();

    @Test
    void acceptsByDefaultWithAMessageIdDerivedFromTheAttempt() {
        SendResult result = sender.send(email("a-1", TO));

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
        assertThat(result.providerMessageId()).isEqualTo("<a-1@followup.clinic.example>");
        assertThat(sender.sent()).extracting(OutboundEmail::attemptId).containsExactly("a-1");
    }

    @Test
    void scriptedResultsAreGivenInOrderAndThenEverythingIsAcceptedAgain() {
        SendResult busy = SendResult.transientFailure("421", "busy", Duration.ofMinutes(1));
        SendResult lost = SendResult.unknown(null, "timeout");
        sender.failNextWith(busy).failNextWith(lost);

        assertThat(sender.send(email("a-1", TO))).isEqualTo(busy);
        assertThat(sender.send(email("a-2", TO))).isEqualTo(lost);
        assertThat(sender.send(email("a-3", TO)).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
        assertThat(sender.attempts()).extracting(a -> a.email().attemptId()).containsExactly("a-1", "a-2", "a-3");
        assertThat(sender.sent()).extracting(OutboundEmail::attemptId).containsExactly("a-3");
    }

    @Test
    void anAddressThatFailsAlwaysFailsEveryTimeAndOnlyThatAddress() {
        EmailAddress gone = EmailAddress.of("Gone@Patients.example");
        sender.failAlwaysFor(gone);

        assertThat(sender.send(email("a-1", gone)).outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        assertThat(sender.send(email("a-2", EmailAddress.of("gone@patients.example"))).errorCode()).isEqualTo("550");
        assertThat(sender.send(email("a-3", TO)).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
    }

    @Test
    void clearForgetsEmailsAndScripts() {
        sender.failAlwaysFor(TO).failNextWith(SendResult.unknown(null, "x"));
        sender.send(email("a-1", TO));

        sender.clear();

        assertThat(sender.attempts()).isEmpty();
        assertThat(sender.send(email("a-2", TO)).outcome()).isEqualTo(SendResult.Outcome.ACCEPTED);
        assertThat(sender.toString()).isEqualTo("InMemoryEmailSender[1 attempts]");
    }

    private static OutboundEmail email(String attemptId, EmailAddress to) {
        return new OutboundEmail(attemptId, PracticeId.of("p1"), "desk@Clinic.example", "Clinic", null, to, "Subject", "text", "<p>html</p>");
    }
}
