package dev.followup.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * What the HTML pages of this package share: escaping, number formats, and one style sheet, so the
 * report and the task board look like one product. Package-private: how pages are put together is
 * not an API.
 */
final class Markup {
    private Markup() {
    }

    /**
     * The policy every page carries in a meta tag as well as (from a server) in a header: nothing
     * may load or run, styles are inline, forms post back to the same origin only. A report saved
     * to disk and opened from there is held to it too.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /**
     * Escapes text for HTML element content and quoted attribute values alike (including SVG text
     * inlined in HTML). Every value that did not come from this class goes through here.
     */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters have no business in a page; they would only confuse a reader.
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    static String money(BigDecimal amount) {
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
        BigDecimal rounded = amount.setScale(2, RoundingMode.HALF_UP);
        return (rounded.signum() < 0 ? "-$" : "$") + f.format(rounded.abs());
    }

    /** A fraction as a percentage with one decimal and grouping: 12.5 becomes {@code 1,250.0%}. */
    static String percent(BigDecimal fraction) {
        DecimalFormat f = new DecimalFormat("#,##0.0", DecimalFormatSymbols.getInstance(Locale.US));
        return f.format(fraction.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP)) + "%";
    }

    /** A setting such as 2 or 1.5 calls, without a trailing {@code .0}. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A coordinate for SVG: one decimal is finer than any screen needs. */
    static String px(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static void head(StringBuilder s, String title) {
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY).append("\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n");
    }

    // Colours: one teal family for "good" figures, a warm accent for cost, greys for everything else.
    // Sizes in rem so a browser's zoom and a practice manager's larger default font both work.
    static final String STYLE = """
            :root { --ink: #1f2933; --muted: #52606d; --faint: #9aa5b1; --line: #e4e7eb; --bg: #f3f5f7; --card: #ffffff;
              --teal: #0f766e; --teal-2: #14a39a; --teal-3: #8fd3cc; --teal-4: #d5f0ed; --warm: #c2410c; --warm-2: #fed7aa;
              --blue: #2563eb; --track: #edf0f3; }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--bg); color: var(--ink);
              font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
            .page { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
            header.top { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px; margin-bottom: 20px; }
            header.top h1 { font-size: 1.65rem; margin: 0; letter-spacing: -0.01em; }
            header.top .sub { color: var(--muted); margin: 2px 0 0; }
            nav.links { display: flex; flex-wrap: wrap; gap: 8px; }
            nav.links a, .button { display: inline-block; padding: 6px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--card);
              color: var(--teal); text-decoration: none; font-weight: 600; font-size: 0.9rem; }
            nav.links a:hover { border-color: var(--teal-3); }
            .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 14px; margin-bottom: 18px; }
            .kpi { background: var(--card); border-radius: 12px; padding: 16px 18px; box-shadow: 0 1px 2px rgba(31,41,51,.08); border-top: 4px solid var(--teal); }
            .kpi.cost { border-top-color: var(--warm); }
            .kpi .label { color: var(--muted); font-size: 0.8rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; min-height: 2.5em; }
            .kpi .value { font-size: 2.1rem; font-weight: 700; line-height: 1.15; margin: 6px 0 4px; font-variant-numeric: tabular-nums; }
            .kpi .note { color: var(--muted); font-size: 0.85rem; }
            .up { color: var(--teal); font-weight: 600; } .down { color: var(--warm); font-weight: 600; }
            .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 18px; margin-bottom: 18px; }
            section.card { background: var(--card); border-radius: 12px; padding: 18px 20px; box-shadow: 0 1px 2px rgba(31,41,51,.08); margin-bottom: 18px; }
            .grid2 section.card { margin-bottom: 0; }
            section.card h2 { font-size: 1.05rem; margin: 0 0 4px; }
            section.card p.hint { color: var(--muted); margin: 0 0 12px; font-size: 0.88rem; }
            svg { display: block; width: 100%; height: auto; font-family: inherit; }
            svg text { fill: var(--ink); font-size: 13px; }
            svg .muted { fill: var(--muted); } svg .small { font-size: 11.5px; } svg .strong { font-weight: 700; }
            .chips { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
            .chip { background: var(--track); border-radius: 999px; padding: 3px 10px; font-size: 0.85rem; color: var(--muted); }
            .chip b { color: var(--ink); }
            .legend { display: flex; gap: 16px; font-size: 0.85rem; color: var(--muted); margin: 0 0 6px; }
            .legend i { display: inline-block; width: 11px; height: 11px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; }
            dl.how { margin: 0; display: grid; grid-template-columns: minmax(160px, 220px) 1fr; gap: 10px 18px; }
            dl.how dt { font-weight: 700; } dl.how dd { margin: 0; color: var(--ink); }
            dl.how .calc { display: block; color: var(--muted); font-variant-numeric: tabular-nums; }
            .empty { color: var(--muted); font-style: italic; }
            footer { color: var(--faint); font-size: 0.8rem; margin-top: 8px; }
            .notice { border-radius: 10px; padding: 10px 14px; margin-bottom: 16px; background: var(--teal-4); color: var(--teal); font-weight: 600; }
            .notice.warn { background: var(--warm-2); color: var(--warm); }
            .tasks { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 14px; }
            .task { background: var(--card); border-radius: 12px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(31,41,51,.08); border-left: 5px solid var(--teal-3);
              display: flex; flex-direction: column; gap: 8px; }
            .task.high { border-left-color: var(--warm); }
            .task .who { font-size: 1.1rem; font-weight: 700; overflow-wrap: anywhere; }
            .task .meta { color: var(--muted); font-size: 0.85rem; }
            .task .kind { display: inline-block; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
              background: var(--track); color: var(--muted); border-radius: 6px; padding: 2px 7px; margin-right: 6px; }
            .task.high .kind { background: var(--warm-2); color: var(--warm); }
            .task blockquote { margin: 0; padding: 8px 12px; background: var(--bg); border-radius: 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
            .task form { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 0; }
            .task button { font: inherit; font-size: 0.88rem; font-weight: 600; padding: 6px 12px; border-radius: 8px; cursor: pointer;
              border: 1px solid var(--line); background: var(--card); color: var(--ink); }
            .task button.primary { background: var(--teal); border-color: var(--teal); color: #fff; }
            .task button.booked { border-color: var(--teal-3); color: var(--teal); }
            .task button.declined, .task button.unreachable { color: var(--muted); }
            .task .claimed { font-size: 0.85rem; color: var(--teal); font-weight: 600; }
            @media print {
              body { background: #fff; } .page { padding: 0; } nav.links, form { display: none; }
              .kpi, section.card, .task { box-shadow: none; border: 1px solid var(--line); break-inside: avoid; }
            }
            """;
}
