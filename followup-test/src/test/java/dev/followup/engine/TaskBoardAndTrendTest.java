package dev.followup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidInputException;
import dev.followup.report.WeeklyReport;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskKind;
import dev.followup.test.SimulatedPractice;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FollowUpEngine#taskBoard} and {@link FollowUpEngine#weeklyReports} on three simulated weeks. */
class TaskBoardAndTrendTest {
    static SimulatedPractice sim;

    @BeforeAll
    static void simulate() {
        sim = SimulatedPractice.run(3);
    }

    @Test
    void theBoardHasOneCardPerOpenTaskWithThePatientItIsAbout() {
        FollowUpEngine engine = sim.engine();
        List<StaffTask> open = engine.openTasks(sim.practiceId());
        List<TaskCard> board = engine.taskBoard(sim.practiceId());
        assertThat(board).extracting(TaskCard::task).containsExactlyElementsOf(open);
        assertThat(board).isNotEmpty().allSatisfy(c -> {
            assertThat(c.patientName()).isNotBlank();
            assertThat(c.phoneLastDigits()).hasSize(4).containsOnlyDigits();
            assertThat(c.visitType()).isNotBlank();
            assertThat(c.providerName()).startsWith("Dr. ");
        });
        assertThat(board).anySatisfy(c -> assertThat(c.patientName()).startsWith(SimulatedPractice.HOSTILE_NAME));
        assertThat(board).anySatisfy(c -> {
            assertThat(c.task().kind()).isEqualTo(TaskKind.REVIEW_REPLY);
            assertThat(c.task().replyText()).isEqualTo(SimulatedPractice.HOSTILE_REPLY);
        });
    }

    @Test
    void aCardsTextShowsNoPhi() {
        for (TaskCard c : sim.engine().taskBoard(sim.practiceId())) {
            assertThat(c.toString()).doesNotContain(c.patientName()).doesNotContain(c.phoneLastDigits()).doesNotContain("Dr. ");
            if (c.task().replyText() != null) {
                assertThat(c.toString()).doesNotContain(c.task().replyText());
            }
        }
    }

    @Test
    void weeklyReportsAreTheWeeksOldestFirstEachAsComputedAlone() {
        FollowUpEngine engine = sim.engine();
        List<WeeklyReport> trend = engine.weeklyReports(sim.practiceId(), sim.lastWeek().plusDays(3), 4);
        assertThat(trend).extracting(WeeklyReport::weekStart).containsExactly(sim.lastWeek().minusWeeks(3), sim.lastWeek().minusWeeks(2),
                sim.lastWeek().minusWeeks(1), sim.lastWeek());
        for (WeeklyReport r : trend) {
            assertThat(r).isEqualTo(engine.weeklyReport(sim.practiceId(), r.weekStart()));
        }
        // Before the simulation nothing happened; each simulated week ingested its (growing) list.
        assertThat(trend).extracting(WeeklyReport::ingested).containsExactly(0L, 24L, 30L, 36L);
        assertThat(trend.get(3).booked()).isPositive();
    }

    @Test
    void weeklyReportsRefusesAnOutOfRangeCount() {
        assertThatThrownBy(() -> sim.engine().weeklyReports(sim.practiceId(), sim.lastWeek(), 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sim.engine().weeklyReports(sim.practiceId(), sim.lastWeek(), 105)).isInstanceOf(InvalidInputException.class);
    }
}
