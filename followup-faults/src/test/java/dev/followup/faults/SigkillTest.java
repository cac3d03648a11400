package dev.followup.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.message.SendRate;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.SmsSender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An engine node in its own JVM is killed with SIGKILL ({@link Process#destroyForcibly()} on
 * Linux) in the middle of a batch, while it holds the leases of every follow-up it claimed and
 * has texted some of them through an SMS sink both JVMs reach over HTTP. The node in the test JVM
 * waits for the leases to run out (5 s, real time), reconciles the attempt that was in flight by
 * asking the sink, and finishes the batch: every follow-up takes its first step, and no patient
 * is texted twice (counted at the sink). The node runs its due work as one run, and as four at
 * once (the starter's default workers), which leaves up to four texts in flight at the kill.
 */
class SigkillTest {
    private static final int PATIENTS = 60;
    private static final Duration LEASE = Duration.ofSeconds(5);

    /** @param runs the runs of due work the node has going at once: its batches split the patients between them */
    static FollowUpEngine node(String id, Clock clock, FollowUpStore store, SmsSender sms, Duration lease, int runs) {
        return FollowUpEngine.builder().clock(clock).store(store).smsSender(sms).practice(Fixtures.practice()).nodeId(id)
                .lease(lease).batchSize(PATIENTS / runs).sendRate(Fixtures.SMS_FROM, SendRate.perSecond(10_000)).pacingSleeper(d -> { })
                .build();
    }

    @ParameterizedTest(name = "{0} run(s) at once")
    @ValueSource(ints = {1, 4})
    void aNodeKilledMidBatchLosesNoFollowUpAndTextsNoPatientTwice(int runs) throws Exception {
        // Both JVMs run on the real clock shifted to Monday 10:00 in Chicago, inside the send window.
        Duration offset = Duration.between(Instant.now(), Fixtures.MONDAY_10);
        Clock clock = Clock.offset(Clock.systemUTC(), offset);
        String jdbcUrl = Postgres.shared().newDatabase();
        try (SmsSink sink = new SmsSink(); HikariDataSource dataSource = Fixtures.pool(jdbcUrl, 4, Duration.ofSeconds(5))) {
            sink.delayEachSend(100); // a slow provider: the texts take 6 s one by one, 1.5 s four at once: the kill lands in the middle
            JdbiFollowUpStore store = Fixtures.store(dataSource);
            FollowUpEngine survivor = node("survivor", clock, store, new HttpSmsSender(sink.baseUrl()), LEASE, 1);
            survivor.ingest(Fixtures.PRACTICE, Fixtures.csv(PATIENTS), null);

            Path log = Files.createTempFile("followup-node", ".log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), NodeMain.class.getName(), jdbcUrl, sink.baseUrl(), Long.toString(offset.toMillis()),
                    Long.toString(LEASE.toSeconds()), Integer.toString(runs)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sink.sends().size() < PATIENTS / 4 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("the node is still in its batch; its log: " + Files.readString(log)).isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released, an attempt maybe in flight
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();
            int sentBeforeKill = sink.sends().size();
            long pendingAtKill = Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = 'PENDING'");
            long leasedAtKill = Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_follow_up WHERE claimed_by LIKE 'child#%'");

            // The survivor runs every half second, as a scheduler would; it can take nothing until the leases expire.
            double takeover = -1;
            while (remaining(dataSource) > 0 && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(60)) {
                long runStart = System.nanoTime();
                int claimed = survivor.runDueWork().claimed();
                if (claimed > 0 && takeover < 0) {
                    takeover = (runStart - killed) / 1e9; // the first run after the dead node's leases expired
                }
                if (remaining(dataSource) > 0) {
                    Thread.sleep(500);
                }
            }
            double recovery = (System.nanoTime() - killed) / 1e9;

            assertThat(remaining(dataSource)).as("follow-ups that have not taken their first step").isZero();
            Map<String, Long> perPhone = sink.sends().stream().collect(Collectors.groupingBy(SmsSink.Send::to, Collectors.counting()));
            assertThat(perPhone.values()).as("texts per patient at the sink").allMatch(n -> n == 1);
            // Every attempt settled; one per follow-up. An attempt killed before its request left the node would be
            // UNCONFIRMED (counted as sent, not repeated): the sink shows none was lost that way here.
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = 'PENDING'")).isZero();
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt")).isEqualTo(PATIENTS);
            long unconfirmed = Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = 'UNCONFIRMED'");
            assertThat(perPhone).hasSize((int) (PATIENTS - unconfirmed));
            assertThat(unconfirmed).as("at most one text in flight per run").isLessThanOrEqualTo(runs);
            assertThat(survivor.verifyAuditTrail(Fixtures.PRACTICE).isIntact()).isTrue();
            System.out.printf("sigkill, %d run(s) at once: %d follow-ups; killed after %d texts with %d leases held and %d attempt(s) pending; survivor claimed"
                    + " %.1f s after the kill and finished in %.1f s after the kill (lease %d s); %d texts in all, none twice, %d unconfirmed%n", runs, PATIENTS,
                    sentBeforeKill, leasedAtKill, pendingAtKill, takeover, recovery, LEASE.toSeconds(), sink.sends().size(), unconfirmed);
            Files.deleteIfExists(log);
        }
    }

    /** @return follow-ups still waiting for their first step (an SMS taken moves them to step 1) */
    private static long remaining(javax.sql.DataSource dataSource) {
        return Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_follow_up WHERE next_step = 0");
    }

}
