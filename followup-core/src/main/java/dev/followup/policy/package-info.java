/**
 * Escalation policies: immutable ladders of steps, built with a staged builder that validates eagerly.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.policy;

import org.jspecify.annotations.NullMarked;
