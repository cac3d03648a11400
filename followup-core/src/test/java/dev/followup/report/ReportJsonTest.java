package dev.followup.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportJsonTest {
    final WeeklyReport report = SampleReports.week(SampleReports.MONDAY, 140);

    @Test
    @SuppressWarnings("unchecked")
    void theJsonParsesBackToTheReportsFigures() {
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(ReportJson.render(report));
        assertThat(json).containsEntry("practiceId", "riverside").containsEntry("practiceName", SampleReports.HOSTILE_PRACTICE)
                .containsEntry("weekStart", "2026-11-30").containsEntry("weekEnd", "2026-12-06").containsEntry("zone", "America/Chicago")
                .containsEntry("currency", "USD").containsEntry("roi", report.roi());
        for (String key : List.of("ingested", "contacted", "replied", "booked", "declined", "optedOut", "handedToStaff", "unreachable",
                "expired", "resolvedWithoutStaff", "staffMinutesSaved", "smsSent", "smsSegments", "emailsSent")) {
            assertThat(json.get(key)).as(key).isInstanceOf(BigDecimal.class);
        }
        assertThat(((BigDecimal) json.get("booked")).longValueExact()).isEqualTo(140);
        assertThat(((BigDecimal) json.get("ingested")).longValueExact()).isEqualTo(1234);
        assertThat((BigDecimal) json.get("revenue")).isEqualByComparingTo(report.revenue());
        assertThat((BigDecimal) json.get("messagingCost")).isEqualByComparingTo("26.07");
        assertThat((BigDecimal) json.get("weeklyFee")).isEqualByComparingTo("45.92");
        assertThat((BigDecimal) json.get("staffHoursSaved")).isEqualByComparingTo("142.5");
        List<Map<String, Object>> channels = (List<Map<String, Object>>) json.get("channels");
        assertThat(channels).extracting(c -> c.get("channel")).containsExactly("SMS", "EMAIL", "STAFF_CALL");
        assertThat((BigDecimal) channels.get(0).get("responseRate")).isEqualByComparingTo("0.4068");
        assertThat((Map<String, Object>) json.get("bookedByType")).containsOnlyKeys("annual-exam", "post-op");
        assertThat((Map<String, Object>) json.get("bookedByProvider")).containsOnlyKeys(SampleReports.HOSTILE_PROVIDER, "Dr. Chen", "Dr. Okafor");
        Map<String, Object> settings = (Map<String, Object>) json.get("settings");
        assertThat((BigDecimal) settings.get("defaultRevenue")).isEqualByComparingTo("150");
        assertThat((BigDecimal) settings.get("manualCallsPerFollowUp")).isEqualByComparingTo("1.5");
        assertThat((BigDecimal) settings.get("minutesPerManualCall")).isEqualByComparingTo("6");
        assertThat((BigDecimal) settings.get("monthlyFee")).isEqualByComparingTo("199");
        assertThat((Map<String, Object>) settings.get("revenueByType")).containsOnlyKeys("post-op");
    }

    @Test
    void everyStringSurvivesTheRoundTripAndStaysInertInHtml() {
        String nasty = "quote \" backslash \\ slash / newline \n tab \t bell \u0007 nul \u0000 <script>&amp; \u2028\u2029 é 😀";
        assertThat(MiniJson.parse(ReportJson.str(nasty))).isEqualTo(nasty);
        assertThat(ReportJson.str(nasty)).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("\u2028")
                .doesNotContain("\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWeekWithoutCostHasANullRoiAndEmptyMaps() {
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(ReportJson.render(SampleReports.quietWeek(SampleReports.MONDAY)));
        assertThat(json).containsEntry("roi", null).containsEntry("channels", List.of()).containsEntry("bookedByType", Map.of());
    }
}
