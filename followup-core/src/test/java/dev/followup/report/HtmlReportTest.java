package dev.followup.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    final WeeklyReport report = SampleReports.week(SampleReports.MONDAY, 140);
    final List<WeeklyReport> trend = List.of(SampleReports.week(SampleReports.MONDAY.minusWeeks(2), 101),
            SampleReports.week(SampleReports.MONDAY.minusWeeks(1), 120), report);
    final String html = HtmlReport.render(report, trend, List.of(new HtmlReport.Link("CSV", "/followup/practices/riverside/report.csv?week=2026-11-30")));

    @Test
    void namesFromDataAreEscapedEverywhere() {
        assertThat(html).doesNotContain(SampleReports.HOSTILE_PRACTICE).doesNotContain(SampleReports.HOSTILE_PROVIDER)
                .doesNotContain("<img").doesNotContain("alert('p')</script>")
                .contains("&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt; Smith &amp; &quot;Sons&quot;")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void thePageLoadsNothingAndRunsNothing() {
        assertThat(html.toLowerCase()).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("url(").doesNotContain("@import").doesNotContain("<link").doesNotContain("<iframe")
                .doesNotContain("<img").doesNotContain("javascript:");
        // No tag has an attribute that loads or runs something (escaped text and attribute values may mention them; tags may not).
        String tagsOnly = html.replaceAll("\"[^\"]*\"", "\"\"");
        assertThat(Pattern.compile("<[a-zA-Z][^>]*\\s(src|srcset|on[a-z]+|action|formaction)\\s*=").matcher(tagsOnly).find()).isFalse();
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
    }

    @Test
    void headlineFiguresAreTheReportsFigures() {
        assertThat(value("kpi-booked")).isEqualTo("140");
        assertThat(shown("kpi-booked")).isEqualTo("140");
        assertThat(value("kpi-revenue")).isEqualTo(report.revenue().setScale(2).toPlainString());
        assertThat(shown("kpi-revenue")).isEqualTo("$24,220.00"); // 46 × $220 + 94 × $150
        assertThat(value("kpi-hours")).isEqualTo(report.staffHoursSaved().toPlainString());
        assertThat(shown("kpi-hours")).isEqualTo("142.5 h"); // (1180 − 230) × 1.5 × 6 = 8,550 min
        assertThat(shown("kpi-cost")).isEqualTo("$26.07");
        assertThat(value("kpi-roi")).isEqualTo(report.roi().toPlainString());
        assertThat(shown("kpi-roi")).isEqualTo("33,543.6%");
        assertThat(html).contains("▲ 20</span> vs last week").contains("▲ $3,420.00</span> vs last week");
    }

    @Test
    void theFunnelAndChannelsShowTheCounts() {
        assertThat(shown("funnel-ingested")).isEqualTo("1,234");
        assertThat(shown("funnel-contacted")).isEqualTo("1,180");
        assertThat(shown("funnel-replied")).isEqualTo("517");
        assertThat(shown("funnel-booked")).isEqualTo("140");
        assertThat(html).contains("data-step=\"booked\" data-value=\"140\"").contains("Declined <b>41</b>").contains("Opted out <b>12</b>")
                .contains("Handed to staff <b>230</b>").contains("Unreachable <b>17</b>").contains("Expired <b>3</b>");
        assertThat(shown("rate-SMS")).isEqualTo("40.7%"); // 480 / 1180
        assertThat(shown("rate-EMAIL")).isEqualTo("12.3%"); // 37 / 300
        assertThat(shown("rate-STAFF_CALL")).isEqualTo("67.8%"); // 61 / 90
        assertThat(html).contains("data-channel=\"SMS\" data-rate=\"0.4068\"").contains("480 replied of 1,180 reached · 120 booked")
                .contains("61 reached of 90 calls completed · 12 booked");
    }

    @Test
    void theTrendHasOneGroupPerWeekWithItsFigures() {
        List<String> weeks = all("<g data-week=\"([0-9-]+)\">");
        assertThat(weeks).containsExactly("2026-11-16", "2026-11-23", "2026-11-30");
        assertThat(all("data-series=\"booked\" data-value=\"([0-9]+)\"")).containsExactly("101", "120", "140");
        assertThat(all("data-series=\"contacted\" data-value=\"([0-9]+)\"")).containsExactly("1180", "1180", "1180");
    }

    @Test
    void breakdownsListEveryProviderAndTypeWithRevenue() {
        assertThat(html).contains("data-key=\"post-op\" data-value=\"46\"").contains("data-key=\"annual-exam\" data-value=\"94\"")
                .contains("× $220.00 = $10,120.00").contains("× $150.00 = $14,100.00")
                .contains("data-key=\"Dr. Chen\" data-value=\"25\"").contains("data-key=\"&lt;img src=x onerror=alert(1)&gt;\" data-value=\"100\"");
    }

    @Test
    void everyFigureIsExplainedWithTheSettingsItCameFrom() {
        assertThat(html).contains("post op $220.00").contains("any other type at $150.00")
                .contains("94 annual exam × $150.00 + 46 post op × $220.00 = $24,220.00")
                .contains("1.5 phone calls").contains("6 minutes each")
                .contains("950 resolved without staff × 1.5 calls × 6 min = 8,550 min = 142.5 h")
                .contains("2,950 texts in 3,300 segments, 300 emails = $26.07")
                .contains("monthly fee of $199.00 × 12 ÷ 52 = $45.92")
                .contains("($24,220.00 − $26.07 − $45.92) ÷ $71.99 = 33,543.6%");
    }

    @Test
    void aQuietWeekRendersWithoutRatiosOrBreakdowns() {
        String quiet = HtmlReport.render(SampleReports.quietWeek(SampleReports.MONDAY));
        assertThat(quiet).contains("id=\"kpi-roi\" data-value=\"\">n/a<").contains("No cost this week")
                .contains("No appointments recovered this week.").contains("id=\"rate-SMS\">0.0%<");
    }

    @Test
    void tagsAreBalanced() {
        for (String tag : List.of("section", "svg", "g", "div", "dl", "header", "main", "nav", "p")) {
            assertThat(count("<" + tag + "[ >]")).as(tag).isEqualTo(count("</" + tag + ">"));
        }
    }

    @Test
    void linksMustStayOnTheSite() {
        for (String href : List.of("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "data:text/html,x", "a\"b", "")) {
            assertThatThrownBy(() -> new HtmlReport.Link("x", href)).as(href).isInstanceOf(InvalidInputException.class);
        }
        assertThat(new HtmlReport.Link("Previous", "report?week=2026-11-23").href()).isEqualTo("report?week=2026-11-23");
        assertThat(html).contains("<a href=\"/followup/practices/riverside/report.csv?week=2026-11-30\">CSV</a>");
    }

    private String value(String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\" data-value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(id).isTrue();
        return m.group(1);
    }

    private String shown(String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(m.find()).as(id).isTrue();
        return m.group(1);
    }

    private List<String> all(String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private long count(String regex) {
        return Pattern.compile(regex).matcher(html).results().count();
    }
}
