package dev.followup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.EngineHealth;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.consent.ConsentSource;
import dev.followup.conversation.InboundResult;
import dev.followup.conversation.InboundSms;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.Channel;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.message.MessagePurpose;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EngineListener;
import dev.followup.spi.FollowUpStore;
import dev.followup.task.TaskKind;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's listener events, its health snapshot, and a run that is asked to stop early. */
class EngineListenerAndHealthTest {
    private static final PracticeId PRACTICE = PracticeId.of("listen");
    /** Monday 09:00 in Chicago: before the 10:00 send window opens. */
    private final MutableClock clock = MutableClock.at("2026-03-02T15:00:00Z");
    private final InMemorySmsSender sms = new InMemorySmsSender();
    private final InMemoryFollowUpStore store = new InMemoryFollowUpStore();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private FollowUpEngine engine(EngineListener... listeners) {
        return engine(store, listeners);
    }

    private FollowUpEngine engine(FollowUpStore store, EngineListener... listeners) {
        return engine(store, b -> { }, listeners);
    }

    private FollowUpEngine engine(FollowUpStore store, java.util.function.Consumer<FollowUpEngine.Builder> change, EngineListener... listeners) {
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of("America/Chicago"));
        FollowUpEngine.Builder b = FollowUpEngine.builder().clock(clock).store(store).smsSender(sms)
                .slotProvider(scheduling).appointmentBooker(scheduling).nodeId("listen-node")
                .practice(Practice.builder(PRACTICE).name("Listen Clinic").callbackPhone("(555) 010-2000").timeZone("America/Chicago")
                        .smsFrom("+13125550100").emailFrom("care@listen.example").build());
        for (EngineListener l : listeners) {
            b.listener(l);
        }
        change.accept(b);
        return b.build();
    }

    private void ingest(FollowUpEngine engine, int patients) {
        StringBuilder csv = new StringBuilder("MRN,First Name,Last Name,Phone,Provider,Follow-Up Type\n");
        for (int i = 0; i < patients; i++) {
            csv.append("M").append(i).append(",Pat").append((char) ('a' + i / 26)).append((char) ('a' + i % 26)).append(",Doe,(312) 555-01").append(10 + i)
                    .append(",Dr. Who,annual\n");
        }
        engine.ingest(PRACTICE, new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
    }

    private final EngineListener recorder = new EngineListener() {
        @Override
        public void batchClaimed(int size) {
            events.add("batch:" + size);
        }

        @Override
        public void stepLag(PracticeId practiceId, Duration lag) {
            events.add("lag:" + practiceId.value() + ":" + lag);
        }

        @Override
        public void messageRecorded(PracticeId practiceId, Channel channel, MessagePurpose purpose, AttemptState state) {
            events.add("message:" + channel + ":" + purpose + ":" + state);
        }

        @Override
        public void deliveryStatusApplied(PracticeId practiceId, Channel channel, DeliveryStatus status) {
            events.add("delivery:" + channel + ":" + status);
        }

        @Override
        public void replyHandled(PracticeId practiceId, ReplyKind kind, InboundResult.Action action) {
            events.add("reply:" + kind + ":" + action);
        }

        @Override
        public void optedOut(PracticeId practiceId, ConsentSource source) {
            events.add("optout:" + source);
        }

        @Override
        public void taskOpened(PracticeId practiceId, TaskKind kind) {
            events.add("task:" + kind);
        }
    };

    @Test
    void listenersHearClaimsLagSendsDeliveriesRepliesOptOutsAndTasks() {
        AtomicInteger thrown = new AtomicInteger();
        EngineListener failing = new EngineListener() {
            @Override
            public void batchClaimed(int size) {
                thrown.incrementAndGet();
                throw new IllegalStateException("a broken listener");
            }
        };
        FollowUpEngine engine = engine(failing, recorder);
        ingest(engine, 3);
        clock.advance(Duration.ofHours(2)); // 11:00: the window is open; the first step was due at ingestion
        RunSummary run = engine.runDueWork();

        assertThat(run.messagesSent()).as("a throwing listener changes nothing").isEqualTo(3);
        assertThat(thrown).hasValue(1);
        assertThat(events).contains("batch:3");
        assertThat(events.stream().filter(e -> e.startsWith("lag:listen:")).count()).isEqualTo(3);
        assertThat(events.stream().filter(e -> e.equals("message:SMS:OUTREACH:SENT")).count()).isEqualTo(3);

        String attemptId = sms.sent().get(0).attemptId();
        engine.handleDeliveryUpdate(new DeliveryUpdate(PRACTICE, attemptId, "SMabc", DeliveryStatus.DELIVERED, null, clock.instant()));
        assertThat(events).contains("delivery:SMS:DELIVERED");

        engine.handleInboundSms(new InboundSms(PRACTICE, "SM-in-1", PhoneNumber.ofE164("+13125550110"), "STOP", clock.instant()));
        assertThat(events).contains("reply:OPT_OUT:OPTED_OUT", "optout:PATIENT_SMS");
        engine.handleInboundSms(new InboundSms(PRACTICE, "SM-in-2", PhoneNumber.ofE164("+13125550111"), "Can someone call me?",
                clock.instant()));
        assertThat(events).contains("task:REVIEW_REPLY", "message:SMS:REPLY_ACKNOWLEDGEMENT:SENT");
        assertThat(events).allSatisfy(e -> assertThat(e).doesNotContain("555").doesNotContain("Pat"));
    }

    @Test
    void healthReportsTheAgeOfTheOldestOverdueStepAndTheProviders() {
        FollowUpEngine engine = engine();
        EngineHealth empty = engine.health();
        assertThat(empty.oldestDue()).isNull();
        assertThat(empty.oldestOverdueAge()).isZero();
        assertThat(empty.practices()).isEqualTo(1);
        assertThat(empty.smsSender()).isTrue();
        assertThat(empty.emailSender()).isFalse();
        assertThat(empty.slotBooking()).isTrue();
        assertThat(empty.practicesWithoutSender()).as("the practice names an email From but no email sender exists")
                .containsExactly(PRACTICE);

        ingest(engine, 2);
        clock.advance(Duration.ofMinutes(90));
        assertThat(engine.health().oldestOverdueAge()).isEqualTo(Duration.ofMinutes(90));
        clock.advance(Duration.ofMinutes(30)); // 11:00, inside the window
        engine.runDueWork();
        assertThat(engine.health().oldestOverdueAge()).as("nothing is overdue after a run").isZero();
    }

    @Test
    void aRunAskedToStopFinishesTheTextInHandAndReleasesTheRestAtOnce() {
        FollowUpEngine engine = engine(recorder);
        ingest(engine, 30); // more than a group (OutreachRunner.GROUP_SIZE, 25)
        clock.advance(Duration.ofHours(2));
        AtomicInteger asked = new AtomicInteger();
        // Asked before the batch, before the group and before each of its texts: the fourth question (after one text) says stop.
        RunSummary first = engine.runDueWorkUntil(() -> asked.incrementAndGet() > 3);
        assertThat(first.claimed()).isEqualTo(30);
        assertThat(first.messagesSent()).isEqualTo(1);
        assertThat(sms.sent()).hasSize(1);
        // The 29 released follow-ups are claimable again at once, not after their lease expires.
        RunSummary second = engine.runDueWork();
        assertThat(second.claimed()).isEqualTo(29);
        assertThat(sms.sent()).hasSize(30);
    }

    @Test
    void eventsOfATransactionThatRolledBackAreNeverHeard() {
        dev.followup.test.FlakyStore flaky = new dev.followup.test.FlakyStore(store);
        FollowUpEngine engine = engine(flaky, recorder);
        ingest(engine, 1);
        clock.advance(Duration.ofHours(2));
        // The run decides (1), sends, then fails to record the provider's answer (2).
        flaky.failing(n -> n == 2, () -> new IllegalStateException("simulated commit failure"));
        assertThat(engine.runDueWork().errors()).isEqualTo(1);
        assertThat(sms.sent()).hasSize(1);
        assertThat(events).as("the rolled-back record was not counted").noneMatch(e -> e.startsWith("message:"));
        clock.advance(Duration.ofMinutes(6)); // past the lease: the next run reconciles the attempt
        engine.runDueWork();
        assertThat(sms.sent()).as("reconciled, not sent again").hasSize(1);
        assertThat(events.stream().filter(e -> e.startsWith("message:"))).containsExactly("message:SMS:OUTREACH:SENT");
    }

    @Test
    void eachStepsLagIsReportedOnceEvenWhenPacingHandsPartOfAGroupBack() {
        // At one text a second, a group reserves the slots of the next few seconds and hands the rest back to be
        // decided alone: those were already reported by the group and must not be reported again.
        FollowUpEngine engine = engine(store, b -> b.sendRate("+13125550100", dev.followup.message.SendRate.perSecond(1))
                .pacingSleeper(clock::advance), recorder);
        ingest(engine, 12);
        clock.advance(Duration.ofHours(2));
        assertThat(engine.runDueWork().messagesSent()).isEqualTo(12);
        assertThat(events.stream().filter(e -> e.startsWith("lag:"))).hasSize(12);
    }
}
