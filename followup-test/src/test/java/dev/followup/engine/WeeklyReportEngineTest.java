package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.engine.EngineFixture.Row;
import dev.followup.followup.FollowUpState;
import dev.followup.report.ChannelStats;
import dev.followup.report.WeeklyReport;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weekly report across a week boundary, where replies and hand-overs come in a later week than the texts. */
class WeeklyReportEngineTest {

    @Test
    void repliesAndStaffTimeSavedCountedAcrossAWeekBoundaryNeverExceedWhatHappened() {
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 16, 18, 0)).build();
        List<Row> friday = List.of(patient(1), patient(2), patient(3), patient(4), patient(5));
        fx.ingestNew(friday.toArray(Row[]::new));
        fx.runUntil(chicago(2026, 4, 20, 9, 0));
        Row newcomer = patient(6);
        fx.ingestNew(newcomer);
        fx.runUntil(chicago(2026, 4, 20, 11, 0));
        fx.reply(friday.get(0), "no thanks");
        fx.reply(friday.get(1), "no thanks");
        fx.runUntil(chicago(2026, 4, 24, 15, 0));

        assertThat(friday.subList(0, 2)).allSatisfy(r -> assertThat(fx.followUpOf(r).state()).isEqualTo(FollowUpState.DECLINED));
        assertThat(List.of(friday.get(2), friday.get(3), friday.get(4), newcomer))
                .allSatisfy(r -> assertThat(fx.followUpOf(r).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF));
        WeeklyReport first = fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 13));
        WeeklyReport second = fx.engine.weeklyReport(PRACTICE_ID, LocalDate.of(2026, 4, 20));
        for (WeeklyReport week : List.of(first, second)) {
            for (ChannelStats channel : week.channels()) {
                assertThat(channel.responded()).as("%s in the week of %s", channel.channel(), week.weekStart())
                        .isLessThanOrEqualTo(channel.contacted());
                assertThat(channel.responseRate()).isLessThanOrEqualTo(BigDecimal.ONE);
            }
        }
        assertThat(first.replied() + second.replied()).isEqualTo(2);
        assertThat(second.channels().stream().mapToLong(ChannelStats::responded).sum()).as("each reply in the week it came").isEqualTo(2);
        // Two follow-ups resolved without staff (the declines), at 2 calls of 5 minutes each; the four hand-overs saved nothing.
        assertThat(first.resolvedWithoutStaff() + second.resolvedWithoutStaff()).isEqualTo(2);
        assertThat(first.staffMinutesSaved() + second.staffMinutesSaved()).isEqualTo(20);
        assertThat(first.handedToStaff() + second.handedToStaff()).isEqualTo(4);
    }
}
