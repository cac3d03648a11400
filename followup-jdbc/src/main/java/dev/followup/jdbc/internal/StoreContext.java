package dev.followup.jdbc.internal;

import org.jdbi.v3.core.Jdbi;

/**
 * What every statement of the store needs: the database, its dialect, the keys, and what the store
 * has learnt of the database.
 *
 * @param jdbi the database
 * @param dialect its dialect
 * @param cipher encrypts and decrypts PHI fields
 * @param index computes blind indexes for lookups
 * @param trailHeads the practices whose audit trail head exists, as far as this store has seen
 */
public record StoreContext(Jdbi jdbi, Dialect dialect, FieldCipher cipher, BlindIndex index, KnownTrailHeads trailHeads) {
}
