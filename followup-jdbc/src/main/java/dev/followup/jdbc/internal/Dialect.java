package dev.followup.jdbc.internal;

import dev.followup.InvalidConfigurationException;
import java.util.Locale;

/**
 * The few places where H2 and PostgreSQL need different treatment. The schema and almost every
 * statement are common SQL; what differs is how a failed insert leaves the transaction and how
 * concurrent claims behave.
 */
public enum Dialect {
    /**
     * H2 2.x. A failed statement leaves the transaction usable, so "insert unless it exists" is an
     * insert whose unique violation is caught. H2 2.5 applies FOR UPDATE SKIP LOCKED after ORDER BY
     * and LIMIT and locks every row the claim query reads: a second concurrent claimer sees nothing
     * rather than the next rows. An H2 file database belongs to one JVM, so claims are serialised
     * in that JVM instead, and each claimer gets the next due rows.
     */
    H2,
    /**
     * PostgreSQL 13 or later. Any failed statement aborts the whole transaction, so "insert unless it
     * exists" must not fail: it is {@code INSERT … ON CONFLICT DO NOTHING}. Claims use
     * {@code FOR UPDATE SKIP LOCKED} as it is meant to be used, across nodes.
     */
    POSTGRESQL;

    /**
     * @param productName {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
     * @return the dialect
     */
    public static Dialect of(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new InvalidConfigurationException("followup-jdbc supports H2 and PostgreSQL, not " + productName);
    }

    /** @return the clause that turns a plain INSERT into one that skips a row whose key exists, or "" */
    public String onConflictDoNothing() {
        return this == POSTGRESQL ? " ON CONFLICT DO NOTHING" : "";
    }
}
