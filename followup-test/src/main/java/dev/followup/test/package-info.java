/**
 * The test kit: in-memory implementations of the SPI ports for tests of code that uses the
 * library, and (in {@code dev.followup.test.contract}) the contract suites every adapter proves
 * itself with.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.test;

import org.jspecify.annotations.NullMarked;
