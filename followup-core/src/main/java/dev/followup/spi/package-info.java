/**
 * Service provider interfaces: the ports through which the engine talks to SMS and email providers, storage, scheduling systems, task queues and key management. Implement these to plug in another provider; the test kit's contract suites prove an implementation.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.spi;

import org.jspecify.annotations.NullMarked;
