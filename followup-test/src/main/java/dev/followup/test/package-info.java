/**
 * The test kit: in-memory implementations of every port, a mutable clock, scripted patients, and
 * (in {@code dev.followup.test.contract}) the contract suites that adapters extend to prove
 * themselves. Meant for tests and demos, not for production data.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.test;

import org.jspecify.annotations.NullMarked;
