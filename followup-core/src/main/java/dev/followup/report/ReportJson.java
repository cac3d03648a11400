package dev.followup.report;

import dev.followup.followup.FollowUpType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link WeeklyReport} as JSON, for dashboards and spreadsheets that import JSON.
 * Written by hand because the shape is small and fixed and core takes no JSON library; keys are
 * the report's component names, money is a number in USD with two decimals (four for the
 * messaging cost, which is summed from fractions of a cent), rates are fractions with four.
 *
 * <p>Strings are escaped for JSON and, beyond what JSON requires, {@code <}, {@code >}, {@code &}
 * and the line separators U+2028/U+2029 are written as {@code \\u} escapes, so the text stays
 * inert even if someone inlines it in an HTML page.
 */
public final class ReportJson {
    private ReportJson() {
    }

    /**
     * @param r the report
     * @return one JSON object, pretty-printed with two-space indentation
     */
    public static String render(WeeklyReport r) {
        StringBuilder s = new StringBuilder(2048);
        s.append("{\n");
        field(s, 1, "practiceId", str(r.practiceId().value()));
        field(s, 1, "practiceName", str(r.practiceName()));
        field(s, 1, "weekStart", str(r.weekStart().toString()));
        field(s, 1, "weekEnd", str(r.weekEnd().toString()));
        field(s, 1, "zone", str(r.zone().getId()));
        field(s, 1, "currency", str("USD"));
        field(s, 1, "ingested", Long.toString(r.ingested()));
        field(s, 1, "contacted", Long.toString(r.contacted()));
        field(s, 1, "replied", Long.toString(r.replied()));
        field(s, 1, "booked", Long.toString(r.booked()));
        field(s, 1, "declined", Long.toString(r.declined()));
        field(s, 1, "optedOut", Long.toString(r.optedOut()));
        field(s, 1, "handedToStaff", Long.toString(r.handedToStaff()));
        field(s, 1, "unreachable", Long.toString(r.unreachable()));
        field(s, 1, "expired", Long.toString(r.expired()));
        s.append("  \"channels\": [");
        List<ChannelStats> channels = r.channels();
        for (int i = 0; i < channels.size(); i++) {
            ChannelStats c = channels.get(i);
            s.append(i == 0 ? "\n" : ",\n").append("    {\"channel\": ").append(str(c.channel().name())).append(", \"contacted\": ")
                    .append(c.contacted()).append(", \"responded\": ").append(c.responded()).append(", \"booked\": ").append(c.booked())
                    .append(", \"responseRate\": ").append(c.responseRate().toPlainString()).append('}');
        }
        s.append(channels.isEmpty() ? "],\n" : "\n  ],\n");
        field(s, 1, "revenue", money(r.revenue(), 2));
        field(s, 1, "resolvedWithoutStaff", Long.toString(r.resolvedWithoutStaff()));
        field(s, 1, "staffMinutesSaved", Long.toString(r.staffMinutesSaved()));
        field(s, 1, "staffHoursSaved", r.staffHoursSaved().toPlainString());
        field(s, 1, "smsSent", Long.toString(r.smsSent()));
        field(s, 1, "smsSegments", Long.toString(r.smsSegments()));
        field(s, 1, "emailsSent", Long.toString(r.emailsSent()));
        field(s, 1, "messagingCost", money(r.messagingCost(), 4));
        field(s, 1, "weeklyFee", money(r.weeklyFee(), 2));
        field(s, 1, "roi", r.roi() == null ? "null" : r.roi().toPlainString());
        field(s, 1, "bookedByType", counts(r.bookedByType()));
        field(s, 1, "bookedByProvider", counts(r.bookedByProvider()));
        ReportSettings st = r.settings();
        StringBuilder byType = new StringBuilder("{");
        st.revenueByType().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(FollowUpType::code)))
                .forEach(e -> byType.append(byType.length() > 1 ? ", " : "").append(str(e.getKey().code())).append(": ")
                        .append(money(e.getValue(), 2)));
        byType.append('}');
        s.append("  \"settings\": {\n");
        field(s, 2, "defaultRevenue", money(st.defaultRevenue(), 2));
        field(s, 2, "revenueByType", byType.toString());
        field(s, 2, "manualCallsPerFollowUp", BigDecimal.valueOf(st.manualCallsPerFollowUp()).stripTrailingZeros().toPlainString());
        field(s, 2, "minutesPerManualCall", Integer.toString(st.minutesPerManualCall()));
        s.append("    \"monthlyFee\": ").append(money(st.monthlyFee(), 2)).append("\n  }\n}\n");
        return s.toString();
    }

    private static void field(StringBuilder s, int depth, String key, String jsonValue) {
        s.append("  ".repeat(depth)).append(str(key)).append(": ").append(jsonValue).append(",\n");
    }

    private static String counts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder("{");
        new TreeMap<>(counts).forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(str(k)).append(": ").append(v));
        return s.append('}').toString();
    }

    private static String money(BigDecimal amount, int scale) {
        return amount.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * @param text any text
     * @return it as a JSON string literal, quotes included
     */
    static String str(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
