package dev.followup.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.practice.PracticeId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CSV exports never hand a spreadsheet a formula to run. */
class ReportCsvTest {

    @Test
    void cellsThatStartLikeAFormulaAreNeutralised() {
        assertThat(ReportFormats.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(ReportFormats.cell("+1")).isEqualTo("'+1");
        assertThat(ReportFormats.cell("-1+A2")).isEqualTo("'-1+A2");
        assertThat(ReportFormats.cell("@SUM(A1:A9)")).isEqualTo("'@SUM(A1:A9)");
        assertThat(ReportFormats.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(ReportFormats.cell("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(ReportFormats.cell("=HYPERLINK(\"x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    }

    @Test
    void numbersAndOrdinaryTextStayAsTheyAre() {
        assertThat(ReportFormats.cell("-5")).isEqualTo("-5"); // a negative number is data, and a spreadsheet reads it as one
        assertThat(ReportFormats.cell("-0.1250")).isEqualTo("-0.1250");
        assertThat(ReportFormats.cell("12.5")).isEqualTo("12.5");
        assertThat(ReportFormats.cell("Dr. Chen")).isEqualTo("Dr. Chen");
        assertThat(ReportFormats.cell("a, b")).isEqualTo("\"a, b\"");
        assertThat(ReportFormats.cell("")).isEmpty();
    }

    @Test
    void aReportWithFormulaNamesExportsThemAsText() {
        WeeklyReport base = SampleReports.week(SampleReports.MONDAY, 140);
        WeeklyReport hostile = new WeeklyReport(PracticeId.of("riverside"), "=cmd|' /C calc'!A0", base.weekStart(), base.zone(),
                base.ingested(), base.contacted(), base.replied(), base.booked(), base.declined(), base.optedOut(), base.handedToStaff(),
                base.unreachable(), base.expired(), base.channels(), base.revenue(), base.resolvedWithoutStaff(), base.staffMinutesSaved(), base.smsSent(),
                base.smsSegments(), base.emailsSent(), base.messagingCost(), base.weeklyFee(), base.roi(), base.bookedByType(),
                Map.of("@Dr. Evil", 3L, "+Dr. Plus", 2L), base.settings());
        List<String> lines = ReportFormats.csv(hostile).lines().toList();
        assertThat(lines).contains("practice_name,'=cmd|' /C calc'!A0", "booked_provider:@Dr. Evil,3", "booked_provider:+Dr. Plus,2");
        for (String line : lines) {
            for (String cell : line.split(",", -1)) {
                String unquoted = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertThat(unquoted.isEmpty() || "=+@\t\r".indexOf(unquoted.charAt(0)) < 0).as(line).isTrue();
                assertThat(unquoted.startsWith("-") && !unquoted.matches("-[0-9.]+")).as(line).isFalse();
            }
        }
    }
}
