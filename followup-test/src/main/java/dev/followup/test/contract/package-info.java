/**
 * Abstract JUnit 5 contract suites for the SPI ports. An adapter's test class extends one and
 * implements its few hooks; the suite's tests then run against the adapter, so that a third-party
 * adapter proves itself the same way as the shipped ones.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.test.contract;

import org.jspecify.annotations.NullMarked;
