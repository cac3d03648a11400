package dev.followup.report;

import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpType;
import dev.followup.practice.PracticeId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Hand-made reports for rendering tests, with names that try to break out of their markup. */
final class SampleReports {
    static final String HOSTILE_PRACTICE = "<script>alert('p')</script> Smith & \"Sons\"";
    static final String HOSTILE_PROVIDER = "<img src=x onerror=alert(1)>";
    static final LocalDate MONDAY = LocalDate.of(2026, 11, 30);

    private SampleReports() {
    }

    static ReportSettings settings() {
        return ReportSettings.defaults().withRevenue(FollowUpType.of("post-op"), new BigDecimal("220.00"))
                .withManualCalls(1.5, 6).withMonthlyFee(new BigDecimal("199"));
    }

    /** A week with every figure different, so a figure shown in the wrong place is noticed. */
    static WeeklyReport week(LocalDate monday, long booked) {
        long postOp = booked / 3;
        BigDecimal revenue = new BigDecimal("220.00").multiply(BigDecimal.valueOf(postOp))
                .add(new BigDecimal("150.00").multiply(BigDecimal.valueOf(booked - postOp)));
        return new WeeklyReport(PracticeId.of("riverside"), HOSTILE_PRACTICE, monday, ZoneId.of("America/Chicago"),
                1234, 1180, 517, booked, 41, 12, 230, 17, 3,
                List.of(new ChannelStats(Channel.SMS, 1180, 480, booked - 20), new ChannelStats(Channel.EMAIL, 300, 37, 8),
                        new ChannelStats(Channel.STAFF_CALL, 90, 61, 12)),
                revenue, 950, Math.round(950 * 1.5 * 6), 2950, 3300, 300, new BigDecimal("26.0700"), new BigDecimal("45.92"),
                revenue.subtract(new BigDecimal("71.99")).divide(new BigDecimal("71.99"), 4, java.math.RoundingMode.HALF_UP),
                Map.of("post-op", postOp, "annual-exam", booked - postOp),
                Map.of(HOSTILE_PROVIDER, booked - 40, "Dr. Chen", 25L, "Dr. Okafor", 15L), settings());
    }

    static WeeklyReport quietWeek(LocalDate monday) {
        return new WeeklyReport(PracticeId.of("riverside"), "Riverside", monday, ZoneId.of("America/Chicago"), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.of(), BigDecimal.ZERO, 0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, null, Map.of(), Map.of(), ReportSettings.defaults());
    }
}
