package dev.followup.jdbc.internal;

import org.jdbi.v3.core.Jdbi;

/**
 * What every statement of the store needs: the database, its dialect, and the keys.
 *
 * @param jdbi the database
 * @param dialect its dialect
 * @param cipher encrypts and decrypts PHI fields
 * @param index computes blind indexes for lookups
 */
public record StoreContext(Jdbi jdbi, Dialect dialect, FieldCipher cipher, BlindIndex index) {
}
