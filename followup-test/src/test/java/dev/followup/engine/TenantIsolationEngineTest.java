package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.NotFoundException;
import dev.followup.conversation.InboundResult;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.patient.PatientId;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskOutcome;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Practice A can never read or change practice B's data through the engine, not even with B's ids. */
class TenantIsolationEngineTest {
    static final PracticeId HARBOR = PracticeId.of("harbor-clinic");

    private static EngineFixture twoPractices() {
        return EngineFixture.builder().otherPractice(Practice.builder(HARBOR).name("Harbor Clinic").callbackPhone("(415) 555-0100")
                .timeZone("America/Chicago").smsFrom("+14155550199").emailFrom("hello@harbor.example").build()).build();
    }

    /** Harbor's patient, who never answers: a call task on Wednesday. */
    private static FollowUp harborFollowUpWithTask(EngineFixture fx, Row row) {
        assertThat(fx.ingest(HARBOR, List.of(row)).accepted()).isEqualTo(1);
        fx.runUntil(chicago(2026, 4, 15, 11, 0));
        List<FollowUp> harbor = fx.followUps(HARBOR);
        assertThat(harbor).hasSize(1);
        assertThat(fx.engine.openTasks(HARBOR)).hasSize(1);
        return harbor.get(0);
    }

    @Test
    void anotherPracticesIdsAreNotFound() {
        EngineFixture fx = twoPractices();
        FollowUp theirs = harborFollowUpWithTask(fx, patient(1));
        StaffTask theirTask = fx.engine.openTasks(HARBOR).get(0);

        assertThat(fx.engine.followUp(PRACTICE_ID, theirs.id())).isEmpty();
        assertThatThrownBy(() -> fx.engine.recordExternalBooking(PRACTICE_ID, theirs.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fx.engine.claimTask(PRACTICE_ID, theirTask.id(), "alice")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fx.engine.completeTask(PRACTICE_ID, theirTask.id(), "alice", TaskOutcome.BOOKED))
                .isInstanceOf(NotFoundException.class);
        assertThat(fx.engine.openTasks(PRACTICE_ID)).isEmpty();
        assertThat(fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 13)).ingested()).isZero();
        assertThat(fx.auditEvents(PRACTICE_ID)).isEmpty();

        FollowUp unchanged = fx.engine.followUp(HARBOR, theirs.id()).orElseThrow();
        assertThat(unchanged.state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(fx.engine.openTasks(HARBOR)).singleElement().satisfies(t -> assertThat(t.assignee()).isNull());
        assertThat(fx.engine.weeklyReport(HARBOR, LocalDate.of(2026, 4, 13)).ingested()).isEqualTo(1);
    }

    @Test
    void anUnknownPracticeIsNotFound() {
        EngineFixture fx = twoPractices();

        assertThatThrownBy(() -> fx.engine.openTasks(PracticeId.of("nowhere"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fx.reply(PracticeId.of("nowhere"), "+13125550101", "YES")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aTextToOnePracticeIsNotMatchedToAnotherPracticesPatient() {
        EngineFixture fx = twoPractices();
        Row theirPatient = patient(2);
        fx.ingest(HARBOR, List.of(theirPatient));
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.textsTo(theirPatient)).hasSize(1);

        InboundResult yes = fx.reply(PRACTICE_ID, theirPatient.phone(), "YES");

        assertThat(yes.patientId()).isNull();
        assertThat(yes.followUpId()).isNull();
        FollowUp theirs = fx.followUps(HARBOR).get(0);
        assertThat(theirs.state()).isEqualTo(FollowUpState.CONTACTING);
        assertThat(theirs.repliedAt()).isNull();
        assertThat(theirs.offeredSlots()).isEmpty();
        assertThat(fx.textsTo(theirPatient)).as("no slot offer from either practice").hasSize(1);

        // An opt-out sent to this practice does not silence the other one.
        assertThat(fx.reply(PRACTICE_ID, theirPatient.phone(), "STOP").patientId()).isNull();
        fx.runFor(Duration.ofDays(3));
        assertThat(fx.followUps(HARBOR).get(0).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        assertThat(fx.mailsTo(theirPatient)).hasSize(1);
        Set<PatientId> touched = fx.auditEvents(PRACTICE_ID).stream().map(e -> e.patientId()).filter(Objects::nonNull).collect(Collectors.toSet());
        assertThat(touched).isEmpty();
    }

    @Test
    void thePracticesOwnPatientWithTheSameNumberIsMatchedInItsOwnPracticeOnly() {
        EngineFixture fx = twoPractices();
        Row shared = patient(3);
        fx.ingestNew(shared);
        fx.ingest(HARBOR, List.of(shared));
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        InboundResult result = fx.reply(PRACTICE_ID, shared.phone(), "please stop texting me");

        assertThat(result.patientId()).isEqualTo(fx.patient(shared).id());
        assertThat(fx.followUps(PRACTICE_ID)).extracting(FollowUp::state).containsOnly(FollowUpState.OPTED_OUT);
        assertThat(fx.followUps(HARBOR)).extracting(FollowUp::state).containsOnly(FollowUpState.CONTACTING);
    }
}
