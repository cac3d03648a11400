package dev.followup.jdbc.internal;

import dev.followup.audit.AuditEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * What every statement of the store needs: the database, its dialect, and the keys.
 *
 * @param jdbi the database
 * @param dialect its dialect
 * @param cipher encrypts and decrypts PHI fields
 * @param index computes blind indexes for lookups
 * @param trailHeads the last audit event this process appended per practice: a hint that saves
 *     reading it back, used only when it matches the locked head row's sequence and hash
 */
public record StoreContext(Jdbi jdbi, Dialect dialect, FieldCipher cipher, BlindIndex index, Map<String, AuditEvent> trailHeads) {
    /**
     * @param jdbi the database
     * @param dialect its dialect
     * @param cipher encrypts and decrypts PHI fields
     * @param index computes blind indexes for lookups
     */
    public StoreContext(Jdbi jdbi, Dialect dialect, FieldCipher cipher, BlindIndex index) {
        this(jdbi, dialect, cipher, index, new ConcurrentHashMap<>());
    }
}
