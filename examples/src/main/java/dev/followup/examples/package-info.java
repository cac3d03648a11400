/**
 * Runnable examples: {@link dev.followup.examples.Demo} ingests the sample patient lists and runs a
 * simulated week of outreach with simulated patients, without credentials.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.examples;

import org.jspecify.annotations.NullMarked;
