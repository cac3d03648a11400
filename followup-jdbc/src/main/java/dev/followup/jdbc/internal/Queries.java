package dev.followup.jdbc.internal;

import dev.followup.message.AttemptState;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements whose speed matters at scale, in one place so that the tests can ask PostgreSQL
 * for their plans ({@code EXPLAIN}) and prove each one reads an index, not the whole table.
 */
public final class Queries {
    /**
     * The attempt states that count as a message sent, for contact limits and the report: sent or
     * possibly sent ({@link AttemptState#countsAsSent()}) and still pending. Derived from the enum,
     * so a new state cannot leave the SQL behind.
     */
    public static final List<String> COUNTED_STATES = Arrays.stream(AttemptState.values())
            .filter(s -> s == AttemptState.PENDING || s.countsAsSent()).map(Enum::name).toList();
    private static final String COUNTED_STATES_SQL = COUNTED_STATES.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));

    /** Due follow-ups of every practice, earliest first, skipping rows another node is claiming. */
    public static final String CLAIM_DUE = "SELECT practice_id, id" + dueRowsLocked();
    /**
     * PostgreSQL: the claim and the leases in one statement ({@link #CLAIM_DUE} as the subquery),
     * instead of the query and then one UPDATE per claimed row. UPDATE … RETURNING gives the rows
     * in no particular order, so it returns each one's due time for the caller to sort by.
     */
    public static final String CLAIM_DUE_AND_LEASE = "UPDATE followup_follow_up SET claimed_by = :owner, lease_until = :leaseUntil"
            + " WHERE (practice_id, id) IN (" + CLAIM_DUE + ") RETURNING practice_id, id, next_action_at";
    /** Health: the due time of the step that has waited longest, on the same due-time index as claims. */
    public static final String OLDEST_DUE = "SELECT next_action_at FROM followup_follow_up WHERE next_action_at <= :now"
            + " ORDER BY next_action_at LIMIT 1";
    /** An inbound SMS finds its patients by the keyed hash of the sender's number. */
    public static final String PATIENTS_BY_PHONE =
            "SELECT * FROM followup_patient WHERE practice_id = :practice AND phone_hash = :hash ORDER BY id";
    /**
     * A recipient's contact-limit lock on PostgreSQL: an advisory lock until the transaction ends, on
     * a 64-bit hash of the practice and the recipient. Two recipients whose keys collide only take
     * turns needlessly.
     */
    public static final String LOCK_RECIPIENT = "SELECT pg_advisory_xact_lock(hashtextextended(:practice || '/' || :recipient, 0))";
    /** The practice's patients with a number (by its blind index), ids only, in id order. */
    public static final String PATIENT_IDS_BY_PHONE = "SELECT id FROM followup_patient WHERE practice_id = :practice AND phone_hash = :hash ORDER BY id";
    /** A patient's id, if the patient is stored. */
    public static final String PATIENT_ID = "SELECT id FROM followup_patient WHERE practice_id = :practice AND id = :id";
    /** A recipient's contact-limit lock, when they have a number: the practice's patients with it, in id order. */
    public static final String LOCK_PATIENTS_BY_PHONE =
            "SELECT id FROM followup_patient WHERE practice_id = :practice AND phone_hash = :hash ORDER BY id FOR UPDATE";
    /** A recipient's contact-limit lock, when they have no number. */
    public static final String LOCK_PATIENT = "SELECT id FROM followup_patient WHERE practice_id = :practice AND id = :id FOR UPDATE";
    /**
     * Contact limits, under the recipient's lock ({@link #LOCK_RECIPIENT}): when each counted
     * outreach to the patient or to another patient with their number was created.
     */
    public static final String RECIPIENT_OUTREACH_SINCE = "SELECT a.created_at FROM followup_send_attempt a WHERE a.practice_id = :practice"
            + " AND a.patient_id IN (SELECT p.id FROM followup_patient p WHERE p.practice_id = :practice"
            + " AND (p.phone_hash = :hash OR p.id = :patient)) AND a.created_at >= :since AND a.purpose = :purpose"
            + " AND a.state IN (" + COUNTED_STATES_SQL + ")";
    /** The latest consent entry naming a phone number (by its blind index). */
    public static final String LATEST_CONSENT_OF_PHONE = "SELECT * FROM followup_consent WHERE practice_id = :practice"
            + " AND phone_hash = :hash ORDER BY changed_at DESC, seq DESC FETCH FIRST 1 ROWS ONLY";
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
    // Report counts (JdbiPracticeTransaction.weeklyCounts): one aggregate per figure's date column, so that each
    // reads one period index and no row leaves the database. The state literals are the enums' names; the
    // rules they implement are on PracticeTransaction.weeklyCounts.

    /** Report counts: follow-ups created in a period. */
    public static final String REPORT_INGESTED = "SELECT COUNT(*) FROM followup_follow_up"
            + " WHERE practice_id = :practice AND created_at >= :from AND created_at < :to";
    /** Report counts: follow-ups first contacted in a period. */
    public static final String REPORT_CONTACTED = "SELECT COUNT(*) FROM followup_follow_up"
            + " WHERE practice_id = :practice AND first_contact_at >= :from AND first_contact_at < :to";
    /** Report counts: first replies in a period per channel; a staff call is not a reply. */
    public static final String REPORT_REPLIES = "SELECT responded_channel, COUNT(*) AS n FROM followup_follow_up"
            + " WHERE practice_id = :practice AND replied_at >= :from AND replied_at < :to"
            + " AND responded_channel IS NOT NULL AND responded_channel <> 'STAFF_CALL' GROUP BY responded_channel";
    /**
     * Whether follow-up {@code f} was handed to staff by the end of the period: a task for it
     * created before {@code :to}, found through the task table's (practice, follow-up) index.
     */
    private static final String HANDED_TO_STAFF_BY_THE_END = "EXISTS (SELECT 1 FROM followup_task t WHERE t.practice_id = f.practice_id"
            + " AND t.follow_up_id = f.id AND t.created_at < :to)";
    /**
     * Report counts: follow-ups closed in a period per counted terminal state; bookings (only those
     * the engine worked for: after a first contact or a hand-over to staff) also per channel, type
     * and provider, which are null for the other states so that they form one group each; and
     * whether the follow-up was resolved without staff (booked, declined or opted out after a first
     * contact, never handed to staff). The task look-ups are made for closed rows only, and for a
     * booking only when it had no first contact.
     */
    public static final String REPORT_CLOSED = "SELECT state, booked_via, booked_type, booked_provider, without_staff, COUNT(*) AS n"
            + " FROM (SELECT state,"
            + " " + bookedOnly("COALESCE(responded_channel, 'STAFF_CALL')") + " AS booked_via,"
            + " " + bookedOnly("type_code") + " AS booked_type,"
            + " " + bookedOnly("provider_name") + " AS booked_provider,"
            + " CASE WHEN state IN ('BOOKED', 'DECLINED', 'OPTED_OUT') AND first_contact_at IS NOT NULL"
            + " AND NOT " + HANDED_TO_STAFF_BY_THE_END + " THEN 1 ELSE 0 END AS without_staff"
            + " FROM followup_follow_up f WHERE practice_id = :practice AND closed_at >= :from AND closed_at < :to"
            + " AND (state IN ('DECLINED', 'OPTED_OUT', 'UNREACHABLE', 'EXPIRED')"
            + " OR (state = 'BOOKED' AND (first_contact_at IS NOT NULL OR " + HANDED_TO_STAFF_BY_THE_END + ")))) c"
            + " GROUP BY state, booked_via, booked_type, booked_provider, without_staff";
    /**
     * Report counts: attempts created in a period that were sent or may have been (PENDING), per
     * channel and cost. Cost is grouped, not summed: it is stored as the text of a BigDecimal, and
     * the engine adds the groups up with the scale Java's addition gives.
     */
    public static final String REPORT_MESSAGES = "SELECT channel, cost, COUNT(*) AS n, SUM(segments) AS segments"
            + " FROM followup_send_attempt WHERE practice_id = :practice AND created_at >= :from AND created_at < :to"
            + " AND state IN (" + COUNTED_STATES_SQL + ") GROUP BY channel, cost";
    /**
     * Report counts: per channel, the distinct follow-ups its response rate is over: those reached
     * by the outreach among those attempts, and those whose first reply in the period is attributed
     * to it ({@link #REPORT_REPLIES}' rows), each branch on its own period index.
     */
    public static final String REPORT_REACHED = "SELECT channel, COUNT(DISTINCT follow_up_id) AS n FROM ("
            + "SELECT channel, follow_up_id FROM followup_send_attempt WHERE practice_id = :practice AND created_at >= :from"
            + " AND created_at < :to AND state IN (" + COUNTED_STATES_SQL + ") AND purpose = 'OUTREACH' AND follow_up_id IS NOT NULL"
            + " UNION ALL SELECT responded_channel, id FROM followup_follow_up WHERE practice_id = :practice AND replied_at >= :from"
            + " AND replied_at < :to AND responded_channel IS NOT NULL AND responded_channel <> 'STAFF_CALL') r GROUP BY channel";
    /** Report counts: distinct follow-ups with a task created in a period. */
    public static final String REPORT_HANDED_TO_STAFF = "SELECT COUNT(DISTINCT follow_up_id) FROM followup_task"
            + " WHERE practice_id = :practice AND created_at >= :from AND created_at < :to AND follow_up_id IS NOT NULL";
    /**
     * Report counts: staff calls (tasks done in a period, not RESOLVED) and those that reached the
     * patient (not UNREACHABLE). IS DISTINCT FROM counts a missing outcome as neither, as Java's
     * {@code !=} does.
     */
    public static final String REPORT_STAFF_CALLS = "SELECT COUNT(*) AS calls,"
            + " COUNT(CASE WHEN outcome IS DISTINCT FROM 'UNREACHABLE' THEN 1 END) AS reached FROM followup_task"
            + " WHERE practice_id = :practice AND updated_at >= :from AND updated_at < :to AND state = 'DONE'"
            + " AND outcome IS DISTINCT FROM 'RESOLVED'";
    /** A follow-up's next version, guarded by the previous one. */
    public static final String UPDATE_FOLLOW_UP = followUpUpdate("");
    /**
     * A follow-up's next version and the release of {@code :owner}'s lease, in one write of the row
     * (and of each index that changes) instead of two.
     */
    public static final String UPDATE_FOLLOW_UP_AND_RELEASE = followUpUpdate(", claimed_by = CASE WHEN claimed_by = :owner THEN NULL"
            + " ELSE claimed_by END, lease_until = CASE WHEN claimed_by = :owner THEN NULL ELSE lease_until END");

    private static String followUpUpdate(String alsoSet) {
        return "UPDATE followup_follow_up SET patient_id = :patient,"
                + " provider_id = :providerId, provider_name = :providerName, type_code = :type, preferred_days = :days,"
                + " preferred_from = :from, preferred_to = :to, due_date = :due, batch_id = :batch, need_hash = :needHash,"
                + " key_id = :key, need_key_enc = :need, policy_name = :policy, state = :state, next_step = :nextStep,"
                + " next_action_at = :nextAt, created_at = :createdAt, first_contact_at = :contactedAt,"
                + " last_outreach_channel = :lastChannel, replied_at = :repliedAt, responded_channel = :respondedChannel,"
                + " closed_at = :closedAt, offered_slots = :slots, slot_offers = :slotOffers, version = :version" + alsoSet
                + " WHERE practice_id = :practice AND id = :id AND version = :previousVersion";
    }

    /** Contact limits: a patient's recent outreach. */
    public static final String OUTREACH_COUNT = "SELECT COUNT(*) FROM followup_send_attempt"
            + " WHERE practice_id = :practice AND patient_id = :patient AND created_at >= :since"
            + " AND purpose = :purpose AND state IN (<states>)";

    // Provider copies owed a redaction (JdbiPracticeTransaction.providerCopiesOwedRedaction): each reads the
    // (practice_id, redaction, time) index of its table, so a run costs the rows still in question, not the history.

    /** Retention at the provider: settles the attempts that passed the cutoff, by whether the provider holds a copy. */
    public static final String SETTLE_PROVIDER_COPIES = "UPDATE followup_send_attempt SET redaction = CASE WHEN channel = 'SMS'"
            + " AND provider_message_id IS NOT NULL THEN 'OWED' ELSE 'NONE' END"
            + " WHERE practice_id = :practice AND redaction IS NULL AND created_at < :cutoff";
    /** Retention at the provider: outbound texts owed a redaction and due, oldest first. */
    public static final String OWED_OUTBOUND_COPIES = "SELECT id, provider_message_id, follow_up_id, patient_id, created_at,"
            + " redaction_tries FROM followup_send_attempt WHERE practice_id = :practice AND redaction = 'OWED' AND created_at < :cutoff"
            + " AND (redaction_retry_at IS NULL OR redaction_retry_at <= :now) ORDER BY created_at, provider_message_id LIMIT :limit";
    /** Retention at the provider: inbound texts owed a redaction and due, oldest first. */
    public static final String OWED_INBOUND_COPIES = "SELECT provider_message_id, follow_up_id, patient_id, received_at,"
            + " redaction_tries FROM followup_inbound_message WHERE practice_id = :practice AND redaction = 'OWED' AND received_at < :cutoff"
            + " AND (redaction_retry_at IS NULL OR redaction_retry_at <= :now) ORDER BY received_at, provider_message_id LIMIT :limit";

    /**
     * The latest consent entry naming a patient and the latest naming a number, in one round trip:
     * each branch reads its own index backwards and stops at the first row; {@code naming} says
     * which branch a row came from.
     */
    public static final String CONSENT_OF_PATIENT_AND_PHONE = "SELECT * FROM (SELECT c.*, 'patient' AS naming FROM followup_consent c"
            + " WHERE c.practice_id = :practice AND c.patient_id = :patient ORDER BY c.changed_at DESC, c.seq DESC FETCH FIRST 1 ROWS ONLY) p"
            + " UNION ALL SELECT * FROM (SELECT c.*, 'phone' AS naming FROM followup_consent c"
            + " WHERE c.practice_id = :practice AND c.phone_hash = :hash ORDER BY c.changed_at DESC, c.seq DESC FETCH FIRST 1 ROWS ONLY) n";

    /** Bulk read: patients by id. */
    public static final BulkRead PATIENTS = new BulkRead("followup_patient", "id", "", "", "", "");
    /** Bulk read: patients by phone hash, each number's in id order as {@link #PATIENTS_BY_PHONE} gives them. */
    public static final BulkRead PATIENTS_BY_PHONES = new BulkRead("followup_patient", "phone_hash", "", "", "", "id");
    /** Bulk read: follow-ups by id. */
    public static final BulkRead FOLLOW_UPS = new BulkRead("followup_follow_up", "id", "", "", "", "");
    /** Bulk read: patients by identity hash (ingestion's lookup of the known patients of a chunk). */
    public static final BulkRead PATIENTS_BY_IDENTITY = new BulkRead("followup_patient", "identity_hash", "", "", "", "");
    /** Bulk read: patients by contact hash (ingestion's lookup of the patients an opt-out follows to a new patient). */
    public static final BulkRead PATIENTS_BY_CONTACT = new BulkRead("followup_patient", "contact_hash", "", "", "", "");
    /** Bulk read: follow-ups by need hash (ingestion on H2: the needs of a chunk already stored). */
    public static final BulkRead FOLLOW_UPS_BY_NEED = new BulkRead("followup_follow_up", "need_hash", "", "", "", "");
    /** Bulk read: follow-ups by id on which {@code :owner} holds a lease that is live at {@code :now}. */
    public static final BulkRead LEASED_FOLLOW_UPS = new BulkRead("followup_follow_up", "id", "",
            "claimed_by = :owner AND lease_until > :now", "", "");
    /** Bulk read: send attempts by id. */
    public static final BulkRead ATTEMPTS = new BulkRead("followup_send_attempt", "id", "", "", "", "");
    /** Bulk read: the attempts of follow-ups, each follow-up's oldest first in the order of its one-by-one read. */
    public static final BulkRead ATTEMPTS_OF_FOLLOW_UPS = new BulkRead("followup_send_attempt", "follow_up_id", "", "", "",
            "created_at, step, attempt_number, id");
    /**
     * Bulk read: the outreach of patients that counts against contact limits ({@link #OUTREACH_COUNT}'s
     * rule) since {@code :since}, on the {@code (practice_id, patient_id, created_at)} index.
     */
    public static final BulkRead OUTREACH_SINCE = new BulkRead("followup_send_attempt", "patient_id", "followup_send_attempt_patient",
            "created_at >= :since AND purpose = :purpose AND state IN (" + COUNTED_STATES_SQL + ")", "", "");
    /** Bulk read: the latest consent entry of each patient, in the order of the one-by-one read. */
    public static final BulkRead LATEST_CONSENTS_OF_PATIENTS = new BulkRead("followup_consent", "patient_id", "followup_consent_patient", "",
            "changed_at DESC, seq DESC", "");
    /** Bulk read: the latest consent entry of each phone hash, in the order of the one-by-one read. */
    public static final BulkRead LATEST_CONSENTS_OF_PHONES = new BulkRead("followup_consent", "phone_hash", "followup_consent_phone", "",
            "changed_at DESC, seq DESC", "");
    /** Bulk read: the suppressions of patients. */
    public static final BulkRead SUPPRESSIONS = new BulkRead("followup_suppression", "patient_id", "", "", "", "");

    /**
     * One statement that reads the rows of many values of one column, in the form each database reads
     * from its {@code (practice_id, column, …)} index whatever the list's length and whether or not
     * the table has statistics. Every row read has {@code practice_id = :practice}.
     *
     * @param table the table
     * @param column the column matched, second in an index that starts with practice_id
     * @param wideIndex that index's name if it has a third column (the consent and outreach indexes
     *     end with a time), which changes the form H2 reads it with; else ""
     * @param condition what a row must also satisfy, or ""
     * @param latestBy "" for every matching row; else only the first row per value in this order
     * @param orderBy the order of the whole result, or ""; rows of one value keep it among themselves
     */
    public record BulkRead(String table, String column, String wideIndex, String condition, String latestBy, String orderBy) {
        /**
         * PostgreSQL: the values come as one array parameter {@code :values} (which must hold no value
         * twice: a repeated value would repeat its rows), each looked up through the
         * {@code (practice_id, column)} index by a LATERAL subquery that OFFSET 0 keeps from being
         * flattened into a join: a nested loop of index probes. Written as a plain IN list,
         * PostgreSQL plans a scan of the practice whenever the table has no statistics yet (a fresh
         * database's first import), comparing each row with every value. With {@code latestBy} the
         * probe reads its value's index entries in that order and stops at the first row.
         *
         * @return the statement, with parameters {@code :practice}, {@code :values} and the condition's
         */
        public String postgres() {
            return "SELECT found.* FROM unnest(:values) AS wanted(value) CROSS JOIN LATERAL (SELECT * FROM " + table
                    + " WHERE practice_id = :practice AND " + column + " = wanted.value" + and(condition)
                    + (latestBy.isEmpty() ? " OFFSET 0" : " ORDER BY " + latestBy + " LIMIT 1") + ") found" + orderedBy();
        }

        /**
         * H2, which has no LATERAL. A row-value IN list where it matches the whole index, the form
         * H2 2.5 reads from the index (for {@code practice_id = ? AND column IN (…)} it scans the
         * whole practice). On an index that goes on past the column H2 uses only practice_id of a
         * row-value IN, so there the values are a VALUES table joined to the table through that
         * index, which H2 plans as an index probe per value (left to choose, it read a small table
         * through the practice's time index and compared each row with the values). With {@code latestBy} a window function keeps each value's
         * first row.
         *
         * @param values how many values, bound as {@code :v0}, {@code :v1}, …; at least one
         * @return the statement, with parameters {@code :practice}, the values and the condition's
         */
        public String h2(int values) {
            StringBuilder rows = new StringBuilder();
            String found;
            if (!wideIndex.isEmpty()) {
                for (int i = 0; i < values; i++) {
                    rows.append(i == 0 ? "(:v" : ", (:v").append(i).append(')');
                }
                found = "FROM (VALUES " + rows + ") AS wanted(wanted_value) JOIN " + table + " found USE INDEX (" + wideIndex + ")"
                        + " ON found.practice_id = :practice"
                        + " AND found." + column + " = wanted.wanted_value" + and(condition);
            } else {
                for (int i = 0; i < values; i++) {
                    rows.append(i == 0 ? "(:practice, :v" : ", (:practice, :v").append(i).append(')');
                }
                found = "FROM " + table + " found WHERE (practice_id, " + column + ") IN (" + rows + ")" + and(condition);
            }
            if (latestBy.isEmpty()) {
                return "SELECT found.* " + found + orderedBy();
            }
            return "SELECT * FROM (SELECT found.*, ROW_NUMBER() OVER (PARTITION BY found." + column + " ORDER BY " + latestBy
                    + ") AS latest_rank " + found + ") ranked WHERE latest_rank = 1" + orderedBy();
        }

        private static String and(String condition) {
            return condition.isEmpty() ? "" : " AND " + condition;
        }

        private String orderedBy() {
            return orderBy.isEmpty() ? "" : " ORDER BY " + orderBy;
        }
    }

    private Queries() {}

    /** The due, unleased follow-ups a claim takes, oldest due first, skipping those another node has locked. */
    private static String dueRowsLocked() {
        return " FROM followup_follow_up WHERE next_action_at <= :now AND (lease_until IS NULL OR lease_until <= :now)"
                + " ORDER BY next_action_at LIMIT :limit FOR UPDATE SKIP LOCKED";
    }

    private static String bookedOnly(String expression) {
        return "CASE WHEN state = 'BOOKED' THEN " + expression + " END";
    }
}
