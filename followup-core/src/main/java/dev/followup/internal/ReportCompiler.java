package dev.followup.internal;

import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpType;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.ChannelStats;
import dev.followup.report.ReportSettings;
import dev.followup.report.WeeklyReport;
import dev.followup.spi.WeeklyCounts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;

/**
 * Computes a practice's weekly report: the store counts the period ({@link dev.followup.spi.PracticeTransaction#weeklyCounts}),
 * this class turns the counts into the report's figures with the practice's settings.
 */
public final class ReportCompiler {
    private final EngineContext ctx;

    /** @param ctx the engine's shared context */
    public ReportCompiler(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param practiceId the practice
     * @param anyDayOfWeek any date in the week wanted (the week runs Monday to Sunday)
     * @return the report
     */
    public WeeklyReport weekly(PracticeId practiceId, LocalDate anyDayOfWeek) {
        Practice practice = ctx.practice(practiceId);
        ReportSettings settings = ctx.settings(practiceId).report();
        ZoneId zone = practice.timeZone();
        LocalDate monday = anyDayOfWeek.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Instant from = monday.atStartOfDay(zone).toInstant();
        Instant to = monday.plusDays(7).atStartOfDay(zone).toInstant();
        WeeklyCounts c = ctx.inTransaction(practiceId, tx -> tx.weeklyCounts(from, to));
        // Revenue depends on the practice's settings, which the store knows nothing of: bookings per type times each type's value.
        BigDecimal revenue = BigDecimal.ZERO;
        for (Map.Entry<String, Long> booked : c.bookedByType().entrySet()) {
            revenue = revenue.add(settings.revenueOf(FollowUpType.of(booked.getKey())).multiply(BigDecimal.valueOf(booked.getValue())));
        }
        List<ChannelStats> channels = List.of(
                new ChannelStats(Channel.SMS, c.reached(Channel.SMS), c.responded(Channel.SMS), c.bookedVia(Channel.SMS)),
                new ChannelStats(Channel.EMAIL, c.reached(Channel.EMAIL), c.responded(Channel.EMAIL), c.bookedVia(Channel.EMAIL)),
                new ChannelStats(Channel.STAFF_CALL, c.staffCalls(), c.staffReached(), c.bookedVia(Channel.STAFF_CALL)));
        long minutesSaved = Math.round(c.resolvedWithoutStaff() * settings.manualCallsPerFollowUp() * settings.minutesPerManualCall());
        BigDecimal weeklyFee = settings.monthlyFee().multiply(BigDecimal.valueOf(12)).divide(BigDecimal.valueOf(52), 2, RoundingMode.HALF_UP);
        BigDecimal totalCost = c.messagingCost().add(weeklyFee);
        BigDecimal roi = totalCost.signum() == 0 ? null
                : revenue.subtract(totalCost).divide(totalCost, 4, RoundingMode.HALF_UP);
        return new WeeklyReport(practiceId, practice.name(), monday, zone, c.ingested(), c.contacted(), c.replied(), c.booked(),
                c.declined(), c.optedOut(), c.handedToStaff(), c.unreachable(), c.expired(), channels, revenue, c.resolvedWithoutStaff(), minutesSaved,
                c.smsSent(), c.smsSegments(), c.emailsSent(), c.messagingCost(), weeklyFee, roi, c.bookedByType(),
                c.bookedByProvider(), settings);
    }
}
