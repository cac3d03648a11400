/**
 * The audit trail: one event for every communication, consent change, state change and task, hash-chained per practice so that tampering is detectable.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.audit;

import org.jspecify.annotations.NullMarked;
