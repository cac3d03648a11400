package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.audit.AuditType;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.message.SendAttempt;
import dev.followup.report.WeeklyReport;
import dev.followup.task.StaffTask;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Message bodies (PHI) are purged after the retention period; reports and the audit trail keep working. */
class RetentionEngineTest {
    static final LocalDate WEEK = LocalDate.of(2026, 4, 13);

    /** A week of outreach with a booking, a free-text reply kept on a task, and silence; returns the inbound texts sent. */
    private static int aWeek(EngineFixture fx) {
        Row booker = patient(1);
        Row writer = patient(2);
        Row silent = patient(3);
        fx.ingestNew(booker, writer, silent);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(booker, "YES");
        fx.clock.advance(Duration.ofMinutes(10));
        fx.reply(booker, "2");
        fx.reply(writer, "I moved to Denver, can you send my records?");
        fx.runUntil(chicago(2026, 4, 19, 23, 0));
        assertThat(fx.allTasks()).anySatisfy(t -> assertThat(t.replyText()).isNotNull());
        return 3;
    }

    @Test
    void bodiesArePurgedAfterThirtyDaysAndTheReportAndTrailStay() {
        EngineFixture fx = EngineFixture.create();
        int inbound = aWeek(fx);
        WeeklyReport before = fx.engine.weeklyReport(PRACTICE_ID, WEEK);
        assertThat(before.booked()).isEqualTo(1);
        assertThat(fx.attempts()).allSatisfy(a -> assertThat(a.body()).isNotBlank());

        fx.clock.set(chicago(2026, 5, 12, 9, 0)); // 29 days after the last message of the week
        assertThat(fx.engine.purgeExpiredMessageBodies()).as("nothing is old enough yet").isZero();

        fx.clock.set(chicago(2026, 5, 21, 9, 0)); // 31 days after the end of the week
        long attempts = fx.attempts().size();
        long taskTexts = fx.allTasks().stream().filter(t -> t.replyText() != null).count();
        int purged = fx.engine.purgeExpiredMessageBodies();

        assertThat(purged).isEqualTo(attempts + inbound + taskTexts);
        assertThat(fx.attempts()).hasSize((int) attempts).allSatisfy(a -> assertThat(a.body()).isNull());
        assertThat(fx.attempts()).extracting(SendAttempt::providerMessageId).doesNotContainNull();
        assertThat(fx.allTasks()).extracting(StaffTask::replyText).containsOnlyNulls();
        assertThat(fx.engine.weeklyReport(PRACTICE_ID, WEEK)).isEqualTo(before);
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID).isIntact()).isTrue();
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.RETENTION_PURGE).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("records", Integer.toString(purged)));
        assertThat(fx.engine.purgeExpiredMessageBodies()).as("a second run finds nothing").isZero();
    }

    @Test
    void theRetentionPeriodIsConfigurable() {
        EngineFixture fx = EngineFixture.builder().engine(b -> b.retention(Duration.ofDays(7))).build();
        aWeek(fx);

        fx.clock.set(chicago(2026, 4, 20, 12, 0));
        int early = fx.engine.purgeExpiredMessageBodies();
        fx.clock.set(chicago(2026, 4, 27, 9, 0));
        int rest = fx.engine.purgeExpiredMessageBodies();

        assertThat(early).as("the first days of the week").isPositive();
        assertThat(rest).isPositive();
        assertThat(fx.attempts()).allSatisfy(a -> assertThat(a.body()).isNull());
    }

    /**
     * COMPLIANCE.md: "Where the provider allows, ask it to redact its copy too." With
     * {@code redactProviderCopies(true)} the purge asks the SMS provider first.
     */
    @Test
    void thePurgeAsksTheSmsProviderToRedactItsCopies() {
        EngineFixture fx = EngineFixture.builder().engine(b -> b.redactProviderCopies(true)).build();
        aWeek(fx);

        fx.clock.set(chicago(2026, 5, 21, 9, 0));
        fx.engine.purgeExpiredMessageBodies();

        assertThat(fx.sms.redacted()).containsExactlyInAnyOrderElementsOf(
                fx.texts.stream().map(Text::result).map(r -> r.providerMessageId()).toList());
    }
}
