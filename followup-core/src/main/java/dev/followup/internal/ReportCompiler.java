package dev.followup.internal;

import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.message.AttemptState;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.ChannelStats;
import dev.followup.report.ReportSettings;
import dev.followup.report.WeeklyReport;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Computes a practice's weekly report from the store in one read-only transaction. */
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
        Counts c = new Counts();
        ctx.store().inTransaction(practiceId, tx -> {
            tx.forEachFollowUpTouched(from, to, f -> c.followUp(f, from, to, settings));
            tx.forEachAttemptCreated(from, to, a -> {
                if (!a.state().countsAsSent() && a.state() != AttemptState.PENDING) {
                    return;
                }
                if (a.channel() == Channel.SMS) {
                    c.smsSent++;
                    c.smsSegments += a.segments();
                } else {
                    c.emailsSent++;
                }
                c.cost = c.cost.add(a.cost());
                if (a.purpose().isOutreach() && a.followUpId() != null) {
                    c.reachedBy.get(a.channel()).add(a.followUpId());
                }
            });
            tx.forEachTaskTouched(from, to, t -> {
                if (in(t.createdAt(), from, to) && t.followUpId() != null) {
                    c.handedToStaff.add(t.followUpId());
                }
                if (t.state() == TaskState.DONE && in(t.updatedAt(), from, to) && t.outcome() != TaskOutcome.RESOLVED) {
                    c.staffCalls++;
                    if (t.outcome() != TaskOutcome.UNREACHABLE) {
                        c.staffReached++;
                    }
                }
            });
            return null;
        });
        List<ChannelStats> channels = List.of(
                new ChannelStats(Channel.SMS, c.reachedBy.get(Channel.SMS).size(), c.responded.get(Channel.SMS), c.bookedVia.get(Channel.SMS)),
                new ChannelStats(Channel.EMAIL, c.reachedBy.get(Channel.EMAIL).size(), c.responded.get(Channel.EMAIL), c.bookedVia.get(Channel.EMAIL)),
                new ChannelStats(Channel.STAFF_CALL, c.staffCalls, c.staffReached, c.bookedVia.get(Channel.STAFF_CALL)));
        long automated = Math.max(0, c.contacted - c.handedToStaff.size());
        long minutesSaved = Math.round(automated * settings.manualCallsPerFollowUp() * settings.minutesPerManualCall());
        BigDecimal weeklyFee = settings.monthlyFee().multiply(BigDecimal.valueOf(12)).divide(BigDecimal.valueOf(52), 2, RoundingMode.HALF_UP);
        BigDecimal totalCost = c.cost.add(weeklyFee);
        BigDecimal roi = totalCost.signum() == 0 ? null
                : c.revenue.subtract(totalCost).divide(totalCost, 4, RoundingMode.HALF_UP);
        return new WeeklyReport(practiceId, practice.name(), monday, zone, c.ingested, c.contacted, c.replied, c.booked, c.declined,
                c.optedOut, c.handedToStaff.size(), c.unreachable, c.expired, channels, c.revenue, minutesSaved, c.smsSent, c.smsSegments,
                c.emailsSent, c.cost, weeklyFee, roi, c.bookedByType, c.bookedByProvider, settings);
    }

    private static boolean in(Instant t, Instant from, Instant to) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }

    private static final class Counts {
        long ingested, contacted, replied, booked, declined, optedOut, unreachable, expired;
        long smsSent, smsSegments, emailsSent, staffCalls, staffReached;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        final Map<Channel, Set<FollowUpId>> reachedBy = new EnumMap<>(Map.of(Channel.SMS, new HashSet<>(), Channel.EMAIL, new HashSet<>()));
        final Map<Channel, Long> responded = new EnumMap<>(Map.of(Channel.SMS, 0L, Channel.EMAIL, 0L, Channel.STAFF_CALL, 0L));
        final Map<Channel, Long> bookedVia = new EnumMap<>(Map.of(Channel.SMS, 0L, Channel.EMAIL, 0L, Channel.STAFF_CALL, 0L));
        final Set<FollowUpId> handedToStaff = new HashSet<>();
        final Map<String, Long> bookedByType = new HashMap<>();
        final Map<String, Long> bookedByProvider = new HashMap<>();

        void followUp(FollowUp f, Instant from, Instant to, ReportSettings settings) {
            if (in(f.createdAt(), from, to)) {
                ingested++;
            }
            if (in(f.firstContactAt(), from, to)) {
                contacted++;
            }
            if (in(f.repliedAt(), from, to) && f.respondedChannel() != null && f.respondedChannel() != Channel.STAFF_CALL) {
                replied++;
                responded.merge(f.respondedChannel(), 1L, Long::sum);
            }
            if (!in(f.closedAt(), from, to)) {
                return;
            }
            switch (f.state()) {
                case BOOKED -> {
                    if (f.firstContactAt() != null || f.respondedChannel() == Channel.STAFF_CALL) {
                        booked++;
                        revenue = revenue.add(settings.revenueOf(f.type()));
                        bookedVia.merge(f.respondedChannel() == null ? Channel.STAFF_CALL : f.respondedChannel(), 1L, Long::sum);
                        bookedByType.merge(f.type().code(), 1L, Long::sum);
                        bookedByProvider.merge(f.provider().displayName(), 1L, Long::sum);
                    }
                }
                case DECLINED -> declined++;
                case OPTED_OUT -> optedOut++;
                case UNREACHABLE -> unreachable++;
                case EXPIRED -> expired++;
                default -> {
                }
            }
        }
    }

}
