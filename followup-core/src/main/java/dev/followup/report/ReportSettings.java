package dev.followup.report;

import dev.followup.InvalidConfigurationException;
import dev.followup.followup.FollowUpType;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The figures a practice's report is computed from, all configurable because they differ by
 * specialty and market:
 * <ul>
 *   <li>revenue of a recovered appointment, per follow-up type (default {@code $150});</li>
 *   <li>staff time: every follow-up the engine resolved without staff would otherwise have taken
 *       {@code manualCallsPerFollowUp} calls (default 2: phone tag) of {@code minutesPerManualCall}
 *       minutes (default 5) — staff time saved = follow-ups resolved without staff × calls ×
 *       minutes, where a follow-up resolved without staff is one closed in the week as booked,
 *       declined or opted out after an outreach message and never handed to staff (see
 *       {@link WeeklyReport#resolvedWithoutStaff()}). One handed to staff saved nothing, and one
 *       still open is counted in the week it closes;</li>
 *   <li>the library's monthly fee (default {@code $0}), prorated to a week as fee × 12 / 52, for
 *       ROI = (revenue − messaging cost − weekly fee) / (messaging cost + weekly fee).</li>
 * </ul>
 */
public final class ReportSettings {
    private static final BigDecimal DEFAULT_REVENUE = new BigDecimal("150.00");
    private final Map<FollowUpType, BigDecimal> revenueByType;
    private final BigDecimal defaultRevenue;
    private final double manualCallsPerFollowUp;
    private final int minutesPerManualCall;
    private final BigDecimal monthlyFee;

    private ReportSettings(Map<FollowUpType, BigDecimal> revenueByType, BigDecimal defaultRevenue, double manualCallsPerFollowUp,
            int minutesPerManualCall, BigDecimal monthlyFee) {
        this.revenueByType = Map.copyOf(revenueByType);
        this.defaultRevenue = defaultRevenue;
        this.manualCallsPerFollowUp = manualCallsPerFollowUp;
        this.minutesPerManualCall = minutesPerManualCall;
        this.monthlyFee = monthlyFee;
    }

    /** @return the defaults described above */
    public static ReportSettings defaults() {
        return new ReportSettings(Map.of(), DEFAULT_REVENUE, 2, 5, BigDecimal.ZERO);
    }

    /**
     * @param type a follow-up type
     * @param revenue what a recovered appointment of that type is worth
     * @return new settings
     */
    public ReportSettings withRevenue(FollowUpType type, BigDecimal revenue) {
        Map<FollowUpType, BigDecimal> copy = new HashMap<>(revenueByType);
        copy.put(Objects.requireNonNull(type), requireNonNegative(revenue, "revenue"));
        return new ReportSettings(copy, defaultRevenue, manualCallsPerFollowUp, minutesPerManualCall, monthlyFee);
    }

    /**
     * @param revenue the value of a recovered appointment of a type without its own figure
     * @return new settings
     */
    public ReportSettings withDefaultRevenue(BigDecimal revenue) {
        return new ReportSettings(revenueByType, requireNonNegative(revenue, "default revenue"), manualCallsPerFollowUp, minutesPerManualCall, monthlyFee);
    }

    /**
     * @param callsPerFollowUp manual calls a follow-up takes without the engine (≥ 0)
     * @param minutesPerCall minutes a manual call takes (≥ 0)
     * @return new settings
     */
    public ReportSettings withManualCalls(double callsPerFollowUp, int minutesPerCall) {
        if (callsPerFollowUp < 0 || minutesPerCall < 0 || Double.isNaN(callsPerFollowUp)) {
            throw new InvalidConfigurationException("manual calls and minutes per call must not be negative");
        }
        return new ReportSettings(revenueByType, defaultRevenue, callsPerFollowUp, minutesPerCall, monthlyFee);
    }

    /**
     * @param fee the monthly fee for the library, in USD
     * @return new settings
     */
    public ReportSettings withMonthlyFee(BigDecimal fee) {
        return new ReportSettings(revenueByType, defaultRevenue, manualCallsPerFollowUp, minutesPerManualCall, requireNonNegative(fee, "monthly fee"));
    }

    private static BigDecimal requireNonNegative(BigDecimal value, String what) {
        if (value == null || value.signum() < 0) {
            throw new InvalidConfigurationException(what + " must not be negative");
        }
        return value;
    }

    /**
     * @param type a follow-up type
     * @return what a recovered appointment of it is worth
     */
    public BigDecimal revenueOf(FollowUpType type) {
        return revenueByType.getOrDefault(type, defaultRevenue);
    }

    /** @return the value for types without their own */
    public BigDecimal defaultRevenue() {
        return defaultRevenue;
    }

    /** @return the revenue figures per type */
    public Map<FollowUpType, BigDecimal> revenueByType() {
        return revenueByType;
    }

    /** @return manual calls per follow-up */
    public double manualCallsPerFollowUp() {
        return manualCallsPerFollowUp;
    }

    /** @return minutes per manual call */
    public int minutesPerManualCall() {
        return minutesPerManualCall;
    }

    /** @return the monthly fee */
    public BigDecimal monthlyFee() {
        return monthlyFee;
    }
}
