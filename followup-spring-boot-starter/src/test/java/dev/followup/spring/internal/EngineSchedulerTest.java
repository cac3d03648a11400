package dev.followup.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.StorageException;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SmsSender;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The scheduler's graceful stop, and the health indicator's lag threshold, on a real engine. */
class EngineSchedulerTest {
    private static final PracticeId PRACTICE = PracticeId.of("sched");
    /** Monday 11:00 in Chicago: inside the send window. */
    private final MutableClock clock = MutableClock.at("2026-03-02T17:00:00Z");
    private final InMemoryFollowUpStore store = new InMemoryFollowUpStore();

    private FollowUpEngine engine(SmsSender sms) {
        return engine(sms, 100);
    }

    private FollowUpEngine engine(SmsSender sms, int batchSize) {
        return engine(sms, batchSize, store);
    }

    private FollowUpEngine engine(SmsSender sms, int batchSize, FollowUpStore on) {
        return FollowUpEngine.builder().clock(clock).store(on).smsSender(sms).nodeId("sched-node").batchSize(batchSize)
                .pacingSleeper(d -> clock.advance(d))
                .practice(Practice.builder(PRACTICE).name("Sched Clinic").callbackPhone("(555) 010-2000").timeZone("America/Chicago")
                        .smsFrom("+13125550100").build())
                .build();
    }

    private void ingest(FollowUpEngine engine, int patients) {
        StringBuilder csv = new StringBuilder("MRN,First Name,Last Name,Phone,Provider,Follow-Up Type\n");
        for (int i = 0; i < patients; i++) {
            csv.append("M").append(i).append(",Pat,Doe").append(i).append(",(312) 555-01").append(10 + i).append(",Dr. Who,annual\n");
        }
        engine.ingest(PRACTICE, new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void fourWorkersSendFourTextsAtOnceAndEachTextOnce() throws Exception {
        InMemorySmsSender delegate = new InMemorySmsSender();
        CountDownLatch fourAtOnce = new CountDownLatch(4);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        // The first texts wait for each other: all four can only arrive if four runs send at once.
        SmsSender meeting = sms -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                fourAtOnce.countDown();
                await(fourAtOnce);
                return delegate.send(sms);
            } finally {
                inFlight.decrementAndGet();
            }
        };
        FollowUpEngine engine = engine(meeting, 5);
        ingest(engine, 40);
        EngineScheduler scheduler = new EngineScheduler(engine, clock, 4, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(10));
        scheduler.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (delegate.sent().size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            scheduler.stop();
        }
        assertThat(mostInFlight.get()).as("texts at the provider at once").isEqualTo(4);
        assertThat(delegate.sent()).hasSize(40);
        assertThat(delegate.sent().stream().map(m -> m.to().e164()).distinct().count()).as("patients texted").isEqualTo(40);
        assertThat(scheduler.lastFailure()).isNull();
    }

    /** Each worker has the first follow-up of its batch at the provider when the stop comes. */
    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void stopWaitsForTheFollowUpInHandOfEveryWorkerAndTheRestAreReleasedForTheNextNode(int workers) throws Exception {
        InMemorySmsSender delegate = new InMemorySmsSender();
        CountDownLatch allInProvider = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        SmsSender slow = sms -> {
            if (calls.incrementAndGet() <= workers) {
                allInProvider.countDown();
                await(release);
            }
            return delegate.send(sms);
        };
        int patients = 3 * workers;
        FollowUpEngine engine = engine(slow, 3);
        ingest(engine, patients);
        EngineScheduler scheduler = new EngineScheduler(engine, clock, workers, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofSeconds(10));
        scheduler.start();
        assertThat(allInProvider.await(10, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(scheduler::stop);
        stopper.start();
        Thread.sleep(200);
        assertThat(stopper.isAlive()).as("stop waits for the sends in flight").isTrue();
        release.countDown();
        stopper.join(10_000);
        assertThat(stopper.isAlive()).isFalse();
        assertThat(scheduler.isRunning()).isFalse();
        assertThat(delegate.sent()).as("each worker finished the follow-up in hand and started no other").hasSize(workers);

        // Another node (or this one after a restart) takes the rest at once: their claims were released.
        FollowUpEngine next = engine(delegate);
        assertThat(next.runDueWork().claimed()).isEqualTo(patients - workers);
        assertThat(delegate.sent()).hasSize(patients);
    }

    @Test
    void thePurgeRunsWhileTheWorkerIsInTheProvider() throws Exception {
        AtomicInteger transactions = new AtomicInteger();
        FollowUpStore counting = new FollowUpStore() {
            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                transactions.incrementAndGet();
                return store.inTransaction(practiceId, work);
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                return store.claimDue(now, limit, owner, leaseUntil);
            }
        };
        CountDownLatch inProvider = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemorySmsSender delegate = new InMemorySmsSender();
        SmsSender stuck = sms -> {
            inProvider.countDown();
            await(release);
            return delegate.send(sms);
        };
        FollowUpEngine engine = engine(stuck, 100, counting);
        ingest(engine, 1);
        EngineScheduler scheduler = new EngineScheduler(engine, clock, 1, Duration.ofHours(1), Duration.ofMillis(20), Duration.ofSeconds(10));
        scheduler.start();
        try {
            assertThat(inProvider.await(10, TimeUnit.SECONDS)).isTrue();
            int before = transactions.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (transactions.get() == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(transactions.get()).as("purge transactions while the only worker waits on the provider").isGreaterThan(before);
        } finally {
            release.countDown();
            scheduler.stop();
        }
        assertThat(delegate.sent()).hasSize(1);
    }

    @Test
    void workersAreBetweenOneAndSixtyFour() {
        FollowUpEngine engine = engine(new InMemorySmsSender());
        for (int workers : new int[] {0, 65}) {
            assertThatThrownBy(() -> new EngineScheduler(engine, clock, workers, Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessage("followup.engine.workers must be 1 to 64, was " + workers);
        }
    }

    @Test
    void stopGivesUpWaitingAfterTheTimeoutWithoutInterruptingTheRun() throws Exception {
        CountDownLatch inProvider = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        InMemorySmsSender delegate = new InMemorySmsSender();
        SmsSender stuck = sms -> {
            inProvider.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            return delegate.send(sms);
        };
        FollowUpEngine engine = engine(stuck);
        ingest(engine, 1);
        EngineScheduler scheduler = new EngineScheduler(engine, clock, 1, Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(300));
        scheduler.start();
        assertThat(inProvider.await(10, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        scheduler.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
        Thread.sleep(200);
        assertThat(interrupted).hasValue(0);
        assertThat(delegate.sent()).hasSize(1);
    }

    @Test
    void aFailingRunIsReportedAndTheScheduleGoesOn() throws Exception {
        CountDownLatch twice = new CountDownLatch(2);
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(new FollowUpStore() {
            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                throw new StorageException("down");
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                twice.countDown();
                throw new StorageException("database down");
            }
        }).practice(Practice.builder(PRACTICE).name("X").callbackPhone("1").timeZone("UTC").smsFrom("+15555550100").build()).build();
        EngineScheduler scheduler = new EngineScheduler(engine, clock, 1, Duration.ofMillis(50), Duration.ofHours(1), Duration.ofSeconds(1));
        scheduler.start();
        try {
            assertThat(twice.await(10, TimeUnit.SECONDS)).as("a failed run does not cancel the schedule").isTrue();
            assertThat(scheduler.lastFailure()).isEqualTo("StorageException");
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void healthIsDownWhenTheOldestOverdueStepWaitedLongerThanTheMaximumLag() {
        FollowUpEngine engine = engine(new InMemorySmsSender());
        ingest(engine, 2);
        EngineHealthIndicator indicator = new EngineHealthIndicator(engine, Duration.ofMinutes(15), null);
        clock.advance(Duration.ofMinutes(10));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        clock.advance(Duration.ofMinutes(10));
        Health behind = indicator.health();
        assertThat(behind.getStatus()).isEqualTo(Status.DOWN);
        assertThat(behind.getDetails()).containsEntry("oldestOverdueSeconds", 1200L);
        engine.runDueWork();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
