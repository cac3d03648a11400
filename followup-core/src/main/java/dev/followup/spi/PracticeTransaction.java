package dev.followup.spi;

import dev.followup.ConcurrentUpdateException;
import dev.followup.audit.AuditEvent;
import dev.followup.audit.AuditHead;
import dev.followup.audit.AuditRecord;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.conversation.InboundMessage;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.SendAttempt;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The operations of one transaction, all scoped to {@link #practiceId()}: a record of another
 * practice is never returned, changed or counted, even when its id is passed.
 *
 * <p>Writes that could race with another node are guarded: {@link #updateFollowUp} and
 * {@link #updateTask} compare versions, inserts rely on unique keys, and each throws
 * {@link dev.followup.ConcurrentUpdateException} when it loses, leaving the transaction to be
 * rolled back. A store may hold writes back and send them together (the JDBC store batches
 * follow-up and attempt updates until the transaction's next statement or its commit, and on
 * PostgreSQL sends a transaction's inserts and updates with its audit events and commit): a
 * write's failure, a lost race of {@link #updateFollowUp}, {@link #updateFollowUpAndRelease},
 * {@link #insertAttempt} or {@link #settleAttempt} included, may then surface from a later call of
 * the same transaction or from its commit, never after a commit. Callers therefore act on a
 * guarded write's success only once the transaction has committed.
 */
public interface PracticeTransaction {

    /** @return the practice this transaction is bound to */
    PracticeId practiceId();

    // --- patients ---

    /**
     * @param id a patient id
     * @return the patient, if it belongs to this practice
     */
    Optional<Patient> patient(PatientId id);

    /**
     * @param identityKey {@link Patient#identityKey()}
     * @return the patient with that key
     */
    Optional<Patient> patientByIdentityKey(String identityKey);

    /**
     * @param phone a number
     * @return the practice's patients with that number (families share phones)
     */
    List<Patient> patientsByPhone(PhoneNumber phone);

    /**
     * Takes the contact-limit lock of one recipient: the patient, or, when they have a number, every
     * patient of the practice with that number (a family sharing a phone is one recipient), held
     * until this transaction ends. A transaction that counts a recipient's outreach and then records
     * a message to them takes this lock first, so that two nodes or runs texting the same recipient
     * at the same moment take turns, and the second counts the first's message.
     *
     * <p>The default locks nothing and answers the patient and {@link #patientsByPhone}: right for a
     * store whose transactions never overlap. A store whose transactions run concurrently must lock.
     *
     * @param patientId the patient about to be contacted
     * @param phone their number, if they have one
     * @return the ids of the patients the lock covers (the patient among them), in id order
     */
    default List<PatientId> lockRecipient(PatientId patientId, @Nullable PhoneNumber phone) {
        java.util.TreeSet<PatientId> ids = new java.util.TreeSet<>(java.util.Comparator.comparing(PatientId::value));
        ids.add(patientId);
        if (phone != null) {
            patientsByPhone(phone).forEach(p -> ids.add(p.id()));
        }
        return List.copyOf(ids);
    }

    /**
     * Finds the patients with each of some {@link Patient#contactKey() contact keys} (email and
     * name, for patients without an MRN), for ingestion: a new patient with the contact key of one
     * who opted out is opted out too.
     *
     * @param contactKeys contact keys
     * @return the ids of the stored patients with each key that has any; keys without one are absent
     */
    Map<String, List<PatientId>> patientsByContactKeys(Collection<String> contactKeys);

    /** @param patient inserts it, or replaces the stored patient with the same id */
    void savePatient(Patient patient);

    /**
     * Finds many patients at once, for bulk work such as ingestion. The default asks
     * {@link #patientByIdentityKey} once per key; a database store answers with one query.
     *
     * @param identityKeys {@link Patient#identityKey()} values
     * @return the stored patient of every key that has one; keys without a patient are absent
     */
    default Map<String, Patient> patientsByIdentityKeys(Collection<String> identityKeys) {
        Map<String, Patient> found = new HashMap<>();
        for (String key : identityKeys) {
            patientByIdentityKey(key).ifPresent(p -> found.put(key, p));
        }
        return found;
    }

    /**
     * Saves many patients as {@link #savePatient} would, in list order (a later entry with the same
     * id wins). The default saves them one by one; a database store sends them as one batch.
     *
     * @param patients the patients
     */
    default void savePatients(List<Patient> patients) {
        patients.forEach(this::savePatient);
    }

    /**
     * Stores patients that are new to the store, such as those an import has just given fresh ids.
     * The default checks and saves them one by one; a database store inserts them as one batch
     * without an upsert's search for an existing row, which makes a bulk import cheaper than
     * {@link #savePatients}.
     *
     * @param patients patients whose ids are not stored yet, each id once
     * @throws ConcurrentUpdateException if a patient with one of these ids is stored already; the
     *     transaction is then to be rolled back
     */
    default void insertPatients(List<Patient> patients) {
        for (Patient p : patients) {
            if (patient(p.id()).isPresent()) {
                throw new ConcurrentUpdateException("patient " + p.id() + " is stored already in practice " + p.practiceId());
            }
            savePatient(p);
        }
    }

    /**
     * Reads many patients at once, for work decided per batch. The default asks {@link #patient}
     * once per id; a database store answers with one query.
     *
     * @param ids patient ids
     * @return the patient of every id that belongs to this practice; other ids are absent
     */
    default Map<PatientId, Patient> patients(Collection<PatientId> ids) {
        Map<PatientId, Patient> found = new HashMap<>();
        for (PatientId id : ids) {
            patient(id).ifPresent(p -> found.put(id, p));
        }
        return found;
    }

    /**
     * Answers {@link #patientsByPhone} for many numbers at once. The default asks once per number;
     * a database store answers with one query.
     *
     * @param phones numbers
     * @return every given number as a key, mapped to the practice's patients with that number
     *     (an empty list if none)
     */
    default Map<PhoneNumber, List<Patient>> patientsByPhones(Collection<PhoneNumber> phones) {
        Map<PhoneNumber, List<Patient>> found = new HashMap<>();
        for (PhoneNumber phone : phones) {
            found.computeIfAbsent(phone, this::patientsByPhone);
        }
        return found;
    }

    // --- follow-ups and timers ---

    /**
     * @param id a follow-up id
     * @return the follow-up, if it belongs to this practice
     */
    Optional<FollowUp> followUp(FollowUpId id);

    /**
     * @param followUp a new follow-up
     * @return false, writing nothing, if a follow-up with the same {@link FollowUp#needKey()} exists
     */
    boolean insertFollowUp(FollowUp followUp);

    /**
     * Inserts many follow-ups as {@link #insertFollowUp} would one by one, in list order: one whose
     * need key is stored already, or appears earlier in the list, is skipped. The default inserts
     * them one by one; a database store sends them as one batch.
     *
     * @param followUps new follow-ups
     * @return for each follow-up, at the same index, whether it was inserted
     */
    default List<Boolean> insertFollowUps(List<FollowUp> followUps) {
        List<Boolean> inserted = new ArrayList<>(followUps.size());
        for (FollowUp f : followUps) {
            inserted.add(insertFollowUp(f));
        }
        return inserted;
    }

    /**
     * Stores the next version of a follow-up. Its lease, if any, is left as it is.
     *
     * @param next the new version; the stored one must be {@code next.version() - 1}
     * @throws dev.followup.ConcurrentUpdateException if the stored version differs
     */
    void updateFollowUp(FollowUp next);

    /**
     * @param needKey a need key
     * @return the follow-up for that need, whatever its state
     */
    Optional<FollowUp> followUpByNeedKey(String needKey);

    /**
     * @param patientId a patient
     * @return the patient's follow-ups that are not in a terminal state
     */
    List<FollowUp> activeFollowUps(PatientId patientId);

    /**
     * @param id a follow-up
     * @param owner a node id
     * @param now the current time
     * @return whether {@code owner} holds an unexpired lease on it
     */
    boolean holdsLease(FollowUpId id, String owner, Instant now);

    /**
     * Reads a follow-up that a node is working on, in one step with the check that its lease is
     * still the node's. The default asks {@link #holdsLease} and then {@link #followUp}; a database
     * store answers with one query.
     *
     * @param id a follow-up
     * @param owner a node id
     * @param now the current time
     * @return the follow-up, if {@code owner} holds an unexpired lease on it
     */
    default Optional<FollowUp> leasedFollowUp(FollowUpId id, String owner, Instant now) {
        return holdsLease(id, owner, now) ? followUp(id) : Optional.empty();
    }

    /**
     * Answers {@link #leasedFollowUp} for many follow-ups at once. The default asks once per id; a
     * database store answers with one query.
     *
     * @param ids follow-ups
     * @param owner a node id
     * @param now the current time
     * @return the follow-ups among {@code ids} on which {@code owner} holds an unexpired lease
     */
    default Map<FollowUpId, FollowUp> leasedFollowUps(Collection<FollowUpId> ids, String owner, Instant now) {
        Map<FollowUpId, FollowUp> found = new HashMap<>();
        for (FollowUpId id : ids) {
            leasedFollowUp(id, owner, now).ifPresent(f -> found.put(id, f));
        }
        return found;
    }

    /**
     * Reads many follow-ups at once. The default asks {@link #followUp} once per id; a database
     * store answers with one query.
     *
     * @param ids follow-ups
     * @return the follow-up of every id that belongs to this practice; other ids are absent
     */
    default Map<FollowUpId, FollowUp> followUps(Collection<FollowUpId> ids) {
        Map<FollowUpId, FollowUp> found = new HashMap<>();
        for (FollowUpId id : ids) {
            followUp(id).ifPresent(f -> found.put(id, f));
        }
        return found;
    }

    /**
     * @param id a follow-up
     * @param owner the node releasing it; a lease held by another node is kept
     */
    void releaseLease(FollowUpId id, String owner);

    /**
     * Stores the next version of a follow-up and releases the lease {@code owner} holds on it, as
     * {@link #updateFollowUp} and then {@link #releaseLease} would: the end of a node's work on it.
     * The default makes the two calls; a database store writes the row once.
     *
     * @param next the new version; the stored one must be {@code next.version() - 1}
     * @param owner the node releasing it; a lease held by another node is kept
     * @throws dev.followup.ConcurrentUpdateException if the stored version differs (the lease is then kept)
     */
    default void updateFollowUpAndRelease(FollowUp next, String owner) {
        updateFollowUp(next);
        releaseLease(next.id(), owner);
    }

    // --- send attempts (message log) ---

    /**
     * @param attempt a new attempt
     * @throws dev.followup.ConcurrentUpdateException if an attempt with the same id or the same
     *     {@link SendAttempt#dedupeKey()} exists (that key is unique: it is what makes a duplicate
     *     send impossible); possibly from a later call of the transaction or its commit instead
     */
    void insertAttempt(SendAttempt attempt);

    /** @param attempt replaces the stored attempt with the same id */
    void updateAttempt(SendAttempt attempt);

    /**
     * Writes the provider's answer over an attempt that is still
     * {@link dev.followup.message.AttemptState#PENDING}, as {@link #updateAttempt} would: what the
     * engine records after a send, unless a status callback settled the attempt first. A store may
     * guard the write rather than read the attempt first, which saves a round trip.
     *
     * @param settled the attempt as written {@code PENDING}, with the provider's answer applied
     * @throws dev.followup.ConcurrentUpdateException if the stored attempt is no longer
     *     {@code PENDING}, or gone; possibly from a later call of the transaction or its commit
     *     instead. The transaction is then to be rolled back.
     */
    default void settleAttempt(SendAttempt settled) {
        boolean pending = attempt(settled.id()).map(a -> a.state() == dev.followup.message.AttemptState.PENDING).orElse(false);
        if (!pending) {
            throw new dev.followup.ConcurrentUpdateException("send attempt " + settled.id() + " is no longer pending in practice "
                    + practiceId());
        }
        updateAttempt(settled);
    }

    /**
     * Writes a provider's status report over an attempt whose stored delivery status is still
     * {@code previous}, as {@link #updateAttempt} would. Two reports of one message (Twilio sends
     * "sent" and "delivered" milliseconds apart) may be applied by two nodes at once, each having
     * read the status before the other wrote: without the guard the later write could put a status
     * back. A store may guard the write rather than read the attempt first, and may write only what
     * a report changes ({@link SendAttempt#withStatus}: state, delivery status, provider id, error
     * code, update time), so that a body purged since the read stays purged.
     *
     * @param updated the attempt with the report applied
     * @param previous the delivery status the report was checked against ({@code null}: none yet)
     * @throws dev.followup.ConcurrentUpdateException if the stored attempt's delivery status is no
     *     longer {@code previous}, or the attempt is gone; possibly from a later call of the
     *     transaction or its commit instead. The transaction is then to be rolled back.
     */
    default void updateDeliveryStatus(SendAttempt updated, @Nullable DeliveryStatus previous) {
        SendAttempt stored = attempt(updated.id()).filter(a -> a.deliveryStatus() == previous)
                .orElseThrow(() -> new dev.followup.ConcurrentUpdateException("the delivery status of send attempt " + updated.id()
                        + " changed meanwhile in practice " + practiceId()));
        DeliveryStatus status = java.util.Objects.requireNonNull(updated.deliveryStatus(), "a report's delivery status");
        String providerId = java.util.Objects.requireNonNull(updated.providerMessageId(), "a report's provider message id");
        updateAttempt(stored.withStatus(status, updated.errorCode(), providerId, updated.updatedAt()));
    }

    /**
     * @param attemptId an attempt id
     * @return the attempt
     */
    Optional<SendAttempt> attempt(String attemptId);

    /**
     * @param providerMessageId the provider's id
     * @return the attempt it belongs to
     */
    Optional<SendAttempt> attemptByProviderId(String providerMessageId);

    /**
     * @param id a follow-up
     * @return its attempts, oldest first
     */
    List<SendAttempt> attemptsOf(FollowUpId id);

    /**
     * Answers {@link #attemptsOf} for many follow-ups at once. The default asks once per id; a
     * database store answers with one query.
     *
     * @param ids follow-ups
     * @return every given id as a key, mapped to its attempts, oldest first (an empty list if none)
     */
    default Map<FollowUpId, List<SendAttempt>> attemptsOfFollowUps(Collection<FollowUpId> ids) {
        Map<FollowUpId, List<SendAttempt>> found = new HashMap<>();
        for (FollowUpId id : ids) {
            found.computeIfAbsent(id, this::attemptsOf);
        }
        return found;
    }

    /**
     * Reads many attempts at once. The default asks {@link #attempt} once per id; a database store
     * answers with one query.
     *
     * @param attemptIds attempt ids
     * @return the attempt of every id that belongs to this practice; other ids are absent
     */
    default Map<String, SendAttempt> attempts(Collection<String> attemptIds) {
        Map<String, SendAttempt> found = new HashMap<>();
        for (String id : attemptIds) {
            attempt(id).ifPresent(a -> found.put(id, a));
        }
        return found;
    }

    /**
     * @param patientId a patient
     * @param since a moment
     * @return how many outreach messages (purpose OUTREACH, counted as sent or pending) the patient
     *     was sent at or after {@code since}, across all follow-ups
     */
    int outreachCountSince(PatientId patientId, Instant since);

    /**
     * Counts outreach for several windows at once, as the contact limits need: one window per
     * recipient and period. The default adds up {@link #outreachCountSince} for each patient of
     * each window; a database store answers with one query.
     *
     * @param windows the windows to count
     * @return for each window, at the same index, how many outreach messages its patients together
     *     were sent at or after its start
     */
    default List<Integer> outreachCounts(List<OutreachWindow> windows) {
        List<Integer> counts = new ArrayList<>(windows.size());
        for (OutreachWindow window : windows) {
            int count = 0;
            for (PatientId patient : window.patients()) {
                count += outreachCountSince(patient, window.since());
            }
            counts.add(count);
        }
        return counts;
    }

    // --- inbound messages ---

    /**
     * @param message a received text
     * @return false, writing nothing, if a message with the same provider id was recorded before.
     *     A store that sends writes later (see the class note) may answer true for a
     *     message that {@link #replyContext(PhoneNumber, String)} found unrecorded; should another
     *     transaction record it meanwhile, this one then fails with
     *     {@link dev.followup.ConcurrentUpdateException}, at a later call or at commit, and the
     *     caller, reading again, finds it {@link ReplyContext#recordedBefore() recorded before}.
     */
    boolean recordInbound(InboundMessage message);

    // --- consent ---

    /** @param change appends to the ledger */
    void recordConsent(ConsentChange change);

    /**
     * @param patientId a patient
     * @return the latest ledger entry naming that patient
     */
    Optional<ConsentChange> latestConsentOf(PatientId patientId);

    /**
     * @param phone a number
     * @return the latest ledger entry naming that number
     */
    Optional<ConsentChange> latestConsentOf(PhoneNumber phone);

    /**
     * The consent that applies to a patient now, as {@link ConsentChange#applying} decides it from
     * the latest entry naming the patient and the latest naming their number. The default asks
     * both {@code latestConsentOf} calls; a database store answers with one query.
     *
     * @param patientId a patient
     * @param phone the patient's number, if any
     * @return the entry that applies, if any
     */
    default Optional<ConsentChange> consentOf(PatientId patientId, @Nullable PhoneNumber phone) {
        return ConsentChange.applying(latestConsentOf(patientId), phone == null ? Optional.empty() : latestConsentOf(phone));
    }

    /**
     * The reads that come just before a send is recorded, in one call: the follow-up, if
     * {@code owner} still holds an unexpired lease on it ({@link #leasedFollowUp}), and the consent
     * that applies to the patient ({@link #consentOf}), read whether or not the lease is live. The
     * default makes both calls; the JDBC store answers on PostgreSQL in one round trip.
     *
     * @param id the follow-up to be sent for
     * @param owner the node id that claimed it
     * @param now the current time
     * @param patientId its patient
     * @param phone the patient's number, if any
     * @return both answers
     */
    default SendCheck sendCheck(FollowUpId id, String owner, Instant now, PatientId patientId, @Nullable PhoneNumber phone) {
        return new SendCheck(leasedFollowUp(id, owner, now), consentOf(patientId, phone));
    }

    /**
     * {@link #sendCheck(FollowUpId, String, Instant, PatientId, PhoneNumber)} for a message about to
     * be recorded, which first takes the recipient's contact-limit lock ({@link #lockRecipient}) and
     * then also counts the recipient's outreach since each of the given moments, as
     * {@link #outreachCounts} counts it for the patients the lock covers. The default makes those
     * calls; the JDBC store answers on PostgreSQL in one round trip.
     *
     * @param id the follow-up to be sent for
     * @param owner the node id that claimed it
     * @param now the current time
     * @param patientId its patient
     * @param phone the patient's number, if any
     * @param countedSince the starts of the windows the contact limits count
     * @return the answers, with one count per start, in order
     */
    default SendCheck sendCheck(FollowUpId id, String owner, Instant now, PatientId patientId, @Nullable PhoneNumber phone,
            List<Instant> countedSince) {
        Set<PatientId> recipients = Set.copyOf(lockRecipient(patientId, phone));
        SendCheck check = sendCheck(id, owner, now, patientId, phone);
        List<Integer> counts = outreachCounts(countedSince.stream().map(since -> new OutreachWindow(recipients, since)).toList());
        return new SendCheck(check.leasedFollowUp(), check.consent(), counts);
    }

    /**
     * The reads that come before the engine decides what a text from {@code from} answers, in one
     * call: the patients with that number ({@link #patientsByPhone}), each one's active follow-ups
     * ({@link #activeFollowUps}), the latest ledger entry naming each of them and the latest naming
     * the number ({@link #latestConsentOf}). The default makes those calls; the JDBC store answers
     * on PostgreSQL in one round trip.
     *
     * @param from the number the text came from
     * @return what those calls answer
     */
    default ReplyContext replyContext(PhoneNumber from) {
        List<Patient> patients = patientsByPhone(from);
        Map<PatientId, List<FollowUp>> followUps = new HashMap<>();
        for (Patient patient : patients) {
            followUps.put(patient.id(), activeFollowUps(patient.id()));
        }
        return new ReplyContext(patients, followUps, latestConsentsOfPatients(patients.stream().map(Patient::id).toList()),
                latestConsentOf(from));
    }

    /**
     * {@link #replyContext(PhoneNumber)}, and whether a message with {@code providerMessageId} is
     * recorded already ({@link ReplyContext#recordedBefore()}), in one call. The default does not
     * look, leaving that answer to {@link #recordInbound}; the JDBC store reads it on PostgreSQL in
     * the same round trip, and can then send the message's record with the transaction's other
     * writes.
     *
     * @param from the number the text came from
     * @param providerMessageId the provider's id of the text
     * @return what {@link #replyContext(PhoneNumber)} answers, and whether the text is a repeat
     */
    default ReplyContext replyContext(PhoneNumber from, String providerMessageId) {
        return replyContext(from);
    }

    /**
     * Answers {@link #latestConsentOf(PatientId)} for many patients at once. The default asks once
     * per id; a database store answers with one query.
     *
     * @param patientIds patients
     * @return the latest ledger entry of every patient that has one; others are absent
     */
    default Map<PatientId, ConsentChange> latestConsentsOfPatients(Collection<PatientId> patientIds) {
        Map<PatientId, ConsentChange> found = new HashMap<>();
        for (PatientId id : patientIds) {
            latestConsentOf(id).ifPresent(c -> found.put(id, c));
        }
        return found;
    }

    /**
     * Answers {@link #latestConsentOf(PhoneNumber)} for many numbers at once. The default asks
     * once per number; a database store answers with one query.
     *
     * @param phones numbers
     * @return the latest ledger entry of every number that has one; others are absent
     */
    default Map<PhoneNumber, ConsentChange> latestConsentsOfPhones(Collection<PhoneNumber> phones) {
        Map<PhoneNumber, ConsentChange> found = new HashMap<>();
        for (PhoneNumber phone : phones) {
            latestConsentOf(phone).ifPresent(c -> found.put(phone, c));
        }
        return found;
    }

    /** @param suppression records that a channel must not be tried again for a patient */
    void suppress(ChannelSuppression suppression);

    /**
     * @param patientId a patient
     * @return the channels suppressed for the patient
     */
    Set<Channel> suppressedChannels(PatientId patientId);

    /**
     * Lifts a channel's suppressions of some patients: the address they were recorded for (a number
     * that does not exist, a mailbox that bounced) is no longer theirs, because a later list brought
     * a new one, and the new one is to be tried. Suppressions of other channels and patients stay.
     *
     * @param channel the channel
     * @param patientIds the patients whose address on that channel changed
     */
    void liftSuppressions(Channel channel, Collection<PatientId> patientIds);

    /**
     * Answers {@link #suppressedChannels} for many patients at once. The default asks once per id;
     * a database store answers with one query.
     *
     * @param patientIds patients
     * @return every given id as a key, mapped to its suppressed channels (empty if none)
     */
    default Map<PatientId, Set<Channel>> suppressedChannelsOf(Collection<PatientId> patientIds) {
        Map<PatientId, Set<Channel>> found = new HashMap<>();
        for (PatientId id : patientIds) {
            found.computeIfAbsent(id, this::suppressedChannels);
        }
        return found;
    }

    // --- staff tasks ---

    /** @param task a new task */
    void insertTask(StaffTask task);

    /**
     * @param next the new version; the stored one must be {@code next.version() - 1}
     * @throws dev.followup.ConcurrentUpdateException if the stored version differs
     */
    void updateTask(StaffTask next);

    /**
     * @param id a task id
     * @return the task
     */
    Optional<StaffTask> task(TaskId id);

    /**
     * @param states the states wanted
     * @return the tasks in those states, oldest first
     */
    List<StaffTask> tasks(Set<TaskState> states);

    // --- audit trail ---

    /**
     * Chains a record onto the practice's trail with {@link AuditEvent#chain} while holding the
     * trail's head, so sequences have no gaps and no duplicates even with several nodes. Records
     * appended in one transaction get consecutive sequence numbers in the order of the calls, and
     * exist exactly when the transaction's other changes do.
     *
     * <p>A store may chain each record at once or, as the JDBC store does, keep the transaction's
     * records and chain them all just before it commits: the trail's head is then locked for the
     * commit only, not for the whole transaction, so writers of one practice do not queue behind
     * each other's work. {@link #forEachAuditEvent} in the same transaction sees them either way.
     *
     * @param record the event
     */
    void appendAudit(AuditRecord record);

    /** @param sink receives every event of the practice's trail in sequence order */
    void forEachAuditEvent(Consumer<AuditEvent> sink);

    /**
     * The trail's head as the store records it beside the events, the one {@link #appendAudit}
     * chains onto: read apart from the events, so that verification can tell a trail whose last
     * events were deleted, which is still a valid chain, from a whole one. Records appended earlier
     * in this transaction count, as they do for {@link #forEachAuditEvent}. A store must not derive
     * it from the events it would return (that would compare the trail with itself), unless its
     * events cannot be removed from outside the store, as in memory; hence no default.
     *
     * <p>Callers read it before the events: a store whose reads do not share one snapshot may then
     * show events appended after the head, never a head beyond the events it shows.
     *
     * @return the sequence and hash of the practice's last event, {@link AuditHead#EMPTY} before the first
     */
    AuditHead auditHead();

    // --- reporting ---

    /**
     * @param from start, inclusive
     * @param to end, exclusive
     * @param sink receives every follow-up created, first contacted, replied to or closed in the period
     */
    void forEachFollowUpTouched(Instant from, Instant to, Consumer<FollowUp> sink);

    /**
     * @param from start, inclusive
     * @param to end, exclusive
     * @param sink receives every attempt created in the period
     */
    void forEachAttemptCreated(Instant from, Instant to, Consumer<SendAttempt> sink);

    /**
     * @param from start, inclusive
     * @param to end, exclusive
     * @param sink receives every task created or updated in the period
     */
    void forEachTaskTouched(Instant from, Instant to, Consumer<StaffTask> sink);

    /**
     * The figures of the weekly report for a period, each counted by these rules (an instant is
     * "in the period" when {@code from <= t < to}):
     * <ul>
     *   <li>ingested, contacted: follow-ups whose {@code createdAt}, {@code firstContactAt} is in
     *       the period;</li>
     *   <li>responded per channel: follow-ups whose {@code repliedAt} is in the period, by
     *       {@code respondedChannel}, leaving out those without one and those of
     *       {@link Channel#STAFF_CALL};</li>
     *   <li>declined, opted out, unreachable, expired: follow-ups in that state whose
     *       {@code closedAt} is in the period;</li>
     *   <li>booked per channel, type code and provider display name: follow-ups in state BOOKED
     *       whose {@code closedAt} is in the period and that have a {@code firstContactAt} or a
     *       task (of any state) created before {@code to}; the channel is the
     *       {@code respondedChannel}, STAFF_CALL when it has none. The channel alone does not
     *       decide: an EHR write-back attributes a booking of a never-contacted follow-up to
     *       STAFF_CALL too;</li>
     *   <li>SMS sent and their segments, emails sent, cost: attempts created in the period whose
     *       state {@link dev.followup.message.AttemptState#countsAsSent() counts as sent} or is
     *       PENDING, of any purpose;</li>
     *   <li>reached per channel: distinct follow-up ids of those attempts with purpose OUTREACH
     *       (attempts without a follow-up left out), together with the follow-ups counted as
     *       responded by that channel, so that responded never exceeds reached;</li>
     *   <li>handed to staff: distinct follow-up ids of tasks created in the period (tasks without
     *       a follow-up left out);</li>
     *   <li>resolved without staff: follow-ups in state BOOKED, DECLINED or OPTED_OUT whose
     *       {@code closedAt} is in the period, that have a {@code firstContactAt} and no task
     *       created before {@code to};</li>
     *   <li>staff calls: tasks DONE whose {@code updatedAt} is in the period and whose outcome is
     *       not RESOLVED; staff reached: those of them whose outcome is not UNREACHABLE (a missing
     *       outcome is neither).</li>
     * </ul>
     *
     * <p>The default counts the rows of the three iterators above in Java, so every store has it.
     * A store that can aggregate where the rows are should override it (the report then reads no
     * row and decrypts nothing); the store contract suite checks an override against the default.
     *
     * @param from start, inclusive
     * @param to end, exclusive
     * @return the practice's figures for the period
     */
    default WeeklyCounts weeklyCounts(Instant from, Instant to) {
        return WeeklyCounts.tally(this, from, to);
    }

    // --- retention ---

    /**
     * Erases message bodies (attempts, inbound messages, task reply texts) recorded before the
     * cutoff, keeping every other field.
     *
     * @param cutoff the oldest moment whose bodies are kept
     * @return how many records lost their body
     */
    int purgeBodiesBefore(Instant cutoff);

    // --- provider copies owed a redaction (retention at the SMS provider) ---

    /**
     * The texts whose copy at the SMS provider is owed a redaction: every outbound SMS attempt with a
     * provider message id and every inbound SMS, recorded before the cutoff, that has not been
     * {@linkplain ProviderCopy.Outcome#REDACTED redacted} or {@linkplain ProviderCopy.Outcome#ABANDONED
     * abandoned}, leaving out those {@linkplain ProviderCopy.Outcome#NOT_REDACTED refused} whose
     * retry time is still after {@code now}. Emails and attempts the provider never accepted (no
     * provider id) hold no copy there. Whether a body is still held locally does not matter: the
     * local purge must not end the obligation.
     *
     * <p>Read it through an index of the copies still owed, not by scanning the message history:
     * the retention job asks on every run. Reading bodies is never needed (nor decrypting them).
     * A store may settle, as it answers, which of its older rows hold no provider copy.
     *
     * <p>The default keeps the behaviour of stores written before this method: the outbound SMS
     * attempts created before the cutoff that still hold their body, all of them whatever the limit
     * (they are not remembered: the local purge that follows ends them, as before), never an inbound
     * text. A store that can record outcomes overrides both this and {@link #recordProviderRedaction}.
     *
     * @param cutoff only texts recorded strictly before it
     * @param now the current time, compared with the retry time of refused copies
     * @param limit the most copies wanted, at least 1
     * @return the copies owed, oldest first, at most {@code limit} of them
     */
    default List<ProviderCopy> providerCopiesOwedRedaction(Instant cutoff, Instant now, int limit) {
        List<ProviderCopy> owed = new ArrayList<>();
        forEachAttemptCreated(Instant.EPOCH, cutoff, a -> {
            if (a.channel() == Channel.SMS && a.body() != null && a.providerMessageId() != null) {
                owed.add(new ProviderCopy(a.providerMessageId(), ProviderCopy.Direction.OUTBOUND, a.id(), a.followUpId(), a.patientId(),
                        a.createdAt(), 0));
            }
        });
        owed.sort(ProviderCopy.OLDEST_FIRST);
        return owed;
    }

    /**
     * Records what the provider made of a request to erase a copy returned by
     * {@link #providerCopiesOwedRedaction}, counting the try: {@code REDACTED} and {@code ABANDONED}
     * end the obligation for good; {@code NOT_REDACTED} keeps it and hides the copy until
     * {@code retryAt}. Guarded like a version: nothing is written unless the copy is still owed
     * and its tries are still {@link ProviderCopy#tries()} (another node may have recorded it first).
     *
     * <p>The default records nothing and answers false, the behaviour of stores written before this
     * method (see {@link #providerCopiesOwedRedaction}).
     *
     * @param copy the copy, as the store returned it
     * @param outcome what became of it
     * @param at when the provider was asked
     * @param retryAt for {@code NOT_REDACTED}, the earliest time to ask again; null otherwise
     * @return whether the outcome was recorded (false if the copy is unknown to this practice, no
     *     longer owed, or its tries changed)
     * @throws dev.followup.InvalidInputException if {@code NOT_REDACTED} comes without a retry time
     */
    default boolean recordProviderRedaction(ProviderCopy copy, ProviderCopy.Outcome outcome, Instant at, @Nullable Instant retryAt) {
        return false;
    }
}
