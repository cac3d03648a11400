package dev.followup.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.StorageException;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.message.SendRate;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL is stopped in the middle of a run (right after the provider accepted a text, before
 * the engine could record it) and started again later on the same data directory and port. While
 * it is down every run fails fast and cleanly with a {@link StorageException}; after the restart
 * the pool reconnects on its own, the attempt left PENDING is reconciled with the provider (not
 * sent again), and the run completes: every patient texted exactly once.
 */
class PostgresRestartTest {
    private static final int PATIENTS = 40;
    private static final int STOP_AFTER_SENDS = 10;

    @Test
    void theEngineFailsCleanlyWhileTheDatabaseIsDownAndCompletesAfterItsRestart() throws Exception {
        MutableClock clock = MutableClock.at(Fixtures.MONDAY_10);
        InMemorySmsSender provider = new InMemorySmsSender();
        AtomicInteger sends = new AtomicInteger();
        try (Postgres postgres = new Postgres();
                HikariDataSource dataSource = Fixtures.pool(postgres.newDatabase(), 4, Duration.ofSeconds(1))) {
            JdbiFollowUpStore store = Fixtures.store(dataSource);
            FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(store)
                    .smsSender((OutboundSms sms) -> {
                        SendResult result = provider.send(sms);
                        if (sends.incrementAndGet() == STOP_AFTER_SENDS) {
                            postgres.stop(); // the database goes away between the provider's answer and the engine's record of it
                        }
                        return result;
                    })
                    .practice(Fixtures.practice()).batchSize(10).sendRate(Fixtures.SMS_FROM, SendRate.perSecond(10_000))
                    .pacingSleeper(d -> { }).build();
            engine.ingest(Fixtures.PRACTICE, Fixtures.csv(PATIENTS), null);

            // The first batch's tenth follow-up cannot be recorded; the next batch cannot even be claimed.
            long failStart = System.nanoTime();
            assertThatThrownBy(engine::runDueWork).isInstanceOf(StorageException.class);
            double firstFailure = (System.nanoTime() - failStart) / 1e9;
            // While it is down: each run fails fast (the pool's 1 s connection timeout), nothing is sent.
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(1));
                long t = System.nanoTime();
                assertThatThrownBy(engine::runDueWork).isInstanceOf(StorageException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Pat").doesNotContain("+1312"));
                assertThat((System.nanoTime() - t) / 1e9).isLessThan(10);
            }
            assertThat(provider.sent()).hasSize(STOP_AFTER_SENDS);

            long restart = System.nanoTime();
            postgres.start();
            double startSeconds = (System.nanoTime() - restart) / 1e9;
            // The lease of the follow-up whose send was not recorded runs out (5 min default); then everything is due.
            clock.advance(Duration.ofMinutes(6));
            RunSummary after = RunSummary.EMPTY;
            int runs = 0;
            while (Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_follow_up WHERE next_step = 0") > 0 && runs < 10) {
                after = after.plus(engine.runDueWork());
                runs++;
            }
            double recovered = (System.nanoTime() - restart) / 1e9;

            Map<String, Long> perPhone = provider.sent().stream().collect(Collectors.groupingBy(m -> m.to().e164(), Collectors.counting()));
            assertThat(perPhone).hasSize(PATIENTS);
            assertThat(perPhone.values()).allMatch(n -> n == 1);
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_follow_up WHERE next_step = 0")).isZero();
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = 'PENDING'")).isZero();
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt")).isEqualTo(PATIENTS);
            assertThat(after.errors()).isZero();
            // The reconciled follow-up's next rung (email; no sender here, so it would be skipped to a task) waits 24 h.
            assertThat(after.tasksOpened()).isZero();
            assertThat(engine.openTasks(Fixtures.PRACTICE)).isEmpty();
            assertThat(engine.verifyAuditTrail(Fixtures.PRACTICE).isIntact()).isTrue();
            System.out.printf("postgres restart: first failing run %.1f s; 3 runs while down failed with StorageException; restart took %.1f s;"
                    + " completed %.1f s after the restart began in %d run(s): %s; %d texts, none twice%n", firstFailure, startSeconds, recovered,
                    runs, after, provider.sent().size());
        }
    }
}
