/**
 * Inbound texts and their classification: opt-out and opt-in keywords, HELP, YES/NO, slot choices, in English and Spanish.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.conversation;

import org.jspecify.annotations.NullMarked;
