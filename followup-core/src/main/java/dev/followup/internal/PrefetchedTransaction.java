package dev.followup.internal;

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
import dev.followup.spi.OutreachWindow;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.ProviderCopy;
import dev.followup.spi.ReplyContext;
import dev.followup.spi.SendCheck;
import dev.followup.spi.WeeklyCounts;
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
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A transaction that answers the reads of a batch's decisions from bulk reads made up front, so that
 * deciding 25 follow-ups costs a handful of queries instead of a dozen each.
 *
 * <p>Each answer is what the store said earlier in the same transaction. A write through this
 * transaction drops the answers it could change, so that later reads go to the store and see it;
 * what it cannot see is a write of another follow-up of the batch to a record it did not touch,
 * which is why {@link OutreachRunner} puts no two follow-ups of one patient or one phone number in
 * the same batch.
 */
final class PrefetchedTransaction implements PracticeTransaction {
    private final PracticeTransaction tx;
    private final Map<FollowUpId, Optional<FollowUp>> leased = new HashMap<>();
    private @Nullable String leaseOwner;
    private @Nullable Instant leaseNow;
    private final Map<FollowUpId, Optional<FollowUp>> followUps = new HashMap<>();
    private final Map<FollowUpId, List<SendAttempt>> attemptsOf = new HashMap<>();
    private final Map<String, Optional<SendAttempt>> attempts = new HashMap<>();
    private final Map<PatientId, Optional<Patient>> patients = new HashMap<>();
    private final Map<PhoneNumber, List<Patient>> patientsByPhone = new HashMap<>();
    private final Map<PatientId, Optional<ConsentChange>> consentByPatient = new HashMap<>();
    private final Map<PhoneNumber, Optional<ConsentChange>> consentByPhone = new HashMap<>();
    private final Map<PatientId, Set<Channel>> suppressed = new HashMap<>();
    private final Map<OutreachWindow, Integer> outreach = new HashMap<>();
    /** Lease releases held back to be written with the follow-up's next version, by follow-up; null when not holding. */
    private @Nullable Map<FollowUpId, String> heldReleases;

    PrefetchedTransaction(PracticeTransaction tx) {
        this.tx = tx;
    }

    // --- bulk reads made up front ---

    Map<FollowUpId, FollowUp> prefetchLeased(Collection<FollowUpId> ids, String owner, Instant now) {
        Map<FollowUpId, FollowUp> found = tx.leasedFollowUps(ids, owner, now);
        leaseOwner = owner;
        leaseNow = now;
        for (FollowUpId id : ids) {
            leased.put(id, Optional.ofNullable(found.get(id)));
        }
        return found;
    }

    void prefetchFollowUps(Collection<FollowUpId> ids) {
        Map<FollowUpId, FollowUp> found = tx.followUps(ids);
        ids.forEach(id -> followUps.put(id, Optional.ofNullable(found.get(id))));
    }

    void prefetchAttemptsOf(Collection<FollowUpId> ids) {
        attemptsOf.putAll(tx.attemptsOfFollowUps(ids));
    }

    void prefetchAttempts(Collection<String> ids) {
        Map<String, SendAttempt> found = tx.attempts(ids);
        ids.forEach(id -> attempts.put(id, Optional.ofNullable(found.get(id))));
    }

    Map<PatientId, Patient> prefetchPatients(Collection<PatientId> ids) {
        Map<PatientId, Patient> found = tx.patients(ids);
        ids.forEach(id -> patients.put(id, Optional.ofNullable(found.get(id))));
        return found;
    }

    Map<PhoneNumber, List<Patient>> prefetchPatientsByPhone(Collection<PhoneNumber> phones) {
        Map<PhoneNumber, List<Patient>> found = tx.patientsByPhones(phones);
        patientsByPhone.putAll(found);
        return found;
    }

    void prefetchConsents(Collection<PatientId> patientIds, Collection<PhoneNumber> phones) {
        Map<PatientId, ConsentChange> byPatient = tx.latestConsentsOfPatients(patientIds);
        patientIds.forEach(id -> consentByPatient.put(id, Optional.ofNullable(byPatient.get(id))));
        if (!phones.isEmpty()) {
            Map<PhoneNumber, ConsentChange> byPhone = tx.latestConsentsOfPhones(phones);
            phones.forEach(p -> consentByPhone.put(p, Optional.ofNullable(byPhone.get(p))));
        }
    }

    void prefetchSuppressions(Collection<PatientId> patientIds) {
        suppressed.putAll(tx.suppressedChannelsOf(patientIds));
    }

    void prefetchOutreach(List<OutreachWindow> windows) {
        if (windows.isEmpty()) {
            return;
        }
        List<Integer> counts = tx.outreachCounts(windows);
        for (int i = 0; i < windows.size(); i++) {
            outreach.put(windows.get(i), counts.get(i));
        }
    }

    // --- lease releases written with the next version ---

    /**
     * From now on, a lease release waits for the follow-up's next version and is written with it
     * in one statement ({@link PracticeTransaction#updateFollowUpAndRelease}); {@link
     * #releaseHeldLeases} writes those that got none. A lease read first writes the held releases,
     * so that it never sees a lease this transaction released.
     */
    void holdLeaseReleases() {
        heldReleases = new HashMap<>();
    }

    /** Writes the lease releases still held, and stops holding them. */
    void releaseHeldLeases() {
        Map<FollowUpId, String> held = heldReleases;
        heldReleases = null;
        if (held != null) {
            held.forEach(tx::releaseLease);
        }
    }

    private void leaseRead() {
        if (heldReleases != null && !heldReleases.isEmpty()) {
            releaseHeldLeases();
            holdLeaseReleases();
        }
    }

    // --- writes drop what they could change ---

    private void attemptWritten(SendAttempt attempt) {
        attempts.remove(attempt.id());
        if (attempt.followUpId() != null) {
            attemptsOf.remove(attempt.followUpId());
        }
        if (attempt.patientId() != null) {
            outreach.keySet().removeIf(w -> w.patients().contains(attempt.patientId()));
        }
    }

    private void followUpWritten(FollowUpId id) {
        followUps.remove(id);
        leased.remove(id);
    }

    @Override
    public void savePatient(Patient patient) {
        patients.clear();
        patientsByPhone.clear();
        tx.savePatient(patient);
    }

    @Override
    public void savePatients(List<Patient> list) {
        patients.clear();
        patientsByPhone.clear();
        tx.savePatients(list);
    }

    @Override
    public void insertPatients(List<Patient> list) {
        patients.clear();
        patientsByPhone.clear();
        tx.insertPatients(list);
    }

    @Override
    public void updateFollowUp(FollowUp next) {
        followUpWritten(next.id());
        String releasing = heldReleases == null ? null : heldReleases.remove(next.id());
        if (releasing != null) {
            tx.updateFollowUpAndRelease(next, releasing);
        } else {
            tx.updateFollowUp(next);
        }
    }

    @Override
    public void updateFollowUpAndRelease(FollowUp next, String owner) {
        followUpWritten(next.id());
        if (heldReleases != null) {
            heldReleases.remove(next.id());
        }
        tx.updateFollowUpAndRelease(next, owner);
    }

    @Override
    public void releaseLease(FollowUpId id, String owner) {
        followUpWritten(id);
        if (heldReleases != null) {
            heldReleases.put(id, owner);
        } else {
            tx.releaseLease(id, owner);
        }
    }

    @Override
    public void insertAttempt(SendAttempt attempt) {
        attemptWritten(attempt);
        tx.insertAttempt(attempt);
    }

    @Override
    public void updateAttempt(SendAttempt attempt) {
        attemptWritten(attempt);
        tx.updateAttempt(attempt);
    }

    @Override
    public void updateDeliveryStatus(SendAttempt updated, @Nullable DeliveryStatus previous) {
        attemptWritten(updated);
        tx.updateDeliveryStatus(updated, previous);
    }

    @Override
    public void settleAttempt(SendAttempt settled) {
        attemptWritten(settled);
        tx.settleAttempt(settled);
    }

    @Override
    public void recordConsent(ConsentChange change) {
        // A number's opt-out speaks for every patient who has it: drop all consent answers.
        consentByPatient.clear();
        consentByPhone.clear();
        tx.recordConsent(change);
    }

    @Override
    public void suppress(ChannelSuppression suppression) {
        suppressed.remove(suppression.patientId());
        tx.suppress(suppression);
    }

    @Override
    public void liftSuppressions(Channel channel, Collection<PatientId> patientIds) {
        patientIds.forEach(suppressed::remove);
        tx.liftSuppressions(channel, patientIds);
    }

    // --- reads answered from the bulk reads where they cover the question ---

    /** @return what the bulk reads said of {@code key}, or the store's answer where they did not cover it */
    private static <K, V> V cached(Map<K, V> answers, K key, Function<K, V> store) {
        V known = answers.get(key);
        return known != null ? known : store.apply(key);
    }

    @Override
    public Optional<FollowUp> leasedFollowUp(FollowUpId id, String owner, Instant now) {
        leaseRead();
        Optional<FollowUp> known = owner.equals(leaseOwner) && now.equals(leaseNow) ? leased.get(id) : null;
        return known != null ? known : tx.leasedFollowUp(id, owner, now);
    }

    @Override
    public Optional<FollowUp> followUp(FollowUpId id) {
        return cached(followUps, id, tx::followUp);
    }

    @Override
    public List<SendAttempt> attemptsOf(FollowUpId id) {
        return cached(attemptsOf, id, tx::attemptsOf);
    }

    @Override
    public Optional<SendAttempt> attempt(String attemptId) {
        return cached(attempts, attemptId, tx::attempt);
    }

    @Override
    public Optional<Patient> patient(PatientId id) {
        return cached(patients, id, tx::patient);
    }

    @Override
    public List<PatientId> lockRecipient(PatientId patientId, @Nullable PhoneNumber phone) {
        return tx.lockRecipient(patientId, phone); // a lock, never an answer from the cache
    }

    @Override
    public List<Patient> patientsByPhone(PhoneNumber phone) {
        return cached(patientsByPhone, phone, tx::patientsByPhone);
    }

    @Override
    public Optional<ConsentChange> latestConsentOf(PatientId patientId) {
        return cached(consentByPatient, patientId, tx::latestConsentOf);
    }

    @Override
    public Optional<ConsentChange> latestConsentOf(PhoneNumber phone) {
        return cached(consentByPhone, phone, tx::latestConsentOf);
    }

    @Override
    public Optional<ConsentChange> consentOf(PatientId patientId, @Nullable PhoneNumber phone) {
        Optional<ConsentChange> byPatient = consentByPatient.get(patientId);
        Optional<ConsentChange> byPhone = phone == null ? Optional.empty() : consentByPhone.get(phone);
        if (byPatient == null || byPhone == null) {
            return tx.consentOf(patientId, phone);
        }
        return ConsentChange.applying(byPatient, byPhone);
    }

    @Override
    public SendCheck sendCheck(FollowUpId id, String owner, Instant now, PatientId patientId, @Nullable PhoneNumber phone) {
        // Asked of the store as one read: what is asked just before a send must not come from a bulk read made earlier.
        return tx.sendCheck(id, owner, now, patientId, phone);
    }

    @Override
    public SendCheck sendCheck(FollowUpId id, String owner, Instant now, PatientId patientId, @Nullable PhoneNumber phone,
            List<Instant> countedSince) {
        return tx.sendCheck(id, owner, now, patientId, phone, countedSince); // a lock and the last counts: never from the cache
    }

    @Override
    public ReplyContext replyContext(PhoneNumber from) {
        // Replies are not decided in groups: nothing prefetched applies, and the store answers in one read.
        return tx.replyContext(from);
    }

    @Override
    public ReplyContext replyContext(PhoneNumber from, String providerMessageId) {
        return tx.replyContext(from, providerMessageId);
    }

    @Override
    public Set<Channel> suppressedChannels(PatientId patientId) {
        return cached(suppressed, patientId, tx::suppressedChannels);
    }

    @Override
    public List<Integer> outreachCounts(List<OutreachWindow> windows) {
        List<Integer> counts = new ArrayList<>(windows.size());
        for (OutreachWindow w : windows) {
            Integer known = outreach.get(w);
            if (known == null) {
                return tx.outreachCounts(windows);
            }
            counts.add(known);
        }
        return counts;
    }

    // --- everything else goes straight to the store ---

    @Override
    public PracticeId practiceId() {
        return tx.practiceId();
    }

    @Override
    public Map<String, List<PatientId>> patientsByContactKeys(Collection<String> contactKeys) {
        return tx.patientsByContactKeys(contactKeys);
    }

    @Override
    public Optional<Patient> patientByIdentityKey(String identityKey) {
        return tx.patientByIdentityKey(identityKey);
    }

    @Override
    public Map<String, Patient> patientsByIdentityKeys(Collection<String> identityKeys) {
        return tx.patientsByIdentityKeys(identityKeys);
    }

    @Override
    public Map<PatientId, Patient> patients(Collection<PatientId> ids) {
        return tx.patients(ids);
    }

    @Override
    public Map<PhoneNumber, List<Patient>> patientsByPhones(Collection<PhoneNumber> phones) {
        return tx.patientsByPhones(phones);
    }

    @Override
    public boolean insertFollowUp(FollowUp followUp) {
        return tx.insertFollowUp(followUp);
    }

    @Override
    public List<Boolean> insertFollowUps(List<FollowUp> list) {
        return tx.insertFollowUps(list);
    }

    @Override
    public Optional<FollowUp> followUpByNeedKey(String needKey) {
        return tx.followUpByNeedKey(needKey);
    }

    @Override
    public List<FollowUp> activeFollowUps(PatientId patientId) {
        return tx.activeFollowUps(patientId);
    }

    @Override
    public boolean holdsLease(FollowUpId id, String owner, Instant now) {
        leaseRead();
        return tx.holdsLease(id, owner, now);
    }

    @Override
    public Map<FollowUpId, FollowUp> leasedFollowUps(Collection<FollowUpId> ids, String owner, Instant now) {
        leaseRead();
        return tx.leasedFollowUps(ids, owner, now);
    }

    @Override
    public Map<FollowUpId, FollowUp> followUps(Collection<FollowUpId> ids) {
        return tx.followUps(ids);
    }

    @Override
    public Optional<SendAttempt> attemptByProviderId(String providerMessageId) {
        return tx.attemptByProviderId(providerMessageId);
    }

    @Override
    public Map<FollowUpId, List<SendAttempt>> attemptsOfFollowUps(Collection<FollowUpId> ids) {
        return tx.attemptsOfFollowUps(ids);
    }

    @Override
    public Map<String, SendAttempt> attempts(Collection<String> attemptIds) {
        return tx.attempts(attemptIds);
    }

    @Override
    public int outreachCountSince(PatientId patientId, Instant since) {
        return tx.outreachCountSince(patientId, since);
    }

    @Override
    public boolean recordInbound(InboundMessage message) {
        return tx.recordInbound(message);
    }

    @Override
    public Map<PatientId, ConsentChange> latestConsentsOfPatients(Collection<PatientId> patientIds) {
        return tx.latestConsentsOfPatients(patientIds);
    }

    @Override
    public Map<PhoneNumber, ConsentChange> latestConsentsOfPhones(Collection<PhoneNumber> phones) {
        return tx.latestConsentsOfPhones(phones);
    }

    @Override
    public Map<PatientId, Set<Channel>> suppressedChannelsOf(Collection<PatientId> patientIds) {
        return tx.suppressedChannelsOf(patientIds);
    }

    @Override
    public void insertTask(StaffTask task) {
        tx.insertTask(task);
    }

    @Override
    public void updateTask(StaffTask next) {
        tx.updateTask(next);
    }

    @Override
    public Optional<StaffTask> task(TaskId id) {
        return tx.task(id);
    }

    @Override
    public List<StaffTask> tasks(Set<TaskState> states) {
        return tx.tasks(states);
    }

    @Override
    public void appendAudit(AuditRecord record) {
        tx.appendAudit(record);
    }

    @Override
    public void forEachAuditEvent(Consumer<AuditEvent> sink) {
        tx.forEachAuditEvent(sink);
    }

    @Override
    public AuditHead auditHead() {
        return tx.auditHead();
    }

    @Override
    public void forEachFollowUpTouched(Instant from, Instant to, Consumer<FollowUp> sink) {
        tx.forEachFollowUpTouched(from, to, sink);
    }

    @Override
    public void forEachAttemptCreated(Instant from, Instant to, Consumer<SendAttempt> sink) {
        tx.forEachAttemptCreated(from, to, sink);
    }

    @Override
    public void forEachTaskTouched(Instant from, Instant to, Consumer<StaffTask> sink) {
        tx.forEachTaskTouched(from, to, sink);
    }

    @Override
    public WeeklyCounts weeklyCounts(Instant from, Instant to) {
        return tx.weeklyCounts(from, to);
    }

    @Override
    public int purgeBodiesBefore(Instant cutoff) {
        return tx.purgeBodiesBefore(cutoff);
    }

    @Override
    public List<ProviderCopy> providerCopiesOwedRedaction(Instant cutoff, Instant now, int limit) {
        return tx.providerCopiesOwedRedaction(cutoff, now, limit);
    }

    @Override
    public boolean recordProviderRedaction(ProviderCopy copy, ProviderCopy.Outcome outcome, Instant at, @Nullable Instant retryAt) {
        return tx.recordProviderRedaction(copy, outcome, at, retryAt);
    }
}
