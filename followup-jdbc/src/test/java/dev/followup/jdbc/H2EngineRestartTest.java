package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.followup.FollowUpState;
import dev.followup.ingest.ImportResult;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemorySmsSender;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default survives a restart: an engine on an H2 file ingests a list and texts it;
 * a new process (new database handle, store and engine) finds the same follow-ups already known
 * and does not text anyone again.
 */
class H2EngineRestartTest {
    private static final int PATIENTS = 40;

    @TempDir
    Path directory;

    @Test
    void aSecondRunFindsTheFirstRunsFollowUpsAlreadyKnown() throws Exception {
        InMemorySmsSender sms = new InMemorySmsSender();
        InMemoryEmailSender email = new InMemoryEmailSender();
        String csv = EngineCluster.csv(0, 0, PATIENTS);
        try (EmbeddedDatabase db = EmbeddedDatabase.open(directory)) {
            EngineCluster first = new EngineCluster(TestKeys.store(db.dataSource(), TestKeys.k1()), 1, 1, n -> sms, n -> email,
                    Duration.ofMinutes(2));
            FollowUpEngine engine = first.nodes.get(0);
            ImportResult imported = engine.ingest(first.practices.get(0).id(), new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
            assertThat(imported.accepted()).isEqualTo(PATIENTS);
            first.clock.advance(Duration.ofHours(3));
            assertThat(engine.runDueWork().messagesSent()).isEqualTo(PATIENTS);
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.open(directory)) {
            EngineCluster second = new EngineCluster(TestKeys.store(db.dataSource(), TestKeys.k1()), 1, 1, n -> sms, n -> email,
                    Duration.ofMinutes(2));
            FollowUpEngine engine = second.nodes.get(0);
            ImportResult again = engine.ingest(second.practices.get(0).id(), new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
            assertThat(again.accepted()).isZero();
            assertThat(again.alreadyKnown()).isEqualTo(PATIENTS);
            second.clock.advance(Duration.ofHours(3));
            engine.runDueWork();
            assertThat(sms.sent()).hasSize(PATIENTS);
            assertThat(engine.verifyAuditTrail(second.practices.get(0).id()).isIntact()).isTrue();
            assertThat(JdbcStoreBehaviour.count(org.jdbi.v3.core.Jdbi.create(db.dataSource()),
                    "SELECT COUNT(*) FROM followup_follow_up WHERE state = '" + FollowUpState.CONTACTING + "'")).isEqualTo(PATIENTS);
        }
    }
}
