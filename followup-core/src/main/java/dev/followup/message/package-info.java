/**
 * Outbound messages: channels, templates with named placeholders, rendering, SMS segment counting and cost, send attempts and delivery statuses.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.message;

import org.jspecify.annotations.NullMarked;
