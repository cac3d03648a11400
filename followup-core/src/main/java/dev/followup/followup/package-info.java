/**
 * The follow-up case: one patient, one need, one policy, and the explicit state machine it moves through.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.followup;

import org.jspecify.annotations.NullMarked;
