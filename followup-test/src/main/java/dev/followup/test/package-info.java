/**
 * The published test kit: in-memory adapters of the SPI ports for fast tests of code that embeds
 * the engine. Adapter authors find the contract suites in {@link dev.followup.test.contract}.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.test;

import org.jspecify.annotations.NullMarked;
