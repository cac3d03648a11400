/**
 * Contract suites for the SPI ports: abstract JUnit 5 classes that an adapter's tests extend to
 * prove the adapter behaves as the engine relies on.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.test.contract;

import org.jspecify.annotations.NullMarked;
