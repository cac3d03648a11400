package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemorySmsSender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node dies in the middle of the send protocol, on PostgreSQL: right after its claim, after it
 * recorded the attempt but before the provider had the message, and after the provider accepted it
 * but before the outcome was recorded. Another node waits for the dead node's leases to expire,
 * reconciles the unfinished attempt, and finishes every follow-up: nothing is lost and no patient
 * gets a second text.
 */
class CrashRecoveryTest {
    private static final int FOLLOW_UPS = 20;
    private static final Duration LEASE = Duration.ofMinutes(2);

    /** Where the node dies. */
    enum CrashPoint {
        /** Its claim committed; it never opened the next transaction. */
        AFTER_CLAIM,
        /** The PENDING attempt is recorded; the provider never got the message. */
        BEFORE_PROVIDER,
        /** The provider accepted the message; the node died before recording that. */
        AFTER_PROVIDER
    }

    /** What a process killed mid-call looks like to the code above it: nothing after this point runs. */
    static final class NodeDied extends Error {
        private static final long serialVersionUID = 1L;
    }

    private HikariDataSource dataSource;
    private JdbiFollowUpStore store;

    @BeforeEach
    void open() {
        dataSource = SharedPostgres.newDatabase(6);
        store = TestKeys.store(dataSource, TestKeys.k1());
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void anotherNodeFinishesTheDeadNodesWorkWithoutLossOrDuplicate(CrashPoint point) throws Exception {
        InMemorySmsSender provider = new InMemorySmsSender();
        InMemoryEmailSender email = new InMemoryEmailSender();
        AtomicBoolean armed = new AtomicBoolean(true);
        SmsSender dyingSender = new SmsSender() {
            @Override
            public SendResult send(OutboundSms sms) {
                if (point == CrashPoint.BEFORE_PROVIDER && armed.getAndSet(false)) {
                    throw new NodeDied();
                }
                SendResult result = provider.send(sms);
                if (point == CrashPoint.AFTER_PROVIDER && armed.getAndSet(false)) {
                    throw new NodeDied();
                }
                return result;
            }

            @Override
            public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
                return provider.lookup(practiceId, attemptId);
            }
        };
        FollowUpStore dyingStore = new FollowUpStore() {
            private final AtomicBoolean claimed = new AtomicBoolean();

            @Override
            public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
                if (point == CrashPoint.AFTER_CLAIM && claimed.get() && armed.getAndSet(false)) {
                    throw new NodeDied();
                }
                return store.inTransaction(practiceId, work);
            }

            @Override
            public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
                List<Claim> claims = store.claimDue(now, limit, owner, leaseUntil);
                claimed.set(!claims.isEmpty());
                return claims;
            }
        };
        EngineCluster doomed = new EngineCluster(dyingStore, 1, 1, n -> dyingSender, n -> email, LEASE);
        EngineCluster survivor = new EngineCluster(store, 1, 1, n -> provider, n -> email, LEASE);
        survivor.clock.set(doomed.clock.instant());
        assertThat(survivor.ingest(0, 0, FOLLOW_UPS)).isEqualTo(FOLLOW_UPS);

        // Into the send window: the doomed node claims everything due and dies on its first follow-up.
        Instant windowOpen = EngineCluster.MONDAY.plus(Duration.ofHours(2).plusMinutes(5));
        doomed.clock.set(windowOpen);
        survivor.clock.set(windowOpen);
        FollowUpEngine dead = doomed.nodes.get(0);
        assertThatThrownBy(dead::runDueWork).isInstanceOf(NodeDied.class);
        int sentBeforeRecovery = provider.sent().size();
        assertThat(sentBeforeRecovery).isEqualTo(point == CrashPoint.AFTER_PROVIDER ? 1 : 0);

        // While the dead node's leases live, the survivor leaves its follow-ups alone.
        FollowUpEngine node = survivor.nodes.get(0);
        assertThat(node.runDueWork().claimed()).isZero();
        assertThat(provider.sent()).hasSize(sentBeforeRecovery);

        // The leases expire; the survivor reconciles and carries on, then runs the whole ladder.
        Instant end = windowOpen.plus(Duration.ofDays(3));
        survivor.clock.advance(LEASE.plusSeconds(1));
        while (survivor.clock.instant().isBefore(end)) {
            assertThat(node.runDueWork().errors()).isZero();
            survivor.clock.advance(Duration.ofHours(1));
        }

        // No patient got a second text; each step was recorded exactly once.
        Map<String, Long> perPhone = provider.sent().stream().collect(Collectors.groupingBy(m -> m.to().e164(), Collectors.counting()));
        assertThat(perPhone.values()).allMatch(n -> n == 1);
        Jdbi jdbi = Jdbi.create(dataSource);
        assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM (SELECT follow_up_id, step FROM followup_send_attempt"
                + " GROUP BY follow_up_id, step HAVING COUNT(*) > 1) d")).isZero();
        assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = 'PENDING'")).isZero();
        int unconfirmed = JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = '"
                + AttemptState.UNCONFIRMED + "'");
        switch (point) {
            // The claim died before any attempt existed: the survivor sends every text itself.
            case AFTER_CLAIM -> {
                assertThat(provider.sent()).hasSize(FOLLOW_UPS);
                assertThat(unconfirmed).isZero();
            }
            // The provider never had it and cannot say so for sure: counted as sent, never risked twice;
            // the email and the staff task still come.
            case BEFORE_PROVIDER -> {
                assertThat(provider.sent()).hasSize(FOLLOW_UPS - 1);
                assertThat(unconfirmed).isEqualTo(1);
            }
            // The provider's lookup finds it: settled as sent, not sent again.
            case AFTER_PROVIDER -> {
                assertThat(provider.sent()).hasSize(FOLLOW_UPS);
                assertThat(unconfirmed).isZero();
            }
        }
        // Nothing lost: every follow-up went through the whole ladder to a staff task.
        assertThat(email.sent()).hasSize(FOLLOW_UPS);
        assertThat(JdbcStoreBehaviour.count(jdbi, "SELECT COUNT(*) FROM followup_follow_up WHERE state = '"
                + FollowUpState.HANDED_TO_STAFF + "'")).isEqualTo(FOLLOW_UPS);
        assertThat(node.openTasks(survivor.practices.get(0).id())).hasSize(FOLLOW_UPS);
        assertThat(node.verifyAuditTrail(survivor.practices.get(0).id()).isIntact()).isTrue();
    }
}
