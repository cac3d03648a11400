package dev.followup.test;

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
import dev.followup.message.SendAttempt;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.Claim;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.ProviderCopy;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FollowUpStore} in memory: transactions are serialised by one lock and rolled back with
 * an undo log when the work throws, so it behaves like a database for the engine's purposes. For
 * tests and demos; data is gone when the process ends.
 */
public final class InMemoryFollowUpStore implements FollowUpStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PracticeId, PracticeData> practices = new ConcurrentHashMap<>();

    @Override
    public <T> T inTransaction(PracticeId practiceId, Function<PracticeTransaction, T> work) {
        Objects.requireNonNull(practiceId, "practiceId");
        lock.lock();
        try {
            Tx tx = new Tx(practiceId, practices.computeIfAbsent(practiceId, id -> new PracticeData()));
            try {
                T result = work.apply(tx);
                tx.closed = true;
                return result;
            } catch (RuntimeException | Error e) {
                tx.rollback();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Claim> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        lock.lock();
        try {
            List<Map.Entry<PracticeId, FollowUp>> due = new ArrayList<>();
            practices.forEach((practiceId, data) -> data.followUps.values().forEach(f -> {
                Lease lease = data.leases.get(f.id());
                if (f.isActive() && f.nextActionAt() != null && !f.nextActionAt().isAfter(now)
                        && (lease == null || !lease.until.isAfter(now))) {
                    due.add(Map.entry(practiceId, f));
                }
            }));
            due.sort(Comparator.comparing(e -> e.getValue().nextActionAt()));
            List<Claim> claims = new ArrayList<>();
            for (Map.Entry<PracticeId, FollowUp> e : due.subList(0, Math.min(limit, due.size()))) {
                practices.get(e.getKey()).leases.put(e.getValue().id(), new Lease(owner, leaseUntil));
                claims.add(new Claim(e.getKey(), e.getValue().id(), owner, leaseUntil));
            }
            return claims;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Instant> oldestDue(Instant now) {
        lock.lock();
        try {
            return practices.values().stream().flatMap(d -> d.followUps.values().stream())
                    .filter(f -> f.isActive() && f.nextActionAt() != null && !f.nextActionAt().isAfter(now))
                    .map(FollowUp::nextActionAt).min(Comparator.naturalOrder());
        } finally {
            lock.unlock();
        }
    }

    /** @return how many follow-ups are stored, across practices (for tests) */
    public int followUpCount() {
        lock.lock();
        try {
            return practices.values().stream().mapToInt(d -> d.followUps.size()).sum();
        } finally {
            lock.unlock();
        }
    }

    private record Lease(String owner, Instant until) {}

    private static final class PracticeData {
        final Map<PatientId, Patient> patients = new LinkedHashMap<>();
        final Map<String, PatientId> patientsByIdentity = new HashMap<>();
        final Map<FollowUpId, FollowUp> followUps = new LinkedHashMap<>();
        final Map<String, FollowUpId> followUpsByNeed = new HashMap<>();
        final Map<FollowUpId, Lease> leases = new HashMap<>();
        final Map<String, SendAttempt> attempts = new LinkedHashMap<>();
        final Map<String, String> attemptsByDedupeKey = new HashMap<>();
        final Map<String, String> attemptsByProviderId = new HashMap<>();
        final Map<String, InboundMessage> inbound = new LinkedHashMap<>();
        final List<ConsentChange> consent = new ArrayList<>();
        final List<ChannelSuppression> suppressions = new ArrayList<>();
        final Map<TaskId, StaffTask> tasks = new LinkedHashMap<>();
        final List<AuditEvent> audit = new ArrayList<>();
        /** Provider redactions asked for, by provider message id; a copy without an entry was never asked for. */
        final Map<String, Redaction> redactions = new HashMap<>();
    }

    /** What a store remembers of a provider copy it was asked to erase. */
    private record Redaction(ProviderCopy.Outcome outcome, int tries, Instant at, @Nullable Instant retryAt) {}

    private static final class Tx implements PracticeTransaction {
        private final PracticeId practiceId;
        private final PracticeData data;
        private final Deque<Runnable> undo = new ArrayDeque<>();
        private boolean closed;

        Tx(PracticeId practiceId, PracticeData data) {
            this.practiceId = practiceId;
            this.data = data;
        }

        void rollback() {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            closed = true;
        }

        private void open() {
            if (closed) {
                throw new dev.followup.IllegalTransitionException("transaction of practice " + practiceId + " is over: use the store inside the work only");
            }
        }

        private <K, V> void put(Map<K, V> map, K key, V value) {
            open();
            boolean had = map.containsKey(key);
            V old = map.put(key, value);
            undo.push(had ? () -> map.put(key, old) : () -> map.remove(key));
        }

        private <K, V> void remove(Map<K, V> map, K key) {
            open();
            if (map.containsKey(key)) {
                V old = map.remove(key);
                undo.push(() -> map.put(key, old));
            }
        }

        private <V> void add(List<V> list, V value) {
            open();
            list.add(value);
            undo.push(() -> list.remove(list.size() - 1));
        }

        private boolean mine(PracticeId other) {
            return practiceId.equals(other);
        }

        @Override
        public PracticeId practiceId() {
            return practiceId;
        }

        @Override
        public Optional<Patient> patient(PatientId id) {
            return Optional.ofNullable(data.patients.get(id));
        }

        @Override
        public Map<String, List<PatientId>> patientsByContactKeys(Collection<String> contactKeys) {
            Set<String> wanted = Set.copyOf(contactKeys);
            Map<String, List<PatientId>> found = new HashMap<>();
            data.patients.values().stream().filter(p -> p.contactKey() != null && wanted.contains(p.contactKey()))
                    .forEach(p -> found.computeIfAbsent(p.contactKey(), k -> new ArrayList<>()).add(p.id()));
            return found;
        }

        @Override
        public Optional<Patient> patientByIdentityKey(String identityKey) {
            return Optional.ofNullable(data.patientsByIdentity.get(identityKey)).map(data.patients::get);
        }

        @Override
        public List<Patient> patientsByPhone(PhoneNumber phone) {
            return data.patients.values().stream().filter(p -> p.phone() != null && p.phone().e164().equals(phone.e164())).toList();
        }

        @Override
        public void savePatient(Patient patient) {
            requireMine(patient.practiceId(), "patient " + patient.id());
            Patient old = data.patients.get(patient.id());
            if (old != null && !old.identityKey().equals(patient.identityKey())) {
                remove(data.patientsByIdentity, old.identityKey());
            }
            put(data.patients, patient.id(), patient);
            put(data.patientsByIdentity, patient.identityKey(), patient.id());
        }

        private void requireMine(PracticeId owner, String what) {
            if (!mine(owner)) {
                throw new dev.followup.InvalidInputException(what + " belongs to another practice than " + practiceId);
            }
        }

        @Override
        public Optional<FollowUp> followUp(FollowUpId id) {
            return Optional.ofNullable(data.followUps.get(id));
        }

        @Override
        public boolean insertFollowUp(FollowUp followUp) {
            requireMine(followUp.practiceId(), "follow-up " + followUp.id());
            if (data.followUpsByNeed.containsKey(followUp.needKey())) {
                return false;
            }
            if (data.followUps.containsKey(followUp.id())) {
                throw new ConcurrentUpdateException("follow-up " + followUp.id() + " exists already");
            }
            put(data.followUps, followUp.id(), followUp);
            put(data.followUpsByNeed, followUp.needKey(), followUp.id());
            return true;
        }

        @Override
        public void updateFollowUp(FollowUp next) {
            FollowUp stored = data.followUps.get(next.id());
            if (stored == null || !mine(next.practiceId()) || stored.version() != next.version() - 1) {
                throw new ConcurrentUpdateException("follow-up " + next.id() + " changed concurrently (stored version "
                        + (stored == null ? "none" : stored.version()) + ", update to " + next.version() + ")");
            }
            put(data.followUps, next.id(), next);
        }

        @Override
        public Optional<FollowUp> followUpByNeedKey(String needKey) {
            return Optional.ofNullable(data.followUpsByNeed.get(needKey)).map(data.followUps::get);
        }

        @Override
        public List<FollowUp> activeFollowUps(PatientId patientId) {
            return data.followUps.values().stream().filter(f -> f.patientId().equals(patientId) && f.isActive()).toList();
        }

        @Override
        public boolean holdsLease(FollowUpId id, String owner, Instant now) {
            Lease lease = data.leases.get(id);
            return lease != null && lease.owner.equals(owner) && lease.until.isAfter(now);
        }

        @Override
        public void releaseLease(FollowUpId id, String owner) {
            Lease lease = data.leases.get(id);
            if (lease != null && lease.owner.equals(owner)) {
                remove(data.leases, id);
            }
        }

        @Override
        public void insertAttempt(SendAttempt attempt) {
            requireMine(attempt.practiceId(), "attempt " + attempt.id());
            if (data.attempts.containsKey(attempt.id()) || data.attemptsByDedupeKey.containsKey(attempt.dedupeKey())) {
                throw new ConcurrentUpdateException("attempt " + attempt.id() + " duplicates " + attempt.dedupeKey());
            }
            put(data.attempts, attempt.id(), attempt);
            put(data.attemptsByDedupeKey, attempt.dedupeKey(), attempt.id());
            indexProviderId(attempt);
        }

        private void indexProviderId(SendAttempt attempt) {
            if (attempt.providerMessageId() != null) {
                put(data.attemptsByProviderId, attempt.providerMessageId(), attempt.id());
            }
        }

        @Override
        public void updateAttempt(SendAttempt attempt) {
            if (!data.attempts.containsKey(attempt.id()) || !mine(attempt.practiceId())) {
                throw new dev.followup.NotFoundException("attempt " + attempt.id() + " not found in practice " + practiceId);
            }
            put(data.attempts, attempt.id(), attempt);
            indexProviderId(attempt);
        }

        @Override
        public Optional<SendAttempt> attempt(String attemptId) {
            return Optional.ofNullable(data.attempts.get(attemptId));
        }

        @Override
        public Optional<SendAttempt> attemptByProviderId(String providerMessageId) {
            return Optional.ofNullable(data.attemptsByProviderId.get(providerMessageId)).map(data.attempts::get);
        }

        @Override
        public List<SendAttempt> attemptsOf(FollowUpId id) {
            return data.attempts.values().stream().filter(a -> id.equals(a.followUpId()))
                    .sorted(Comparator.comparing(SendAttempt::createdAt)).toList();
        }

        @Override
        public int outreachCountSince(PatientId patientId, Instant since) {
            return (int) data.attempts.values().stream()
                    .filter(a -> patientId.equals(a.patientId()) && a.purpose().isOutreach()
                            && a.state() != dev.followup.message.AttemptState.FAILED && !a.createdAt().isBefore(since))
                    .count();
        }

        @Override
        public dev.followup.spi.ReplyContext replyContext(PhoneNumber from, String providerMessageId) {
            return replyContext(from).withRecordedBefore(data.inbound.containsKey(providerMessageId));
        }

        @Override
        public boolean recordInbound(InboundMessage message) {
            requireMine(message.practiceId(), "inbound message");
            if (data.inbound.containsKey(message.providerMessageId())) {
                return false;
            }
            put(data.inbound, message.providerMessageId(), message);
            return true;
        }

        @Override
        public void recordConsent(ConsentChange change) {
            requireMine(change.practiceId(), "consent change");
            add(data.consent, change);
        }

        @Override
        public Optional<ConsentChange> latestConsentOf(PatientId patientId) {
            return latest(c -> patientId.equals(c.patientId()));
        }

        @Override
        public Optional<ConsentChange> latestConsentOf(PhoneNumber phone) {
            return latest(c -> c.phone() != null && c.phone().e164().equals(phone.e164()));
        }

        private Optional<ConsentChange> latest(java.util.function.Predicate<ConsentChange> subject) {
            ConsentChange found = null;
            for (ConsentChange c : data.consent) {
                if (subject.test(c) && (found == null || !c.at().isBefore(found.at()))) {
                    found = c;
                }
            }
            return Optional.ofNullable(found);
        }

        @Override
        public void suppress(ChannelSuppression suppression) {
            requireMine(suppression.practiceId(), "suppression");
            add(data.suppressions, suppression);
        }

        @Override
        public void liftSuppressions(Channel channel, Collection<PatientId> patientIds) {
            open();
            Set<PatientId> lifted = Set.copyOf(patientIds);
            List<ChannelSuppression> before = List.copyOf(data.suppressions);
            if (data.suppressions.removeIf(s -> s.channel() == channel && lifted.contains(s.patientId()))) {
                undo.push(() -> {
                    data.suppressions.clear();
                    data.suppressions.addAll(before);
                });
            }
        }

        @Override
        public Set<Channel> suppressedChannels(PatientId patientId) {
            Set<Channel> channels = EnumSet.noneOf(Channel.class);
            data.suppressions.stream().filter(s -> s.patientId().equals(patientId)).forEach(s -> channels.add(s.channel()));
            return channels;
        }

        @Override
        public void insertTask(StaffTask task) {
            requireMine(task.practiceId(), "task " + task.id());
            if (data.tasks.containsKey(task.id())) {
                throw new ConcurrentUpdateException("task " + task.id() + " exists already");
            }
            put(data.tasks, task.id(), task);
        }

        @Override
        public void updateTask(StaffTask next) {
            StaffTask stored = data.tasks.get(next.id());
            if (stored == null || !mine(next.practiceId()) || stored.version() != next.version() - 1) {
                throw new ConcurrentUpdateException("task " + next.id() + " changed concurrently");
            }
            put(data.tasks, next.id(), next);
        }

        @Override
        public Optional<StaffTask> task(TaskId id) {
            return Optional.ofNullable(data.tasks.get(id));
        }

        @Override
        public List<StaffTask> tasks(Set<TaskState> states) {
            return data.tasks.values().stream().filter(t -> states.contains(t.state()))
                    .sorted(Comparator.comparing(StaffTask::createdAt)).toList();
        }

        @Override
        public void appendAudit(AuditRecord record) {
            AuditEvent head = data.audit.isEmpty() ? null : data.audit.get(data.audit.size() - 1);
            add(data.audit, AuditEvent.chain(practiceId, head, record));
        }

        @Override
        public void forEachAuditEvent(Consumer<AuditEvent> sink) {
            List.copyOf(data.audit).forEach(sink);
        }

        /** Its last event: nothing outside this store can remove one, so the two cannot disagree. */
        @Override
        public AuditHead auditHead() {
            return data.audit.isEmpty() ? AuditHead.EMPTY : AuditHead.of(data.audit.get(data.audit.size() - 1));
        }

        @Override
        public void forEachFollowUpTouched(Instant from, Instant to, Consumer<FollowUp> sink) {
            List.copyOf(data.followUps.values()).stream()
                    .filter(f -> in(f.createdAt(), from, to) || in(f.firstContactAt(), from, to)
                            || in(f.repliedAt(), from, to) || in(f.closedAt(), from, to))
                    .forEach(sink);
        }

        @Override
        public void forEachAttemptCreated(Instant from, Instant to, Consumer<SendAttempt> sink) {
            List.copyOf(data.attempts.values()).stream().filter(a -> in(a.createdAt(), from, to)).forEach(sink);
        }

        @Override
        public void forEachTaskTouched(Instant from, Instant to, Consumer<StaffTask> sink) {
            List.copyOf(data.tasks.values()).stream().filter(t -> in(t.createdAt(), from, to) || in(t.updatedAt(), from, to)).forEach(sink);
        }

        private static boolean in(Instant t, Instant from, Instant to) {
            return t != null && !t.isBefore(from) && t.isBefore(to);
        }

        @Override
        public int purgeBodiesBefore(Instant cutoff) {
            int purged = 0;
            for (SendAttempt a : List.copyOf(data.attempts.values())) {
                if (a.body() != null && a.createdAt().isBefore(cutoff)) {
                    put(data.attempts, a.id(), a.purged());
                    purged++;
                }
            }
            for (InboundMessage m : List.copyOf(data.inbound.values())) {
                if (m.body() != null && m.receivedAt().isBefore(cutoff)) {
                    put(data.inbound, m.providerMessageId(), m.purged());
                    purged++;
                }
            }
            for (StaffTask t : List.copyOf(data.tasks.values())) {
                if (t.replyText() != null && t.createdAt().isBefore(cutoff)) {
                    put(data.tasks, t.id(), t.purged());
                    purged++;
                }
            }
            return purged;
        }

        @Override
        public List<ProviderCopy> providerCopiesOwedRedaction(Instant cutoff, Instant now, int limit) {
            if (limit < 1) {
                throw new dev.followup.InvalidInputException("limit must be at least 1, was " + limit);
            }
            List<ProviderCopy> owed = new ArrayList<>();
            for (SendAttempt a : data.attempts.values()) {
                if (a.channel() == Channel.SMS && a.providerMessageId() != null && a.createdAt().isBefore(cutoff)) {
                    owedNow(new ProviderCopy(a.providerMessageId(), ProviderCopy.Direction.OUTBOUND, a.id(), a.followUpId(), a.patientId(),
                            a.createdAt(), 0), now, owed);
                }
            }
            for (InboundMessage m : data.inbound.values()) {
                if (m.receivedAt().isBefore(cutoff)) {
                    owedNow(new ProviderCopy(m.providerMessageId(), ProviderCopy.Direction.INBOUND, null, m.followUpId(), m.patientId(),
                            m.receivedAt(), 0), now, owed);
                }
            }
            owed.sort(ProviderCopy.OLDEST_FIRST);
            return List.copyOf(owed.subList(0, Math.min(limit, owed.size())));
        }

        private void owedNow(ProviderCopy fresh, Instant now, List<ProviderCopy> owed) {
            Redaction r = data.redactions.get(fresh.providerMessageId());
            if (r == null) {
                owed.add(fresh);
            } else if (r.outcome() == ProviderCopy.Outcome.NOT_REDACTED && r.retryAt() != null && !r.retryAt().isAfter(now)) {
                owed.add(new ProviderCopy(fresh.providerMessageId(), fresh.direction(), fresh.attemptId(), fresh.followUpId(),
                        fresh.patientId(), fresh.messageAt(), r.tries()));
            }
        }

        @Override
        public boolean recordProviderRedaction(ProviderCopy copy, ProviderCopy.Outcome outcome, Instant at, @Nullable Instant retryAt) {
            copy.requireRetryTimeFor(outcome, retryAt);
            boolean known = copy.direction() == ProviderCopy.Direction.OUTBOUND
                    ? Optional.ofNullable(data.attempts.get(copy.attemptId()))
                            .filter(a -> a.channel() == Channel.SMS && copy.providerMessageId().equals(a.providerMessageId())).isPresent()
                    : data.inbound.containsKey(copy.providerMessageId());
            Redaction r = data.redactions.get(copy.providerMessageId());
            boolean stillOwed = r == null || r.outcome() == ProviderCopy.Outcome.NOT_REDACTED;
            int tries = r == null ? 0 : r.tries();
            if (!known || !stillOwed || tries != copy.tries()) {
                return false;
            }
            put(data.redactions, copy.providerMessageId(),
                    new Redaction(outcome, tries + 1, at, outcome == ProviderCopy.Outcome.NOT_REDACTED ? retryAt : null));
            return true;
        }
    }
}
