/**
 * The engine's machinery. Not supported API: it may change at any time without notice.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.internal;

import org.jspecify.annotations.NullMarked;
