/**
 * The weekly report: outcomes, response rates by channel, revenue attributed, staff time saved, cost and ROI, with plain-text and CSV renderings.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.report;

import org.jspecify.annotations.NullMarked;
