/**
 * The entry point: {@link dev.followup.FollowUpEngine}, built with its ports, a clock, policies and practices, and {@link dev.followup.FollowUpException}, the root of every exception the library throws.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup;

import org.jspecify.annotations.NullMarked;
