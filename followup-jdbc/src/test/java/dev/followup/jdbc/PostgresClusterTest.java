package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.followup.FollowUpState;
import dev.followup.practice.Practice;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.OutboundSms;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemorySmsSender;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Four engine nodes on one PostgreSQL take 10,000 follow-ups ({@code -Dfollowup.cluster.followUps=N} for
 * another size; CI's second-JDK run uses a smaller one) through the whole ladder (SMS, email
 * after 24 h, staff task after 48 h) at the same time. Every step runs exactly once: one SMS and one
 * email per patient at the provider, one attempt per step in the database (its unique key), one
 * task per follow-up, and every follow-up ends handed to staff. The same holds for one node whose
 * due work runs on four threads at once, a fifth of the size.
 */
class PostgresClusterTest {
    private static final int NODES = 4;
    private static final int PRACTICES = 4;
    private static final int FOLLOW_UPS = Integer.getInteger("followup.cluster.followUps", 10_000);

    @Test
    void fourNodesTakeEveryStepExactlyOnce() throws Exception {
        takeEveryStepExactlyOnce(FOLLOW_UPS, NODES, cluster -> cluster.nodes);
    }

    @Test
    void oneNodeOnFourThreadsTakesEveryStepExactlyOnce() throws Exception {
        takeEveryStepExactlyOnce(FOLLOW_UPS / 5, 1, cluster -> Collections.nCopies(4, cluster.nodes.get(0)));
    }

    /**
     * @param runs the engines whose due work runs at once, each on a thread of its own (the same
     *     engine may be listed more than once)
     */
    private static void takeEveryStepExactlyOnce(int followUps, int nodes, Function<EngineCluster, List<FollowUpEngine>> runs)
            throws Exception {
        long started = System.nanoTime();
        InMemorySmsSender sms = new InMemorySmsSender();
        InMemoryEmailSender email = new InMemoryEmailSender();
        try (HikariDataSource dataSource = SharedPostgres.newDatabase(12)) {
            JdbiFollowUpStore store = TestKeys.store(dataSource, TestKeys.k1());
            EngineCluster cluster = new EngineCluster(store, PRACTICES, nodes, n -> sms, n -> email, Duration.ofMinutes(5));
            List<FollowUpEngine> running = runs.apply(cluster);
            ExecutorService pool = Executors.newFixedThreadPool(running.size());
            try {
                int perPractice = followUps / PRACTICES;
                int accepted = 0;
                for (int p = 0; p < PRACTICES; p++) {
                    accepted += cluster.ingest(p, 0, perPractice);
                }
                assertThat(accepted).isEqualTo(followUps);
                long ingested = System.nanoTime();
                RunSummary total = RunSummary.EMPTY;
                Instant end = EngineCluster.MONDAY.plus(Duration.ofDays(3)).plus(Duration.ofHours(8));
                while (cluster.clock.instant().isBefore(end)) {
                    total = total.plus(cluster.runAll(pool, running));
                    cluster.clock.advance(Duration.ofHours(1));
                }
                total = total.plus(cluster.runAll(pool, running));
                System.out.printf("cluster: %d follow-ups ingested in %.1f s, ladder run in %.1f s by %d runs at once; %s%n", followUps,
                        (ingested - started) / 1e9, (System.nanoTime() - ingested) / 1e9, running.size(), total);
                assertThat(total.errors()).isZero();
            } finally {
                pool.shutdownNow();
            }

            // At the providers: one SMS and one email per patient, never two.
            Map<String, Long> smsPerPhone = sms.sent().stream().collect(Collectors.groupingBy(m -> m.to().e164(), Collectors.counting()));
            assertThat(smsPerPhone).hasSize(followUps);
            assertThat(smsPerPhone.values()).allMatch(n -> n == 1);
            assertThat(sms.sent()).hasSize(followUps);
            Map<String, Long> emailPerAddress = email.sent().stream()
                    .collect(Collectors.groupingBy(m -> m.to().value(), Collectors.counting()));
            assertThat(emailPerAddress).hasSize(followUps);
            assertThat(emailPerAddress.values()).allMatch(n -> n == 1);

            // In the database: one attempt per follow-up and step, all sent; every case with staff.
            Jdbi jdbi = Jdbi.create(dataSource);
            assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM followup_send_attempt")).isEqualTo(2 * followUps);
            assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM (SELECT follow_up_id, step FROM followup_send_attempt"
                    + " GROUP BY follow_up_id, step HAVING COUNT(*) > 1) d")).isZero();
            assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM followup_send_attempt WHERE state <> 'SENT'")).isZero();
            assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM followup_follow_up WHERE state <> '"
                    + FollowUpState.HANDED_TO_STAFF + "'")).isZero();
            FollowUpEngine any = new EngineCluster(store, PRACTICES, 1, n -> sms, n -> email, Duration.ofMinutes(5)).nodes.get(0);
            int tasks = 0;
            for (Practice practice : new EngineCluster(store, PRACTICES, 1, n -> sms, n -> email, Duration.ofMinutes(5)).practices) {
                List<StaffTask> open = any.openTasks(practice.id());
                assertThat(open).allMatch(t -> t.kind() == TaskKind.CALL_PATIENT);
                assertThat(open.stream().map(StaffTask::followUpId).distinct().count()).isEqualTo(open.size());
                tasks += open.size();
                assertThat(any.verifyAuditTrail(practice.id()).isIntact()).isTrue();
            }
            assertThat(tasks).isEqualTo(followUps);
        }
        System.out.printf("cluster test took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static String phones(List<OutboundSms> sent) {
        return sent.size() + " messages";
    }
}
