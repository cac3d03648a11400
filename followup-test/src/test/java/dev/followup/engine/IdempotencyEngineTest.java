package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.SendAttempt;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.PracticeTransaction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Provider events repeat and arrive out of order: each is applied once and a status never moves backwards. */
class IdempotencyEngineTest {

    private static EngineFixture invited(Row row) {
        EngineFixture fx = EngineFixture.create();
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.textsTo(row)).hasSize(1);
        return fx;
    }

    @ParameterizedTest
    @ValueSource(strings = {"YES", "please stop texting me", "HELP", "No thanks", "Can I bring my daughter?"})
    void theSameInboundMessageTwiceIsAppliedOnce(String text) {
        Row row = patient(1);
        EngineFixture fx = invited(row);
        InboundSms sms = new InboundSms(PRACTICE_ID, "SM0123456789abcdef", row.phoneNumber(), text, fx.clock.instant());

        InboundResult first = fx.engine.handleInboundSms(sms);
        int texts = fx.textsTo(row).size();
        int tasks = fx.allTasks().size();
        FollowUp after = fx.followUpOf(row);
        fx.clock.advance(Duration.ofMinutes(3));
        InboundResult second = fx.engine.handleInboundSms(sms);

        assertThat(first.action()).isNotEqualTo(InboundResult.Action.DUPLICATE);
        assertThat(second.action()).isEqualTo(InboundResult.Action.DUPLICATE);
        assertThat(fx.textsTo(row)).hasSize(texts);
        assertThat(texts).as("the first one was answered").isEqualTo(2);
        assertThat(fx.allTasks()).hasSize(tasks);
        assertThat(fx.followUpOf(row)).isEqualTo(after);
    }

    @Test
    void aRepeatedSlotChoiceBooksOnce() {
        Row row = patient(2);
        EngineFixture fx = invited(row);
        fx.reply(row, "YES");
        InboundSms choice = new InboundSms(PRACTICE_ID, "SMchoice1", row.phoneNumber(), "1", fx.clock.instant());

        assertThat(fx.engine.handleInboundSms(choice).action()).isEqualTo(InboundResult.Action.BOOKED);
        assertThat(fx.engine.handleInboundSms(choice).action()).isEqualTo(InboundResult.Action.DUPLICATE);

        assertThat(fx.scheduling.bookingCount()).isEqualTo(1);
        assertThat(fx.textsTo(row)).hasSize(3);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.BOOKED);
    }

    @Test
    void deliveryStatusesRepeatedAndOutOfOrderNeverMoveBackwards() {
        Row row = patient(3);
        EngineFixture fx = invited(row);
        FollowUp f = fx.followUpOf(row);
        SendAttempt invitation = fx.attemptsOf(f).get(0);
        String sid = invitation.providerMessageId();
        assertThat(invitation.deliveryStatus()).isEqualTo(DeliveryStatus.QUEUED);

        assertThat(update(fx, sid, DeliveryStatus.DELIVERED, null)).isTrue();
        assertThat(update(fx, sid, DeliveryStatus.DELIVERED, null)).as("a repeat").isFalse();
        assertThat(update(fx, sid, DeliveryStatus.SENT, null)).as("late and older").isFalse();
        assertThat(update(fx, sid, DeliveryStatus.SENDING, null)).isFalse();
        assertThat(update(fx, sid, DeliveryStatus.UNDELIVERED, "30003")).as("a final outcome is not replaced").isFalse();

        SendAttempt stored = fx.attemptsOf(f).get(0);
        assertThat(stored.deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(stored.state()).isEqualTo(AttemptState.SENT);
        assertThat(stored.errorCode()).isNull();
        fx.runUntil(chicago(2026, 4, 13, 13, 0));
        assertThat(fx.mailsTo(row)).as("the contradicting failure did not move the ladder").isEmpty();
        assertThat(fx.followUpOf(row).nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));

        assertThat(update(fx, sid, DeliveryStatus.READ, null)).isTrue();
        assertThat(fx.attemptsOf(f).get(0).deliveryStatus()).isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void aReportCheckedAgainstAStatusAnotherNodeReplacedMeanwhileIsReadAgainNotWrittenBack() {
        // Twilio's "sent" and "delivered" arrive milliseconds apart on two nodes: "sent" read QUEUED, then "delivered"
        // was written before "sent" wrote. The stale read is played here by the store returning the attempt as it was.
        Row row = patient(6);
        AtomicReference<SendAttempt> staleOnce = new AtomicReference<>();
        EngineFixture fx = EngineFixture.builder().storeWrapper(store -> new FollowUpStore() {
            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                return store.inTransaction(practiceId, tx -> work.apply(readingOnce(tx, staleOnce)));
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                return store.claimDue(now, limit, owner, leaseUntil);
            }
        }).build();
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        SendAttempt queued = fx.attemptsOf(fx.followUpOf(row)).get(0);
        String sid = queued.providerMessageId();
        assertThat(update(fx, sid, DeliveryStatus.DELIVERED, null)).isTrue();

        staleOnce.set(queued);
        boolean applied = update(fx, sid, DeliveryStatus.SENT, null);

        assertThat(staleOnce.get()).as("the stale read was made").isNull();
        assertThat(applied).as("read again after losing the race: SENT does not advance DELIVERED").isFalse();
        assertThat(fx.attemptsOf(fx.followUpOf(row)).get(0).deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    /** A transaction whose next read of an attempt answers {@code stale} instead, once. */
    private static PracticeTransaction readingOnce(PracticeTransaction tx, AtomicReference<SendAttempt> stale) {
        return (PracticeTransaction) Proxy.newProxyInstance(PracticeTransaction.class.getClassLoader(),
                new Class<?>[] {PracticeTransaction.class}, (proxy, method, args) -> {
                    boolean read = method.getName().equals("attempt") || method.getName().equals("attemptByProviderId");
                    SendAttempt answer = read ? stale.getAndSet(null) : null;
                    if (answer != null) {
                        return Optional.of(answer);
                    }
                    try {
                        return method.invoke(tx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void statusesInOrderAdvanceOneByOne() {
        Row row = patient(4);
        EngineFixture fx = invited(row);
        FollowUp f = fx.followUpOf(row);
        String sid = fx.attemptsOf(f).get(0).providerMessageId();

        assertThat(update(fx, sid, DeliveryStatus.SENDING, null)).isTrue();
        assertThat(update(fx, sid, DeliveryStatus.SENT, null)).isTrue();
        assertThat(update(fx, sid, DeliveryStatus.SENT, null)).isFalse();
        assertThat(fx.attemptsOf(f).get(0).deliveryStatus()).isEqualTo(DeliveryStatus.SENT);
        assertThat(update(fx, "SMunknown", DeliveryStatus.DELIVERED, null)).as("an unknown message").isFalse();
    }

    @Test
    void aRepeatedFailureCallbackMovesTheLadderOnce() {
        Row row = patient(5);
        EngineFixture fx = invited(row);
        String sid = fx.textsTo(row).get(0).result().providerMessageId();

        assertThat(update(fx, sid, DeliveryStatus.UNDELIVERED, "30003")).isTrue();
        fx.run();
        assertThat(update(fx, sid, DeliveryStatus.UNDELIVERED, "30003")).isFalse();
        assertThat(update(fx, sid, DeliveryStatus.FAILED, "30003")).isFalse();
        fx.runFor(Duration.ofDays(5));

        assertThat(fx.mailsTo(row)).hasSize(1);
        assertThat(fx.openTasks()).hasSize(1);
    }

    private static boolean update(EngineFixture fx, String sid, DeliveryStatus status, String code) {
        fx.clock.advance(Duration.ofSeconds(5));
        return fx.engine.handleDeliveryUpdate(new DeliveryUpdate(PRACTICE_ID, null, sid, status, code, fx.clock.instant()));
    }
}
