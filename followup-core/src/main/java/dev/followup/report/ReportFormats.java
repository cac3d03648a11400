package dev.followup.report;

import dev.followup.followup.Channel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link WeeklyReport} as plain text (for an email or a console) and as CSV (for a
 * spreadsheet). Reports hold no PHI: counts, money, and the names of the practice and providers.
 */
public final class ReportFormats {
    private ReportFormats() {
    }

    /**
     * @param r the report
     * @return a readable plain-text report, with how each figure is computed
     */
    public static String text(WeeklyReport r) {
        StringBuilder s = new StringBuilder(2048);
        s.append("Weekly follow-up report — ").append(r.practiceName()).append(" (").append(r.practiceId()).append(")\n");
        s.append("Week ").append(r.weekStart()).append(" to ").append(r.weekEnd()).append(" (").append(r.zone()).append(")\n\n");
        s.append(String.format("  Appointments recovered  %8d%n", r.booked()));
        s.append(String.format("  Revenue attributed      %8s%n", money(r.revenue())));
        s.append(String.format("  Staff time saved        %8s h%n", r.staffHoursSaved()));
        s.append(String.format("  Messaging cost          %8s%n", money(r.messagingCost())));
        s.append(String.format("  ROI                     %8s%n", r.roi() == null ? "n/a" : percent(r.roi())));
        s.append("\nFunnel\n");
        s.append(String.format("  Ingested %d -> contacted %d -> replied %d -> booked %d%n", r.ingested(), r.contacted(), r.replied(), r.booked()));
        s.append(String.format("  Declined %d, opted out %d, handed to staff %d, unreachable %d, expired %d%n",
                r.declined(), r.optedOut(), r.handedToStaff(), r.unreachable(), r.expired()));
        s.append("\nResponse by channel\n");
        for (ChannelStats c : r.channels()) {
            s.append(String.format("  %-10s contacted %5d  responded %5d  booked %5d  rate %s%n", channelLabel(c.channel()), c.contacted(),
                    c.responded(), c.booked(), percent(c.responseRate())));
        }
        if (!r.bookedByType().isEmpty()) {
            s.append("\nRecovered by follow-up type\n");
            new TreeMap<>(r.bookedByType()).forEach((k, v) -> s.append(String.format("  %-24s %5d%n", k, v)));
        }
        if (!r.bookedByProvider().isEmpty()) {
            s.append("\nRecovered by provider\n");
            new TreeMap<>(r.bookedByProvider()).forEach((k, v) -> s.append(String.format("  %-24s %5d%n", k, v)));
        }
        s.append(String.format("%nMessages: %d texts (%d segments), %d emails%n", r.smsSent(), r.smsSegments(), r.emailsSent()));
        ReportSettings st = r.settings();
        s.append("\nHow these figures are computed\n");
        s.append("  Revenue = recovered appointments x value per follow-up type (default ").append(money(st.defaultRevenue())).append(").\n");
        s.append("  Staff time saved = resolved without staff (").append(r.resolvedWithoutStaff())
                .append(": booked, declined or opted out after a message, never handed to staff) x ").append(st.manualCallsPerFollowUp())
                .append(" manual calls x ").append(st.minutesPerManualCall()).append(" min.\n");
        s.append("  Response rate = replies this week / follow-ups the channel reached this week or heard back from this week.\n");
        s.append("  Messaging cost = SMS segments x price per segment; ROI = (revenue - cost - weekly fee ")
                .append(money(r.weeklyFee())).append(") / (cost + weekly fee).\n");
        return s.toString();
    }

    /**
     * One row per figure: {@code metric,value}. Cells that a spreadsheet would run as a formula
     * (starting with {@code =}, {@code +}, {@code -} or {@code @}) are prefixed with an apostrophe.
     *
     * @param r the report
     * @return CSV text with a header row
     */
    public static String csv(WeeklyReport r) {
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        rows.put("practice_id", r.practiceId().value());
        rows.put("practice_name", r.practiceName());
        rows.put("week_start", r.weekStart().toString());
        rows.put("week_end", r.weekEnd().toString());
        rows.put("ingested", Long.toString(r.ingested()));
        rows.put("contacted", Long.toString(r.contacted()));
        rows.put("replied", Long.toString(r.replied()));
        rows.put("booked", Long.toString(r.booked()));
        rows.put("declined", Long.toString(r.declined()));
        rows.put("opted_out", Long.toString(r.optedOut()));
        rows.put("handed_to_staff", Long.toString(r.handedToStaff()));
        rows.put("unreachable", Long.toString(r.unreachable()));
        rows.put("expired", Long.toString(r.expired()));
        for (ChannelStats c : r.channels()) {
            String p = c.channel().name().toLowerCase(java.util.Locale.ROOT);
            rows.put(p + "_contacted", Long.toString(c.contacted()));
            rows.put(p + "_responded", Long.toString(c.responded()));
            rows.put(p + "_booked", Long.toString(c.booked()));
            rows.put(p + "_response_rate", c.responseRate().toPlainString());
        }
        rows.put("revenue_usd", r.revenue().setScale(2, RoundingMode.HALF_UP).toPlainString());
        rows.put("resolved_without_staff", Long.toString(r.resolvedWithoutStaff()));
        rows.put("staff_minutes_saved", Long.toString(r.staffMinutesSaved()));
        rows.put("sms_sent", Long.toString(r.smsSent()));
        rows.put("sms_segments", Long.toString(r.smsSegments()));
        rows.put("emails_sent", Long.toString(r.emailsSent()));
        rows.put("messaging_cost_usd", r.messagingCost().setScale(4, RoundingMode.HALF_UP).toPlainString());
        rows.put("weekly_fee_usd", r.weeklyFee().setScale(2, RoundingMode.HALF_UP).toPlainString());
        rows.put("roi", r.roi() == null ? "" : r.roi().toPlainString());
        new TreeMap<>(r.bookedByType()).forEach((k, v) -> rows.put("booked_type:" + k, Long.toString(v)));
        new TreeMap<>(r.bookedByProvider()).forEach((k, v) -> rows.put("booked_provider:" + k, Long.toString(v)));
        StringBuilder s = new StringBuilder("metric,value\r\n");
        rows.forEach((k, v) -> s.append(cell(k)).append(',').append(cell(v)).append("\r\n"));
        return s.toString();
    }

    /**
     * Quotes a CSV cell and neutralises spreadsheet formulas.
     *
     * @param value the raw value
     * @return the cell as it goes into the file
     */
    public static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9]+(\\.[0-9]+)?")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    /** @param c a channel @return its name as every report format shows it */
    static String channelLabel(Channel c) {
        return switch (c) {
            case SMS -> "SMS";
            case EMAIL -> "Email";
            case STAFF_CALL -> "Staff call";
        };
    }

    private static String money(BigDecimal amount) {
        return "$" + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String percent(BigDecimal fraction) {
        return fraction.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }
}
