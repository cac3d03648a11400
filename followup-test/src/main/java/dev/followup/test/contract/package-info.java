/**
 * Abstract JUnit 5 suites that every implementation of an SPI port extends, so that a third-party
 * adapter proves itself exactly the way the shipped ones do.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.test.contract;

import org.jspecify.annotations.NullMarked;
