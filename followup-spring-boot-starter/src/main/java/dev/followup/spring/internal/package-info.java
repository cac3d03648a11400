/**
 * The starter's machinery: property mapping, the scheduler, the webhook controller, the health
 * indicator and the metrics listener. Not supported API; it may change at any time. Replace these
 * beans by name or through the public SPI, never by depending on these classes.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.spring.internal;

import org.jspecify.annotations.NullMarked;
