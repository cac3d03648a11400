package dev.followup.engine;

import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.ConcurrentUpdateException;
import dev.followup.RunSummary;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.message.SendRate;
import dev.followup.spi.SmsSender;
import dev.followup.test.FlakyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A practice's due follow-ups are decided together and their texts sent one after another: what
 * happens between the group's decision and each send.
 */
class GroupedOutreachTest {
    private final EngineFixture.Row[] rows = {patient(1), patient(2), patient(3)};
    private FlakyStore flaky;

    @Test
    void anOptOutArrivingWhileTheGroupIsSentStopsTheTextsNotSentYet() {
        EngineFixture fx = thirdPatientTextsAfterTheFirstSend("STOP");
        fx.run(); // handed back still due: decided afresh, and closed
        assertThat(fx.followUpOf(rows[2]).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(outreachTo(fx, rows[2])).isEmpty();
    }

    @Test
    void aReplyArrivingWhileTheGroupIsSentStopsTheOutreachToThatPatient() {
        // Not an opt-out: the group's decision is stale because the follow-up changed, not because consent did.
        EngineFixture fx = thirdPatientTextsAfterTheFirstSend("no thanks");
        assertThat(fx.followUpOf(rows[2]).state()).isEqualTo(FollowUpState.DECLINED);
        fx.run();
        assertThat(outreachTo(fx, rows[2])).isEmpty();
    }

    @Test
    void anOptOutArrivingWhileALoneSendWaitsForItsPacingSlotStopsThatText() {
        // At one text a second, a follow-up due just after another text is decided alone and waits a second for its slot.
        EngineFixture.Row second = patient(4);
        AtomicReference<EngineFixture> fixture = new AtomicReference<>();
        AtomicInteger waits = new AtomicInteger();
        EngineFixture fx = EngineFixture.builder().engine(b -> b.sendRate("+13125550199", SendRate.perSecond(1)).pacingSleeper(wait -> {
            waits.incrementAndGet();
            fixture.get().reply(second, "STOP");
            fixture.get().clock.advance(wait);
        })).build();
        fixture.set(fx);
        fx.ingestNew(rows[0]);
        fx.clock.advance(Duration.ofHours(2));
        assertThat(fx.run().messagesSent()).isEqualTo(1);
        fx.ingestNew(second);

        RunSummary run = fx.run();

        assertThat(waits).as("waited for its pacing slot").hasValue(1);
        assertThat(run.messagesSent()).isZero();
        assertThat(outreachTo(fx, second)).as("checked again when the wait was over, at the moment of sending").isEmpty();
        fx.run(); // handed back still due: decided afresh, and closed
        assertThat(fx.followUpOf(second).state()).isEqualTo(FollowUpState.OPTED_OUT);
        assertThat(outreachTo(fx, second)).isEmpty();
    }

    /**
     * The group of three is decided with no reply from anyone; the third patient texts {@code reply}
     * right after the first text went out: only the first two get their text.
     */
    private EngineFixture thirdPatientTextsAfterTheFirstSend(String reply) {
        AtomicReference<EngineFixture> fixture = new AtomicReference<>();
        AtomicInteger outreach = new AtomicInteger();
        EngineFixture fx = EngineFixture.builder().smsWrapper(inner -> (SmsSender) sms -> {
            var result = inner.send(sms);
            if (outreach.incrementAndGet() == 1) {
                fixture.get().reply(rows[2], reply);
            }
            return result;
        }).build();
        fixture.set(fx);
        fx.ingestNew(rows);
        fx.clock.advance(Duration.ofHours(2)); // 11:00, inside the send window: all three are due

        RunSummary run = fx.run();

        assertThat(run.messagesSent()).isEqualTo(2);
        assertThat(outreachTo(fx, rows[2])).as("checked again at the moment of sending").isEmpty();
        assertThat(outreachTo(fx, rows[0])).hasSize(1);
        assertThat(outreachTo(fx, rows[1])).hasSize(1);
        return fx;
    }

    @Test
    void whenAReplyRacesTheGroupsRecordEachAnswerIsRecordedAloneNothingLostOrSentTwice() {
        // The group's decision (1), three intents (2-4), then the answers of all three (5), which loses a race.
        EngineFixture fx = flakyFixture();
        fx.ingestNew(rows);
        fx.clock.advance(Duration.ofHours(2));
        flaky.failing(n -> n == 5, () -> new ConcurrentUpdateException("simulated lost race"));

        RunSummary run = fx.run();

        assertThat(run.messagesSent()).isEqualTo(3);
        assertThat(run.errors()).isZero();
        assertThat(fx.sms.sent()).hasSize(3);
        assertThat(fx.attempts()).extracting(SendAttempt::state).containsOnly(AttemptState.SENT);
        for (EngineFixture.Row row : rows) {
            assertThat(fx.followUpOf(row).nextStep()).as("the ladder moved on once").isEqualTo(1);
        }
        fx.runFor(Duration.ofHours(1));
        assertThat(fx.sms.sent()).as("nothing sent twice").hasSize(3);
    }

    @Test
    void whenTheStoreFailsToRecordTheGroupsAnswersTheyAreReconciledAfterTheLeasesNotTriedOneByOne() {
        EngineFixture fx = flakyFixture();
        fx.ingestNew(rows);
        fx.clock.advance(Duration.ofHours(2));
        flaky.failing(n -> n == 5, () -> new IllegalStateException("simulated outage"));

        RunSummary run = fx.run();

        assertThat(run.errors()).isEqualTo(3);
        assertThat(flaky.transactions()).as("no transaction per send after the failure").isEqualTo(5);
        assertThat(fx.attempts()).extracting(SendAttempt::state).containsOnly(AttemptState.PENDING);
        fx.clock.advance(Duration.ofMinutes(6)); // past the leases: the provider's lookup settles each attempt
        RunSummary recovery = fx.run();
        assertThat(recovery.errors()).isZero();
        assertThat(fx.attempts()).extracting(SendAttempt::state).containsOnly(AttemptState.SENT);
        for (EngineFixture.Row row : rows) {
            assertThat(fx.followUpOf(row).nextStep()).isEqualTo(1);
        }
        assertThat(fx.sms.sent()).as("nothing sent twice").hasSize(3);
    }

    /** A fixture whose store is {@link #flaky}. */
    private EngineFixture flakyFixture() {
        return EngineFixture.builder().storeWrapper(store -> flaky = new FlakyStore(store)).build();
    }

    private static List<SendAttempt> outreachTo(EngineFixture fx, EngineFixture.Row row) {
        return fx.attempts().stream().filter(a -> a.purpose() == MessagePurpose.OUTREACH)
                .filter(a -> a.followUpId() != null && a.followUpId().equals(fx.followUpOf(row).id())).toList();
    }
}
