/**
 * The machinery of the JDBC store: SQL, row codecs, field encryption and blind indexes. Not
 * supported API: it may change at any time without notice.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.jdbc.internal;

import org.jspecify.annotations.NullMarked;
