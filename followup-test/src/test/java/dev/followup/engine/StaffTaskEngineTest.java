package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.IllegalTransitionException;
import dev.followup.audit.AuditType;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.report.WeeklyReport;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskState;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The staff's task list: claim and complete, outcomes that resolve follow-ups, and bookings made in the EHR. */
class StaffTaskEngineTest {

    /** A patient who never answers: the call task opens on Wednesday at 10:00. */
    private static StaffTask callTask(EngineFixture fx, Row row) {
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 15, 11, 0));
        assertThat(fx.openTasks()).hasSize(1);
        StaffTask task = fx.openTasks().get(0);
        assertThat(task.kind()).isEqualTo(TaskKind.CALL_PATIENT);
        assertThat(task.state()).isEqualTo(TaskState.OPEN);
        return task;
    }

    @Test
    void aCallTaskIsClaimedAndCompletedAndTheBookingCountsAsAStaffCall() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(1);
        StaffTask task = callTask(fx, row);

        StaffTask claimed = fx.engine.claimTask(PRACTICE_ID, task.id(), "maria.front-desk");
        assertThat(claimed.state()).isEqualTo(TaskState.CLAIMED);
        assertThat(claimed.assignee()).isEqualTo("maria.front-desk");
        assertThat(fx.openTasks()).extracting(StaffTask::state).containsExactly(TaskState.CLAIMED);

        fx.clock.advance(Duration.ofMinutes(20));
        StaffTask done = fx.engine.completeTask(PRACTICE_ID, task.id(), "maria.front-desk", TaskOutcome.BOOKED);

        assertThat(done.state()).isEqualTo(TaskState.DONE);
        assertThat(done.outcome()).isEqualTo(TaskOutcome.BOOKED);
        assertThat(fx.openTasks()).isEmpty();
        FollowUp f = fx.followUpOf(row);
        assertThat(f.state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(f.respondedChannel()).isEqualTo(Channel.STAFF_CALL);
        WeeklyReport report = fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 15));
        assertThat(report.booked()).isEqualTo(1);
        assertThat(report.channel(Channel.STAFF_CALL).booked()).isEqualTo(1);
        assertThat(report.channel(Channel.STAFF_CALL).contacted()).isEqualTo(1);
        assertThat(report.channel(Channel.SMS).booked()).isZero();
        assertThat(fx.auditEvents()).extracting(e -> e.type()).contains(AuditType.TASK_OPENED, AuditType.TASK_CLAIMED, AuditType.TASK_COMPLETED);
        assertThat(fx.engine.verifyAuditTrail(PRACTICE_ID).isIntact()).isTrue();
    }

    @Test
    void aTaskClaimedByOneCannotBeCompletedOrClaimedByAnother() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(2);
        StaffTask task = callTask(fx, row);
        fx.engine.claimTask(PRACTICE_ID, task.id(), "alice");

        assertThatThrownBy(() -> fx.engine.completeTask(PRACTICE_ID, task.id(), "bob", TaskOutcome.BOOKED))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("claimed by alice");
        assertThatThrownBy(() -> fx.engine.claimTask(PRACTICE_ID, task.id(), "bob")).isInstanceOf(IllegalTransitionException.class);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);

        fx.engine.completeTask(PRACTICE_ID, task.id(), "alice", TaskOutcome.DECLINED);
        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.DECLINED);
        assertThatThrownBy(() -> fx.engine.completeTask(PRACTICE_ID, task.id(), "alice", TaskOutcome.BOOKED))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void aResolvedTaskLeavesTheFollowUpWithStaff() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(3);
        StaffTask task = callTask(fx, row);

        fx.engine.completeTask(PRACTICE_ID, task.id(), "alice", TaskOutcome.RESOLVED);

        assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(fx.openTasks()).isEmpty();
    }

    @Test
    void anExternalBookingOfAnActiveFollowUpStopsTheLadder() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(4);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 15, 0));
        FollowUp contacting = fx.followUpOf(row);
        assertThat(contacting.state()).isEqualTo(FollowUpState.CONTACTING);

        FollowUp booked = fx.engine.recordExternalBooking(PRACTICE_ID, contacting.id());

        assertThat(booked.state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(booked.respondedChannel()).as("attributed to the outreach that preceded it").isEqualTo(Channel.SMS);
        fx.runFor(Duration.ofDays(5));
        assertThat(fx.mailsTo(row)).isEmpty();
        assertThat(fx.openTasks()).isEmpty();
        assertThat(fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 13)).booked()).isEqualTo(1);
        assertThat(fx.engine.recordExternalBooking(PRACTICE_ID, contacting.id())).as("a repeated write-back changes nothing").isEqualTo(fx.followUpOf(row));
    }

    @Test
    void aBookingWrittenBackBeforeTheFirstTextClosesTheFollowUpButIsNoRecovery() {
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 18, 9, 0)).build();
        Row row = patient(8);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 19, 12, 0));
        FollowUp pending = fx.followUpOf(row);
        assertThat(pending.state()).as("imported on Saturday, first text due in Monday's window").isEqualTo(FollowUpState.PENDING);

        FollowUp booked = fx.engine.recordExternalBooking(PRACTICE_ID, pending.id());
        fx.runUntil(chicago(2026, 4, 20, 15, 0));

        assertThat(booked.state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(fx.texts).as("no text after the booking").isEmpty();
        WeeklyReport report = fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 19));
        assertThat(report.ingested()).isEqualTo(1);
        assertThat(report.booked()).as("the patient booked by themselves: the engine recovered nothing").isZero();
        assertThat(report.revenue()).isZero();
        assertThat(report.channel(Channel.STAFF_CALL).booked()).isZero();
        assertThat(report.bookedByType()).isEmpty();
        assertThat(report.resolvedWithoutStaff()).isZero();
        assertThat(report.staffMinutesSaved()).isZero();
    }

    @Test
    void anExternalBookingOfAHandedOverFollowUpClosesItsTask() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(5);
        StaffTask task = callTask(fx, row);
        fx.engine.claimTask(PRACTICE_ID, task.id(), "alice");

        FollowUp booked = fx.engine.recordExternalBooking(PRACTICE_ID, task.followUpId());

        assertThat(booked.state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(fx.openTasks()).isEmpty();
        assertThat(fx.allTasks()).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.DONE);
            assertThat(t.outcome()).isEqualTo(TaskOutcome.BOOKED);
        });
        assertThat(fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 15)).booked()).isEqualTo(1);
    }

    @Test
    void anExternalBookingCannotReopenADeclinedFollowUp() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(6);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(row, "no thanks");

        assertThatThrownBy(() -> fx.engine.recordExternalBooking(PRACTICE_ID, fx.followUpOf(row).id()))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("DECLINED");
    }

    @Test
    void aReviewTaskCompletedAsBookedCreditsTheTextConversation() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(7);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(row, "can you call me after 5?");
        StaffTask task = fx.openTasks().get(0);
        assertThat(task.kind()).isEqualTo(TaskKind.REVIEW_REPLY);

        fx.engine.completeTask(PRACTICE_ID, task.id(), "alice", TaskOutcome.BOOKED);

        FollowUp f = fx.followUpOf(row);
        assertThat(f.state()).isEqualTo(FollowUpState.BOOKED);
        assertThat(fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 13)).channel(Channel.SMS).booked()).isEqualTo(1);
    }
}
