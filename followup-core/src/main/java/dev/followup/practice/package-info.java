/**
 * Practices are the tenants: every piece of data belongs to exactly one practice. Also providers, send windows and the business calendar.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.practice;

import org.jspecify.annotations.NullMarked;
