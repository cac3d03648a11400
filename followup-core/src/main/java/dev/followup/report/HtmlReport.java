package dev.followup.report;

import static dev.followup.report.Markup.count;
import static dev.followup.report.Markup.esc;
import static dev.followup.report.Markup.money;
import static dev.followup.report.Markup.percent;
import static dev.followup.report.Markup.plain;
import static dev.followup.report.Markup.px;

import dev.followup.InvalidInputException;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Renders a {@link WeeklyReport} as one self-contained HTML page: headline figures, the funnel,
 * response rates by channel, a trend over the weeks given, breakdowns by provider and follow-up
 * type, and how every figure is computed. Charts are inline SVG and the style sheet is inline;
 * the page loads nothing and runs no script, so it can be mailed, saved or served as it is.
 *
 * <p>Every text that comes from data (practice, provider and type names) is escaped. The page
 * holds no PHI: a report has none to give.
 *
 * <pre>{@code
 * List<WeeklyReport> weeks = engine.weeklyReports(practiceId, LocalDate.of(2026, 11, 30), 8);
 * String html = HtmlReport.render(weeks.get(weeks.size() - 1), weeks);
 * }</pre>
 */
public final class HtmlReport {
    /**
     * The content security policy the pages of this package are written for, which they also
     * carry in a meta tag: nothing loads, nothing runs, styles are inline, forms post to the same
     * origin. A server should send it as a header too.
     */
    public static final String CONTENT_SECURITY_POLICY = Markup.CONTENT_SECURITY_POLICY;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE MMM d", Locale.US);
    private static final DateTimeFormatter DAY_YEAR = DateTimeFormatter.ofPattern("EEE MMM d, uuuu", Locale.US);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MMM d", Locale.US);
    private static final String[] FUNNEL_FILLS = {"#b9e6e1", "#6cc5bc", "#14a39a", "#0f766e"};

    private HtmlReport() {
    }

    /**
     * A link offered in the page's header, such as the CSV download or the previous week. Only
     * same-site references are accepted (a path, relative or absolute, with a query), so a page
     * never points anywhere else.
     *
     * @param label what the link says
     * @param href where it goes: letters, digits and {@code / . _ ~ - ? = & %}, not starting with {@code //}
     */
    public record Link(String label, String href) {
        private static final Pattern SAME_SITE = Pattern.compile("(?!//)[A-Za-z0-9/._~?=&%-]{1,500}");

        /** Validates the link. */
        public Link {
            if (label == null || label.isBlank()) {
                throw new InvalidInputException("a link needs a label");
            }
            requireSameSite(href);
        }

        static String requireSameSite(String href) {
            if (href == null || !SAME_SITE.matcher(href).matches()) {
                throw new InvalidInputException("a page's links and form actions must be same-site paths (no scheme, no host)");
            }
            return href;
        }
    }

    /**
     * @param report the week to show
     * @return the page, without a trend beyond this week
     */
    public static String render(WeeklyReport report) {
        return render(report, List.of(report), List.of());
    }

    /**
     * @param report the week to show
     * @param trend the weeks to chart, oldest first, normally ending with {@code report}'s week
     *     (from {@code FollowUpEngine#weeklyReports}); the 26 most recent are drawn
     * @return the page
     */
    public static String render(WeeklyReport report, List<WeeklyReport> trend) {
        return render(report, trend, List.of());
    }

    /**
     * @param report the week to show
     * @param trend the weeks to chart, oldest first (the 26 most recent are drawn)
     * @param links links for the page's header (downloads, other weeks, the task board)
     * @return the page
     */
    public static String render(WeeklyReport report, List<WeeklyReport> trend, List<Link> links) {
        Objects.requireNonNull(report, "report");
        List<WeeklyReport> weeks = trend.isEmpty() ? List.of(report) : trend.subList(Math.max(0, trend.size() - 26), trend.size());
        WeeklyReport previous = trend.stream().filter(w -> w.weekStart().equals(report.weekStart().minusWeeks(1))).findFirst().orElse(null);
        StringBuilder s = new StringBuilder(32_768);
        Markup.head(s, report.practiceName() + " — follow-up report, week of " + report.weekStart().format(DAY_YEAR));
        s.append("<body>\n<main class=\"page\">\n");
        header(s, report, links);
        kpis(s, report, previous);
        s.append("<div class=\"grid2\">\n");
        funnel(s, report);
        channels(s, report);
        s.append("</div>\n");
        trendChart(s, report, weeks);
        s.append("<div class=\"grid2\">\n");
        breakdown(s, "by-provider", "Recovered by provider", "Appointments booked this week, by the provider the follow-up was for.",
                report.bookedByProvider(), null);
        breakdown(s, "by-type", "Recovered by follow-up type", "Appointments booked this week, by visit type, with the revenue each is valued at.",
                report.bookedByType(), report.settings());
        s.append("</div>\n");
        explanation(s, report);
        s.append("<footer>This report holds no patient information: only counts, money, and the names of the practice and its providers. ")
                .append("Produced by Followup.</footer>\n");
        s.append("</main>\n</body>\n</html>\n");
        return s.toString();
    }

    private static void header(StringBuilder s, WeeklyReport r, List<Link> links) {
        s.append("<header class=\"top\">\n<div>\n<h1 id=\"practice-name\">").append(esc(r.practiceName())).append("</h1>\n")
                .append("<p class=\"sub\">Weekly follow-up report · <span id=\"week\" data-week-start=\"").append(r.weekStart()).append("\">")
                .append(esc(r.weekStart().format(DAY))).append(" – ").append(esc(r.weekEnd().format(DAY_YEAR))).append("</span> · ")
                .append(esc(r.zone().getId())).append("</p>\n</div>\n");
        if (!links.isEmpty()) {
            s.append("<nav class=\"links\">");
            for (Link l : links) {
                s.append("<a href=\"").append(esc(l.href())).append("\">").append(esc(l.label())).append("</a>");
            }
            s.append("</nav>\n");
        }
        s.append("</header>\n");
    }

    private static void kpis(StringBuilder s, WeeklyReport r, WeeklyReport prev) {
        BigDecimal totalCost = r.messagingCost().add(r.weeklyFee());
        s.append("<section class=\"kpis\" aria-label=\"Headline figures\">\n");
        kpi(s, "booked", "", "Appointments recovered", count(r.booked()), Long.toString(r.booked()),
                prev == null ? "of " + count(r.contacted()) + " patients contacted" : delta(r.booked() - prev.booked(), false) + " vs last week");
        kpi(s, "revenue", "", "Revenue attributed", money(r.revenue()), r.revenue().setScale(2, RoundingMode.HALF_UP).toPlainString(),
                prev == null ? "at the practice's value per visit" : moneyDelta(r.revenue().subtract(prev.revenue())) + " vs last week");
        kpi(s, "hours", "", "Staff hours saved", r.staffHoursSaved().toPlainString() + " h", r.staffHoursSaved().toPlainString(),
                count(r.staffMinutesSaved()) + " minutes of phone calls not made");
        kpi(s, "cost", " cost", "Messaging cost", money(r.messagingCost()), r.messagingCost().setScale(2, RoundingMode.HALF_UP).toPlainString(),
                count(r.smsSent()) + " texts (" + count(r.smsSegments()) + " segments) · " + count(r.emailsSent()) + " emails");
        String roiNote = r.roi() == null ? "no cost this week"
                : money(r.revenue().divide(totalCost, 2, RoundingMode.HALF_UP)) + " back per $1 spent (messages + fee)";
        kpi(s, "roi", "", "Return on investment", r.roi() == null ? "n/a" : percent(r.roi()), r.roi() == null ? "" : r.roi().toPlainString(), roiNote);
        s.append("</section>\n");
    }

    private static void kpi(StringBuilder s, String id, String cls, String label, String shown, String raw, String note) {
        s.append("<div class=\"kpi").append(cls).append("\"><div class=\"label\">").append(esc(label)).append("</div>")
                .append("<div class=\"value\" id=\"kpi-").append(id).append("\" data-value=\"").append(esc(raw)).append("\">")
                .append(esc(shown)).append("</div><div class=\"note\">").append(note).append("</div></div>\n");
    }

    /** Returns markup: an arrow and a count, coloured by whether the change is good news. */
    private static String delta(long change, boolean lowerIsBetter) {
        if (change == 0) {
            return "no change";
        }
        boolean good = (change > 0) != lowerIsBetter;
        return "<span class=\"" + (good ? "up" : "down") + "\">" + (change > 0 ? "▲ " : "▼ ") + count(Math.abs(change)) + "</span>";
    }

    private static String moneyDelta(BigDecimal change) {
        if (change.signum() == 0) {
            return "no change";
        }
        return "<span class=\"" + (change.signum() > 0 ? "up" : "down") + "\">" + (change.signum() > 0 ? "▲ " : "▼ ")
                + esc(money(change.abs())) + "</span>";
    }

    private static void funnel(StringBuilder s, WeeklyReport r) {
        String[] labels = {"Ingested", "Contacted", "Replied", "Booked"};
        String[] keys = {"ingested", "contacted", "replied", "booked"};
        long[] values = {r.ingested(), r.contacted(), r.replied(), r.booked()};
        long max = Math.max(1, Math.max(Math.max(values[0], values[1]), Math.max(values[2], values[3])));
        int rowH = 48;
        s.append("<section class=\"card\" id=\"funnel\">\n<h2>The week's funnel</h2>\n")
                .append("<p class=\"hint\">Follow-ups whose step happened this week: put on the list, first contacted, first replied, booked.</p>\n");
        s.append("<svg viewBox=\"0 0 500 ").append(rowH * 4 + 4).append("\" role=\"img\" aria-labelledby=\"funnel-title\">")
                .append("<title id=\"funnel-title\">Funnel: ");
        for (int i = 0; i < 4; i++) {
            s.append(i > 0 ? ", " : "").append(labels[i].toLowerCase(Locale.ROOT)).append(' ').append(values[i]);
        }
        s.append("</title>\n");
        double regionX = 92;
        double regionW = 290;
        for (int i = 0; i < 4; i++) {
            double y = 4 + i * rowH;
            double w = Math.max(2, regionW * values[i] / max);
            double x = regionX + (regionW - w) / 2;
            s.append("<text x=\"0\" y=\"").append(px(y + 25)).append("\" class=\"strong\">").append(labels[i]).append("</text>")
                    .append("<rect x=\"").append(px(x)).append("\" y=\"").append(px(y + 4)).append("\" width=\"").append(px(w))
                    .append("\" height=\"32\" rx=\"5\" fill=\"").append(FUNNEL_FILLS[i]).append("\" data-step=\"").append(keys[i])
                    .append("\" data-value=\"").append(values[i]).append("\"/>")
                    .append("<text x=\"392\" y=\"").append(px(y + 21)).append("\" class=\"strong\" id=\"funnel-").append(keys[i]).append("\">")
                    .append(count(values[i])).append("</text>");
            if (i > 0) {
                s.append("<text x=\"392\" y=\"").append(px(y + 36)).append("\" class=\"muted small\">")
                        .append(values[i - 1] == 0 ? "—" : wholePercent(ratio(values[i], values[i - 1])) + " of " + labels[i - 1].toLowerCase(Locale.ROOT))
                        .append("</text>");
            }
            s.append('\n');
        }
        s.append("</svg>\n<div class=\"chips\">");
        chip(s, "Declined", r.declined());
        chip(s, "Opted out", r.optedOut());
        chip(s, "Handed to staff", r.handedToStaff());
        chip(s, "Unreachable", r.unreachable());
        chip(s, "Expired", r.expired());
        s.append("</div>\n</section>\n");
    }

    private static void chip(StringBuilder s, String label, long value) {
        s.append("<span class=\"chip\">").append(label).append(" <b>").append(count(value)).append("</b></span>");
    }

    private static String wholePercent(BigDecimal fraction) {
        return fraction.multiply(BigDecimal.valueOf(100)).setScale(0, RoundingMode.HALF_UP).toPlainString() + "%";
    }

    private static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    private static void channels(StringBuilder s, WeeklyReport r) {
        Channel[] order = {Channel.SMS, Channel.EMAIL, Channel.STAFF_CALL};
        int rowH = 60;
        s.append("<section class=\"card\" id=\"channels\">\n<h2>Response rate by channel</h2>\n")
                .append("<p class=\"hint\">Of the follow-ups each channel reached this week or heard back from this week, how many answered this week; staff calls count patients reached.</p>\n");
        s.append("<svg viewBox=\"0 0 500 ").append(rowH * 3 + 4).append("\" role=\"img\" aria-labelledby=\"channels-title\">")
                .append("<title id=\"channels-title\">Response rate by channel</title>\n");
        for (int i = 0; i < 3; i++) {
            ChannelStats c = r.channel(order[i]);
            double y = 4 + i * rowH;
            double w = 300 * Math.min(1, c.responseRate().doubleValue());
            boolean staff = order[i] == Channel.STAFF_CALL;
            s.append("<text x=\"0\" y=\"").append(px(y + 21)).append("\" class=\"strong\">").append(ReportFormats.channelLabel(order[i])).append("</text>")
                    .append("<rect x=\"92\" y=\"").append(px(y + 8)).append("\" width=\"300\" height=\"18\" rx=\"9\" fill=\"#edf0f3\"/>")
                    .append("<rect x=\"92\" y=\"").append(px(y + 8)).append("\" width=\"").append(px(w)).append("\" height=\"18\" rx=\"9\" fill=\"")
                    .append(staff ? "#2563eb" : "#14a39a").append("\" data-channel=\"").append(order[i].name()).append("\" data-rate=\"")
                    .append(c.responseRate().toPlainString()).append("\"/>")
                    .append("<text x=\"402\" y=\"").append(px(y + 22)).append("\" class=\"strong\" id=\"rate-").append(order[i].name())
                    .append("\">").append(percent(c.responseRate())).append("</text>")
                    .append("<text x=\"92\" y=\"").append(px(y + 45)).append("\" class=\"muted small\">")
                    .append(staff ? count(c.responded()) + " reached of " + count(c.contacted()) + " calls completed"
                            : count(c.responded()) + " replied of " + count(c.contacted()) + " reached")
                    .append(" · ").append(count(c.booked())).append(" booked</text>\n");
        }
        s.append("</svg>\n</section>\n");
    }

    private static void trendChart(StringBuilder s, WeeklyReport current, List<WeeklyReport> weeks) {
        long max = 1;
        for (WeeklyReport w : weeks) {
            max = Math.max(max, Math.max(w.contacted(), w.booked()));
        }
        long step = niceStep(max / 4.0);
        long top = ((max + step - 1) / step) * step;
        double left = 46;
        double right = 1060;
        double plotTop = 22;
        double plotBottom = 190;
        double groupW = (right - left) / weeks.size();
        double barW = Math.min(26, groupW * 0.34);
        if (weeks.size() < 2) {
            s.append("<section class=\"card\" id=\"trend\">\n<h2>Trend</h2>\n<p class=\"empty\">The trend over the weeks appears here from ")
                    .append("the second week on.</p>\n</section>\n");
            return;
        }
        s.append("<section class=\"card\" id=\"trend\">\n<h2>Trend: the last ").append(weeks.size()).append(" weeks")
                .append("</h2>\n<p class=\"legend\"><span><i style=\"background:#8fd3cc\"></i>Patients contacted</span>")
                .append("<span><i style=\"background:#0f766e\"></i>Appointments recovered</span></p>\n");
        s.append("<svg viewBox=\"0 0 1080 222\" role=\"img\" aria-labelledby=\"trend-title\"><title id=\"trend-title\">Patients contacted and appointments recovered per week</title>\n");
        for (long t = 0; t <= top; t += step) {
            double y = plotBottom - (plotBottom - plotTop) * t / top;
            s.append("<line x1=\"").append(px(left)).append("\" x2=\"").append(px(right)).append("\" y1=\"").append(px(y)).append("\" y2=\"")
                    .append(px(y)).append("\" stroke=\"#e4e7eb\"/>").append("<text x=\"").append(px(left - 8)).append("\" y=\"").append(px(y + 4))
                    .append("\" text-anchor=\"end\" class=\"muted small\">").append(count(t)).append("</text>\n");
        }
        for (int i = 0; i < weeks.size(); i++) {
            WeeklyReport w = weeks.get(i);
            double cx = left + groupW * i + groupW / 2;
            double hc = (plotBottom - plotTop) * w.contacted() / top;
            double hb = (plotBottom - plotTop) * w.booked() / top;
            boolean isCurrent = w.weekStart().equals(current.weekStart());
            s.append("<g data-week=\"").append(w.weekStart()).append("\">")
                    .append("<rect x=\"").append(px(cx - barW - 1)).append("\" y=\"").append(px(plotBottom - hc)).append("\" width=\"").append(px(barW))
                    .append("\" height=\"").append(px(hc)).append("\" rx=\"3\" fill=\"#8fd3cc\" data-series=\"contacted\" data-value=\"")
                    .append(w.contacted()).append("\"/>")
                    .append("<rect x=\"").append(px(cx + 1)).append("\" y=\"").append(px(plotBottom - hb)).append("\" width=\"").append(px(barW))
                    .append("\" height=\"").append(px(hb)).append("\" rx=\"3\" fill=\"#0f766e\" data-series=\"booked\" data-value=\"")
                    .append(w.booked()).append("\"/>")
                    .append("<text x=\"").append(px(cx + 1 + barW / 2)).append("\" y=\"").append(px(plotBottom - hb - 5))
                    .append("\" text-anchor=\"middle\" class=\"small strong\">").append(count(w.booked())).append("</text>")
                    .append("<text x=\"").append(px(cx)).append("\" y=\"").append(px(plotBottom + 18)).append("\" text-anchor=\"middle\" class=\"small")
                    .append(isCurrent ? " strong" : " muted").append("\">").append(esc(w.weekStart().format(SHORT))).append("</text>")
                    .append("<text x=\"").append(px(cx)).append("\" y=\"").append(px(plotBottom + 32)).append("\" text-anchor=\"middle\" class=\"small muted\">")
                    .append(esc(money(w.revenue()).replaceAll("\\.00$", ""))).append("</text></g>\n");
        }
        s.append("</svg>\n<p class=\"hint\">Under each week: the revenue attributed that week.</p>\n</section>\n");
    }

    /** 1, 2 or 5 times a power of ten: gridlines people can read at a glance. */
    private static long niceStep(double rough) {
        long magnitude = 1;
        while (magnitude * 10 <= rough) {
            magnitude *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * magnitude >= rough) {
                return Math.max(1, m * magnitude);
            }
        }
        return magnitude * 10;
    }

    private static void breakdown(StringBuilder s, String id, String title, String hint, Map<String, Long> counts, ReportSettings valued) {
        s.append("<section class=\"card\" id=\"").append(id).append("\">\n<h2>").append(title).append("</h2>\n<p class=\"hint\">")
                .append(hint).append("</p>\n");
        if (counts.isEmpty()) {
            s.append("<p class=\"empty\">No appointments recovered this week.</p>\n</section>\n");
            return;
        }
        List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        long max = Math.max(1, rows.get(0).getValue());
        int rowH = 34;
        // Label column, then the bar, its count, and (for types) the revenue right-aligned at the edge.
        double barX = 148;
        double barMax = valued != null ? 170 : 300;
        s.append("<svg viewBox=\"0 0 500 ").append(rowH * rows.size() + 4).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        for (int i = 0; i < rows.size(); i++) {
            Map.Entry<String, Long> e = rows.get(i);
            double y = 4 + i * rowH;
            String name = valued != null ? typeLabel(e.getKey()) : e.getKey();
            String shown = name.length() > 19 ? name.substring(0, 18) + "…" : name;
            double w = Math.max(2, barMax * e.getValue() / (double) max);
            s.append("<g data-key=\"").append(esc(e.getKey())).append("\" data-value=\"").append(e.getValue()).append("\"><title>")
                    .append(esc(name)).append("</title>")
                    // A nested svg clips a long name (all capitals from some EHRs) before it runs into the bar.
                    .append("<svg x=\"0\" y=\"").append(px(y)).append("\" width=\"").append(px(barX - 8)).append("\" height=\"").append(rowH)
                    .append("\"><text x=\"0\" y=\"19\">").append(esc(shown)).append("</text></svg>")
                    .append("<rect x=\"").append(px(barX)).append("\" y=\"").append(px(y + 6)).append("\" width=\"").append(px(w))
                    .append("\" height=\"18\" rx=\"4\" fill=\"").append(valued != null ? "#14a39a" : "#0f766e").append("\"/>")
                    .append("<text x=\"").append(px(barX + w + 8)).append("\" y=\"").append(px(y + 19)).append("\" class=\"strong\">")
                    .append(count(e.getValue())).append("</text>");
            if (valued != null) {
                BigDecimal each = revenueOf(valued, e.getKey());
                s.append("<text x=\"500\" y=\"").append(px(y + 19)).append("\" text-anchor=\"end\" class=\"muted small\">× ")
                        .append(esc(money(each))).append(" = ").append(esc(money(each.multiply(BigDecimal.valueOf(e.getValue()))))).append("</text>");
            }
            s.append("</g>\n");
        }
        s.append("</svg>\n</section>\n");
    }

    /** A type's code as words; codes that are not valid types (hand-made reports) are shown as they are. */
    private static String typeLabel(String code) {
        try {
            return FollowUpType.of(code).label();
        } catch (InvalidInputException e) {
            return code;
        }
    }

    private static BigDecimal revenueOf(ReportSettings settings, String typeCode) {
        try {
            return settings.revenueOf(FollowUpType.of(typeCode));
        } catch (InvalidInputException e) {
            return settings.defaultRevenue();
        }
    }

    private static void explanation(StringBuilder s, WeeklyReport r) {
        ReportSettings st = r.settings();
        s.append("<section class=\"card\" id=\"how\">\n<h2>How these figures are computed</h2>\n")
                .append("<p class=\"hint\">From this practice's report settings; the same settings feed the CSV and JSON exports.</p>\n<dl class=\"how\">\n");

        s.append("<dt>Appointments recovered</dt><dd>Follow-ups booked this week after the engine reached out: by a text reply, ")
                .append("a staff call, or a booking the EHR reported. Not counted: declined (").append(count(r.declined())).append("), opted out (")
                .append(count(r.optedOut())).append("), unreachable (").append(count(r.unreachable())).append("), expired (")
                .append(count(r.expired())).append(").</dd>\n");

        s.append("<dt>Revenue attributed</dt><dd>Each recovered appointment at the value of its follow-up type");
        List<String> valued = new ArrayList<>();
        st.revenueByType().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(FollowUpType::code)))
                .forEach(e -> valued.add(esc(e.getKey().label()) + " " + esc(money(e.getValue()))));
        s.append(valued.isEmpty() ? "" : " (" + String.join(", ", valued) + ")").append("; any other type at ")
                .append(esc(money(st.defaultRevenue()))).append(".<span class=\"calc\">");
        List<String> terms = new ArrayList<>();
        r.bookedByType().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> terms.add(count(e.getValue()) + " " + esc(typeLabel(e.getKey())) + " × "
                        + esc(money(revenueOf(st, e.getKey())))));
        s.append(terms.isEmpty() ? "No appointments recovered" : String.join(" + ", terms)).append(" = ")
                .append(esc(money(r.revenue()))).append("</span></dd>\n");

        s.append("<dt>Staff hours saved</dt><dd>Every follow-up the engine resolved without staff would otherwise have taken ")
                .append(plain(st.manualCallsPerFollowUp())).append(" phone calls (phone tag) of ").append(st.minutesPerManualCall())
                .append(" minutes each: the follow-ups closed this week as booked, declined or opted out after a message, never handed to staff.")
                .append("<span class=\"calc\">").append(count(r.resolvedWithoutStaff())).append(" resolved without staff × ")
                .append(plain(st.manualCallsPerFollowUp())).append(" calls × ")
                .append(st.minutesPerManualCall()).append(" min = ").append(count(r.staffMinutesSaved())).append(" min = ")
                .append(r.staffHoursSaved().toPlainString()).append(" h</span></dd>\n");

        s.append("<dt>Messaging cost</dt><dd>What the SMS provider charges per segment for every text sent this week, outreach and ")
                .append("replies alike, plus the cost of emails.<span class=\"calc\">").append(count(r.smsSent())).append(" texts in ")
                .append(count(r.smsSegments())).append(" segments, ").append(count(r.emailsSent())).append(" emails = ")
                .append(esc(money(r.messagingCost()))).append("</span></dd>\n");

        BigDecimal totalCost = r.messagingCost().add(r.weeklyFee());
        s.append("<dt>Return on investment</dt><dd>(Revenue − messaging cost − weekly fee) ÷ (messaging cost + weekly fee). The weekly fee is ")
                .append("the monthly fee of ").append(esc(money(st.monthlyFee()))).append(" × 12 ÷ 52 = ").append(esc(money(r.weeklyFee())))
                .append(".<span class=\"calc\">");
        if (r.roi() == null) {
            s.append("No cost this week, so no ratio.");
        } else {
            s.append('(').append(esc(money(r.revenue()))).append(" − ").append(esc(money(r.messagingCost()))).append(" − ")
                    .append(esc(money(r.weeklyFee()))).append(") ÷ ").append(esc(money(totalCost))).append(" = ").append(percent(r.roi()));
        }
        s.append("</span></dd>\n");

        s.append("<dt>Response rates</dt><dd>Replies this week ÷ follow-ups the channel reached this week or whose reply to it came this ")
                .append("week (a text on Friday answered on Monday counts in Monday's week; first reply counts, attributed to the channel it ")
                .append("came in on), so a rate is at most 100%. For staff calls: patients reached ÷ tasks completed with an outcome.</dd>\n");
        s.append("<dt>Counting by week</dt><dd>Each step counts in the week it happened (Monday to Sunday, ").append(esc(r.zone().getId()))
                .append("): a patient put on the list last week who replied this week counts as replied here, not as ingested.</dd>\n");
        s.append("</dl>\n</section>\n");
    }
}
