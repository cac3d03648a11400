package dev.followup.report;

import dev.followup.practice.PracticeId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One practice's week, Monday to Sunday in the practice's time zone. Counts are of follow-ups
 * whose event (creation, first contact, first reply, closing) fell in the week, so each event is
 * counted in exactly one week and the weeks add up; the figures are derived from
 * {@link #settings()} as documented on {@link ReportSettings}. The response rates are defined on
 * {@link ChannelStats}.
 *
 * @param practiceId the practice
 * @param practiceName its name
 * @param weekStart the Monday
 * @param zone the practice's zone
 * @param ingested follow-ups ingested
 * @param contacted follow-ups contacted for the first time
 * @param replied follow-ups whose patient replied for the first time
 * @param booked appointments recovered: follow-ups booked in the week after the engine worked for
 *     them, that is, after an outreach message was sent or a staff task opened (the booking itself
 *     by reply, staff call or EHR). A follow-up the patient booked before either (written back by
 *     the EHR before the first text) is closed as booked but not counted here, nor in the revenue
 * @param declined follow-ups declined
 * @param optedOut follow-ups closed by an opt-out
 * @param handedToStaff follow-ups handed to staff (tasks opened)
 * @param unreachable follow-ups closed as unreachable
 * @param expired follow-ups whose due date passed
 * @param channels per-channel figures: SMS, EMAIL, STAFF_CALL
 * @param revenue revenue attributed to the recovered appointments
 * @param resolvedWithoutStaff follow-ups the engine resolved without staff: closed in the week as
 *     booked, declined or opted out after an outreach message, and never handed to staff
 * @param staffMinutesSaved staff time saved, in minutes: {@code resolvedWithoutStaff} × the manual
 *     calls a follow-up would otherwise take × minutes per call ({@link ReportSettings}), rounded to
 *     the minute. Never negative, and each follow-up counts in the one week it closed, so the weeks
 *     add up (but for that rounding)
 * @param smsSent texts sent (outreach and replies)
 * @param smsSegments SMS segments billed
 * @param emailsSent emails sent
 * @param messagingCost what the messages cost
 * @param weeklyFee the library's fee prorated to the week
 * @param roi return on investment, if there was any cost
 * @param bookedByType recovered appointments per follow-up type
 * @param bookedByProvider recovered appointments per provider (display name)
 * @param settings the figures the report was computed from
 */
public record WeeklyReport(
        PracticeId practiceId,
        String practiceName,
        LocalDate weekStart,
        ZoneId zone,
        long ingested,
        long contacted,
        long replied,
        long booked,
        long declined,
        long optedOut,
        long handedToStaff,
        long unreachable,
        long expired,
        List<ChannelStats> channels,
        BigDecimal revenue,
        long resolvedWithoutStaff,
        long staffMinutesSaved,
        long smsSent,
        long smsSegments,
        long emailsSent,
        BigDecimal messagingCost,
        BigDecimal weeklyFee,
        @Nullable BigDecimal roi,
        Map<String, Long> bookedByType,
        Map<String, Long> bookedByProvider,
        ReportSettings settings) {

    /** Copies the collections. */
    public WeeklyReport {
        channels = List.copyOf(channels);
        bookedByType = Map.copyOf(bookedByType);
        bookedByProvider = Map.copyOf(bookedByProvider);
    }

    /** @return the Sunday that ends the week */
    public LocalDate weekEnd() {
        return weekStart.plusDays(6);
    }

    /** @return staff time saved in hours, one decimal */
    public BigDecimal staffHoursSaved() {
        return BigDecimal.valueOf(staffMinutesSaved).divide(BigDecimal.valueOf(60), 1, java.math.RoundingMode.HALF_UP);
    }

    /** @return the return on investment, if the week had a cost */
    public Optional<BigDecimal> returnOnInvestment() {
        return Optional.ofNullable(roi);
    }

    /**
     * @param channel a channel
     * @return its figures
     */
    public ChannelStats channel(dev.followup.followup.Channel channel) {
        return channels.stream().filter(c -> c.channel() == channel).findFirst()
                .orElse(new ChannelStats(channel, 0, 0, 0));
    }
}
