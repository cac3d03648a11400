package dev.followup.jdbc.internal;

/**
 * The statements whose speed matters at scale, in one place so that the tests can ask PostgreSQL
 * for their plans ({@code EXPLAIN}) and prove each one reads an index, not the whole table.
 */
public final class Queries {
    /** Due follow-ups of every practice, earliest first, skipping rows another node is claiming. */
    public static final String CLAIM_DUE = "SELECT practice_id, id FROM followup_follow_up WHERE next_action_at <= :now"
            + " AND (lease_until IS NULL OR lease_until <= :now) ORDER BY next_action_at LIMIT :limit FOR UPDATE SKIP LOCKED";
    /** Health: the due time of the step that has waited longest, on the same due-time index as claims. */
    public static final String OLDEST_DUE = "SELECT next_action_at FROM followup_follow_up WHERE next_action_at <= :now"
            + " ORDER BY next_action_at LIMIT 1";
    /** An inbound SMS finds its patients by the keyed hash of the sender's number. */
    public static final String PATIENTS_BY_PHONE =
            "SELECT * FROM followup_patient WHERE practice_id = :practice AND phone_hash = :hash ORDER BY id";
    /** A status callback finds its attempt by the provider's message id. */
    public static final String ATTEMPT_BY_PROVIDER_ID = "SELECT * FROM followup_send_attempt"
            + " WHERE practice_id = :practice AND provider_message_id = :providerId ORDER BY created_at, id";
    /** Ingestion recognises a known need. */
    public static final String FOLLOW_UP_BY_NEED = "SELECT * FROM followup_follow_up WHERE practice_id = :practice AND need_hash = :hash";
    /** The audit trail in order. */
    public static final String AUDIT_TRAIL = "SELECT * FROM followup_audit_event WHERE practice_id = :practice ORDER BY seq";
    /** Report: follow-ups created, first contacted, replied to or closed in a period. */
    public static final String REPORT_FOLLOW_UPS = "SELECT * FROM followup_follow_up WHERE practice_id = :practice AND ("
            + "(created_at >= :from AND created_at < :to) OR (first_contact_at >= :from AND first_contact_at < :to)"
            + " OR (replied_at >= :from AND replied_at < :to) OR (closed_at >= :from AND closed_at < :to))"
            + " ORDER BY created_at, id";
    /** Report: attempts created in a period. */
    public static final String REPORT_ATTEMPTS = "SELECT * FROM followup_send_attempt WHERE practice_id = :practice"
            + " AND created_at >= :from AND created_at < :to ORDER BY created_at, id";
    /** Report: tasks created or updated in a period. */
    public static final String REPORT_TASKS = "SELECT * FROM followup_task WHERE practice_id = :practice"
            + " AND ((created_at >= :from AND created_at < :to) OR (updated_at >= :from AND updated_at < :to)) ORDER BY created_at, id";
    /** Contact limits: a patient's recent outreach. */
    public static final String OUTREACH_COUNT = "SELECT COUNT(*) FROM followup_send_attempt"
            + " WHERE practice_id = :practice AND patient_id = :patient AND created_at >= :since"
            + " AND purpose = :purpose AND state IN (<states>)";

    private Queries() {}
}
