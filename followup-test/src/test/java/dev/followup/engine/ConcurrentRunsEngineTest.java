package dev.followup.engine;

import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.RunSummary;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.message.AttemptState;
import dev.followup.message.SendAttempt;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs of one engine on several threads at once: what a node does to send more than one text per
 * provider round trip. They share the work without sharing a follow-up, and a run whose lease ran
 * out cannot act on the lease of the run that took its follow-ups over.
 */
class ConcurrentRunsEngineTest {
    private static final long WAIT_SECONDS = 20;
    /** When the texts of the list ingested at 09:00 are due. */
    private static final Instant TEN = chicago(2026, 4, 13, 10, 0);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void fourRunsAtOnceSendEveryTextOnceAndTogether() throws Exception {
        int runs = 4;
        CountDownLatch allSending = new CountDownLatch(runs);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        // The first texts of the runs wait for each other: they can only all arrive if the runs overlap.
        EngineFixture fx = EngineFixture.builder().engine(b -> b.batchSize(10)).smsWrapper(sender -> sending(sender, sms -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                allSending.countDown();
                await(allSending);
                return sender.send(sms);
            } finally {
                inFlight.decrementAndGet();
            }
        })).build();
        List<Row> rows = IntStream.range(0, 100).mapToObj(EngineFixture::patient).toList();
        fx.ingestNew(rows.toArray(Row[]::new));
        fx.clock.set(TEN);

        List<Future<RunSummary>> started = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            started.add(threads.submit(fx::run));
        }
        RunSummary total = RunSummary.EMPTY;
        for (Future<RunSummary> run : started) {
            total = total.plus(run.get(WAIT_SECONDS, TimeUnit.SECONDS));
        }

        assertThat(mostInFlight.get()).as("texts at the provider at once").isEqualTo(runs);
        assertThat(total.messagesSent()).isEqualTo(100);
        assertThat(total.errors()).isZero();
        assertThat(total.claimed()).as("no follow-up claimed by two runs").isEqualTo(100);
        for (Row row : rows) {
            assertThat(fx.textsTo(row)).as("texts to patient %s", row.mrn()).hasSize(1);
        }
        assertThat(fx.attempts()).hasSize(100).allMatch(a -> a.state() == AttemptState.SENT);
    }

    /**
     * Run A claims two follow-ups and stalls past their lease; run B of the same engine takes both
     * over and is sending the first when A wakes. A must neither send nor settle anything: the
     * leases are B's, though both runs are the same node's.
     */
    @Test
    void aRunWhoseLeaseRanOutLeavesItsFollowUpsToTheRunThatTookThemOver() throws Exception {
        CountDownLatch aClaimed = new CountDownLatch(1);
        CountDownLatch aGoesOn = new CountDownLatch(1);
        CountDownLatch bSending = new CountDownLatch(1);
        CountDownLatch bGoesOn = new CountDownLatch(1);
        AtomicBoolean firstClaim = new AtomicBoolean(true);
        AtomicBoolean firstSend = new AtomicBoolean(true);
        EngineFixture fx = EngineFixture.builder().engine(b -> b.batchSize(2))
                .storeWrapper(EngineFixture.afterEachClaim(claims -> {
                    if (firstClaim.getAndSet(false)) {
                        aClaimed.countDown();
                        await(aGoesOn);
                    }
                }))
                .smsWrapper(sender -> sending(sender, sms -> {
                    if (firstSend.getAndSet(false)) {
                        bSending.countDown();
                        await(bGoesOn);
                    }
                    return sender.send(sms);
                })).build();
        Row first = patient(1);
        Row second = patient(2);
        fx.ingestNew(first, second);
        fx.clock.set(TEN);

        Future<RunSummary> a = threads.submit(fx::run);
        await(aClaimed);
        fx.clock.advance(Duration.ofMinutes(6)); // past the 5-minute lease
        Future<RunSummary> b = threads.submit(fx::run);
        await(bSending);
        aGoesOn.countDown();
        RunSummary ofA = a.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(fx.run().claimed()).as("a third run while B still holds both").isZero();
        bGoesOn.countDown();
        RunSummary ofB = b.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(ofA.messagesSent()).as("texts sent by the run that lost its leases").isZero();
        assertThat(ofB.messagesSent()).isEqualTo(2);
        assertThat(ofA.errors() + ofB.errors()).isZero();
        assertThat(fx.textsTo(first)).hasSize(1);
        assertThat(fx.textsTo(second)).hasSize(1);
        assertThat(fx.attempts()).extracting(SendAttempt::state).containsExactly(AttemptState.SENT, AttemptState.SENT);
    }

    /**
     * Two runs each decide a group holding one of a patient's two follow-ups before either records
     * its text. The contact limit (one a day) is counted again, under the recipient's lock, when a
     * text is recorded: the second waits for the next day's opening.
     */
    @Test
    void twoRunsThatDecidedTextsToOnePatientAtOnceSendOneThatDay() throws Exception {
        CountDownLatch bothDecided = new CountDownLatch(2);
        ThreadLocal<Integer> transactions = ThreadLocal.withInitial(() -> -1); // counted on the runs' threads only
        EngineFixture fx = EngineFixture.builder().engine(b -> b.batchSize(2)).storeWrapper(store -> new FollowUpStore() {
            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                int before = transactions.get();
                if (before < 0) {
                    return store.inTransaction(practiceId, work);
                }
                transactions.set(before + 1);
                if (before == 1) {
                    await(bothDecided); // the run's first text waits until the other run decided its group too
                }
                T result = store.inTransaction(practiceId, work);
                if (before == 0) {
                    bothDecided.countDown();
                }
                return result;
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                return store.claimDue(now, limit, owner, leaseUntil);
            }
        }).build();
        Row postOp = patient(1);
        Row labReview = patient(1).type("Lab Review");
        fx.ingestNew(postOp, patient(2), labReview, patient(3));
        fx.clock.set(TEN);

        List<Future<RunSummary>> started = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            started.add(threads.submit(() -> {
                transactions.set(0);
                return fx.run();
            }));
        }
        for (Future<RunSummary> run : started) {
            run.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        fx.runUntil(chicago(2026, 4, 13, 20, 0));

        assertThat(fx.textsTo(postOp)).as("texts to the patient on Monday").hasSize(1);
        assertThat(fx.followUpsOf(postOp)).as("the follow-up not texted waits for Tuesday's opening")
                .anySatisfy(f -> assertThat(f.nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0)));
        assertThat(fx.textsTo(patient(2))).hasSize(1);
        assertThat(fx.textsTo(patient(3))).hasSize(1);
    }

    /**
     * A group's texts go out one after another; a provider that takes 10 s a text makes the last
     * of 25 wait four minutes. The window (weekdays 10:00-14:00) is checked again as each is
     * recorded: those whose moment came after 14:00 go at the next opening.
     */
    @Test
    void aGroupsTextsThatWouldGoAfterTheWindowClosesWaitForItsNextOpening() {
        java.util.concurrent.atomic.AtomicReference<EngineFixture> fixture = new java.util.concurrent.atomic.AtomicReference<>();
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 13, 13, 58)).smsWrapper(sender -> sending(sender, sms -> {
            SendResult answer = sender.send(sms);
            fixture.get().clock.advance(Duration.ofSeconds(10)); // the answer's round trip
            return answer;
        })).build();
        fixture.set(fx);
        List<Row> rows = IntStream.range(0, 25).mapToObj(EngineFixture::patient).toList();
        fx.ingestNew(rows.toArray(Row[]::new));

        fx.run();
        fx.runUntil(chicago(2026, 4, 14, 12, 0));

        for (Row row : rows) {
            assertThat(fx.textsTo(row)).as("texts to patient %s", row.mrn()).singleElement().satisfies(text -> {
                java.time.ZonedDateTime local = text.at().atZone(EngineFixture.CHICAGO);
                assertThat(local.toLocalTime()).as("sent at %s", local).isBefore(java.time.LocalTime.of(14, 0))
                        .isAfterOrEqualTo(java.time.LocalTime.of(10, 0));
            });
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("waited " + WAIT_SECONDS + " s for another run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static SmsSender sending(SmsSender delegate, Function<OutboundSms, SendResult> send) {
        return new SmsSender() {
            @Override
            public SendResult send(OutboundSms sms) {
                return send.apply(sms);
            }

            @Override
            public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
                return delegate.lookup(practiceId, attemptId);
            }
        };
    }
}
