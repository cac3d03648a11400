/**
 * Patients and their contact points. Types that carry PHI never print it from {@code toString()}.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.patient;

import org.jspecify.annotations.NullMarked;
