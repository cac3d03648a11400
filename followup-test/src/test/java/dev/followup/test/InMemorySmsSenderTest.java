package dev.followup.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.message.DeliveryStatus;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SendResult.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemorySmsSenderTest {
    private static final PracticeId PRACTICE = PracticeId.of("p1");
    private static final PhoneNumber ANN = PhoneNumber.ofE164("+12015550123");
    private static final PhoneNumber BOB = PhoneNumber.ofE164("+12015550124");

    private final InMemorySmsSender sender = new InMemorySmsSender();

    private static OutboundSms sms(String attempt, PhoneNumber to) {
        return new OutboundSms(attempt, PRACTICE, "+12015550100", to, "hello", Duration.ofHours(1));
    }

    @Test
    void recordsEveryMessageAndFiltersByRecipient() {
        sender.send(sms("a1", ANN));
        sender.send(sms("a2", BOB));
        sender.send(sms("a3", ANN));

        assertThat(sender.sent()).extracting(OutboundSms::attemptId).containsExactly("a1", "a2", "a3");
        assertThat(sender.sentTo(ANN)).extracting(OutboundSms::attemptId).containsExactly("a1", "a3");
    }

    @Test
    void scriptedResultsAreGivenInOrderThenAcceptanceResumes() {
        sender.failNextWith(SendResult.permanentFailure("21211", "invalid"));
        sender.failNextWith(SendResult.unknown(null, "timeout"));

        assertThat(sender.send(sms("a1", ANN)).outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(sender.send(sms("a2", ANN)).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(sender.send(sms("a3", ANN)).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void aNumberOptedOutAtTheCarrierIsRefusedWith21610() {
        sender.optedOutAtCarrier(ANN);

        SendResult result = sender.send(sms("a1", ANN));

        assertThat(result.outcome()).isEqualTo(Outcome.RECIPIENT_OPTED_OUT);
        assertThat(result.errorCode()).isEqualTo("21610");
        assertThat(sender.send(sms("a2", BOB)).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void looksUpAcceptedAttemptsOfTheSamePracticeOnly() {
        SendResult accepted = sender.send(sms("a1", ANN));
        sender.failNextWith(SendResult.permanentFailure("21211", "invalid"));
        sender.send(sms("a2", ANN));

        assertThat(sender.lookup(PRACTICE, "a1")).hasValueSatisfying(message -> {
            assertThat(message.providerMessageId()).isEqualTo(accepted.providerMessageId());
            assertThat(message.status()).isEqualTo(DeliveryStatus.QUEUED);
        });
        assertThat(sender.lookup(PRACTICE, "a2")).isEmpty();
        assertThat(sender.lookup(PracticeId.of("other"), "a1")).isEmpty();
    }

    @Test
    void redactsOnlyItsOwnMessagesAndClearForgetsEverything() {
        String id = sender.send(sms("a1", ANN)).providerMessageId();

        assertThat(sender.redact(PRACTICE, id)).isTrue();
        assertThat(sender.redact(PracticeId.of("other"), id)).isFalse();
        assertThat(sender.redact(PRACTICE, "IM-unknown")).isFalse();
        assertThat(sender.redacted()).containsExactly(id);

        sender.optedOutAtCarrier(ANN);
        sender.clear();
        assertThat(sender.sent()).isEmpty();
        assertThat(sender.redacted()).isEmpty();
        assertThat(sender.send(sms("a2", ANN)).outcome()).isEqualTo(Outcome.ACCEPTED);
    }
}
