/**
 * The weekly report: outcomes, response rates by channel, revenue attributed, staff time saved, cost and ROI, with plain-text and CSV
 * renderings ({@link dev.followup.report.ReportFormats}), JSON ({@link dev.followup.report.ReportJson}), a self-contained HTML page
 * with charts ({@link dev.followup.report.HtmlReport}), and the staff task board page ({@link dev.followup.report.TaskBoardHtml}).
 * The HTML pages load nothing and run no script; every value in them is escaped.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.report;

import org.jspecify.annotations.NullMarked;
