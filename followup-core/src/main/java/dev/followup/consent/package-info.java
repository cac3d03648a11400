/**
 * The consent ledger: opt-outs take effect at once for every channel and are only undone by the patient.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.consent;

import org.jspecify.annotations.NullMarked;
