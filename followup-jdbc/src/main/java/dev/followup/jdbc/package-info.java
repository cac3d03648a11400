/**
 * Durable storage on a relational database: {@link dev.followup.jdbc.JdbiFollowUpStore} implements
 * the engine's {@link dev.followup.spi.FollowUpStore} on H2 (the embedded default) and PostgreSQL,
 * with its own Flyway migrations, PHI encrypted per field and keyed-hash lookups.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.jdbc;

import org.jspecify.annotations.NullMarked;
