/**
 * Open time slots, preferred windows and booking outcomes.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.scheduling;

import org.jspecify.annotations.NullMarked;
