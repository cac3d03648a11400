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

    private static final String PATIENT_COLUMNS = "practice_id, id, identity_hash, contact_hash, phone_hash, key_id, mrn_enc,"
            + " first_name_enc, last_name_enc, phone_enc, phone_line_type, email_enc, language, time_zone";
    private static final String PATIENT_VALUES = ":practice, :id, :identity, :contact, :phoneHash, :key, :mrn, :first, :last, :phone,"
            + " :lineType, :email, :language, :zone";

    /** Inserts a patient whose id is new: the same on both databases, and cheaper than {@link #upsertPatient}. */
    static final String INSERT_PATIENT = "INSERT INTO followup_patient (" + PATIENT_COLUMNS + ") VALUES (" + PATIENT_VALUES + ")";

    /** @return one statement that inserts a patient or replaces the stored one with the same id */
    public String upsertPatient() {
        if (this == H2) {
            return "MERGE INTO followup_patient (" + PATIENT_COLUMNS + ") KEY (practice_id, id) VALUES (" + PATIENT_VALUES + ")";
        }
        return "INSERT INTO followup_patient (" + PATIENT_COLUMNS + ") VALUES (" + PATIENT_VALUES + ") ON CONFLICT (practice_id, id)"
                + " DO UPDATE SET identity_hash = EXCLUDED.identity_hash, contact_hash = EXCLUDED.contact_hash,"
                + " phone_hash = EXCLUDED.phone_hash, key_id = EXCLUDED.key_id,"
                + " mrn_enc = EXCLUDED.mrn_enc, first_name_enc = EXCLUDED.first_name_enc, last_name_enc = EXCLUDED.last_name_enc,"
                + " phone_enc = EXCLUDED.phone_enc, phone_line_type = EXCLUDED.phone_line_type, email_enc = EXCLUDED.email_enc,"
                + " language = EXCLUDED.language, time_zone = EXCLUDED.time_zone";
    }

    /** @return the clause that turns a plain INSERT into one that skips a row whose key exists, or "" */
    public String onConflictDoNothing() {
        return this == POSTGRESQL ? " ON CONFLICT DO NOTHING" : "";
    }
}
