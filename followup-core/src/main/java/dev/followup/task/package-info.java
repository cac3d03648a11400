/**
 * Staff tasks: the follow-ups a person has to take over, with their lifecycle open, claimed, done.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.task;

import org.jspecify.annotations.NullMarked;
