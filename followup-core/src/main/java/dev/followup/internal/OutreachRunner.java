package dev.followup.internal;

import dev.followup.ConcurrentUpdateException;
import dev.followup.FollowUpException;
import dev.followup.RunSummary;
import dev.followup.audit.AuditType;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.policy.EscalationPolicy;
import dev.followup.policy.Step;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.practice.SendWindow;
import dev.followup.spi.Claim;
import dev.followup.spi.OutreachWindow;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.SendCheck;
import dev.followup.spi.SendResult;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes due steps: claims due follow-ups in batches and, for each, reconciles unfinished attempts,
 * decides what the policy asks for now, and runs the send protocol. A follow-up decided alone has
 * consent, the send window and the contact limits checked in the transaction that records its
 * attempt; one decided in a group has them checked at the group's decision, seconds before, and
 * consent, its lease and its version checked again in the transaction that records its attempt.
 */
public final class OutreachRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OutreachRunner.class);
    private static final Duration MAX_PACING_WAIT = Duration.ofSeconds(5);
    private static final int MAX_BATCHES_PER_RUN = 10_000;
    /**
     * Follow-ups decided in one transaction and recorded in another. Small enough that a group's
     * texts go out within seconds of its decision (its pacing slots all fall within
     * {@link #MAX_PACING_WAIT}; consent is read again for each text in any case), large enough that
     * its bulk reads cost a fraction of a query per follow-up.
     */
    static final int GROUP_SIZE = 25;
    private final EngineContext ctx;
    private final Messenger messenger;
    private final Closer closer;
    /**
     * Numbers this engine's runs. Each run leases what it claims under its own owner, the node id
     * and this number: runs of one engine on several threads then guard their leases against each
     * other as nodes do, so a run whose lease ran out while it waited on a provider cannot act on
     * the follow-ups of the run that took them over.
     */
    private final AtomicLong runs = new AtomicLong();

    /** @param ctx the engine's shared context */
    public OutreachRunner(EngineContext ctx) {
        this.ctx = ctx;
        this.messenger = new Messenger(ctx);
        this.closer = new Closer(ctx);
    }

    /** @return what the run did; claims until nothing is due */
    public RunSummary runDueWork() {
        return runDueWorkUntil(() -> false);
    }

    /**
     * @param stopRequested asked before each follow-up, group of them, and text of a group; once it
     *     answers true the run ends, and the follow-ups it had claimed but not yet worked on are
     *     released for the next run or node
     * @return what the run did; claims until nothing is due or a stop is requested
     */
    public RunSummary runDueWorkUntil(BooleanSupplier stopRequested) {
        RunSummary total = RunSummary.EMPTY;
        String owner = ctx.nodeId() + "#" + runs.incrementAndGet();
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN && !stopRequested.getAsBoolean(); batch++) {
            Instant now = ctx.clock().instant();
            List<Claim> claims = ctx.store().claimDue(now, ctx.batchSize(), owner, now.plus(ctx.lease()));
            if (claims.isEmpty()) {
                break;
            }
            ctx.listener().batchClaimed(claims.size());
            Tally tally = new Tally();
            tally.claimed = claims.size();
            boolean stopped = false;
            Set<FollowUpId> lagReported = new HashSet<>();
            for (List<Claim> group : groups(claims)) {
                List<Claim> each = stopped || group.size() == 1 ? group : processGroup(group, tally, stopRequested, lagReported);
                for (Claim claim : each) {
                    if (stopped || stopRequested.getAsBoolean()) {
                        // Shutting down: hand the rest back at once rather than let their leases run out.
                        stopped = true;
                        release(claim);
                        continue;
                    }
                    guarded(claim, tally, () -> process(claim, tally, lagReported.contains(claim.followUpId())));
                }
            }
            total = total.plus(tally.summary());
            if (stopped) {
                break;
            }
        }
        return total;
    }

    /**
     * Splits a batch into groups of one practice that are decided and recorded together, in claim
     * order within each practice.
     */
    private static List<List<Claim>> groups(List<Claim> claims) {
        Map<PracticeId, List<Claim>> byPractice = new LinkedHashMap<>();
        for (Claim claim : claims) {
            byPractice.computeIfAbsent(claim.practiceId(), id -> new ArrayList<>()).add(claim);
        }
        List<List<Claim>> groups = new ArrayList<>();
        for (List<Claim> ofPractice : byPractice.values()) {
            for (int from = 0; from < ofPractice.size(); from += GROUP_SIZE) {
                groups.add(ofPractice.subList(from, Math.min(ofPractice.size(), from + GROUP_SIZE)));
            }
        }
        return groups;
    }

    /** Runs the work of one follow-up, keeping a failure to that follow-up. */
    private void guarded(Claim claim, Tally tally, Runnable work) {
        try {
            work.run();
        } catch (ConcurrentUpdateException e) {
            // Another node or a reply changed the follow-up: it is re-read on its next claim.
            LOG.debug("follow-up {} changed while processing: {}", claim.followUpId(), e.getMessage());
            release(claim);
        } catch (RuntimeException e) {
            // The lease is kept: the follow-up is retried when it expires, not re-claimed by the next
            // batch of this run (a failure that repeats would otherwise spin until the batch limit).
            tally.errors++;
            LOG.error("processing follow-up {} of practice {} failed; it is retried after its lease ({})", claim.followUpId(),
                    claim.practiceId(), FollowUpException.loggable(e));
        }
    }

    private void release(Claim claim) {
        try {
            ctx.inTransaction(claim.practiceId(), tx -> {
                tx.releaseLease(claim.followUpId(), claim.owner());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not release lease of follow-up {}; it expires on its own", claim.followUpId());
        }
    }

    private static final class Tally {
        int claimed, sent, failed, deferred, tasks, closed, errors;

        void add(Tally other) {
            claimed += other.claimed;
            sent += other.sent;
            failed += other.failed;
            deferred += other.deferred;
            tasks += other.tasks;
            closed += other.closed;
            errors += other.errors;
        }

        void reset() {
            claimed = sent = failed = deferred = tasks = closed = errors = 0;
        }

        RunSummary summary() {
            return new RunSummary(claimed, sent, failed, deferred, tasks, closed, errors);
        }
    }

    /** What the first transaction decided. */
    private sealed interface Plan {
        record Done() implements Plan {}

        /**
         * @param intentRecorded whether the attempt was recorded with the decision; if not, it is recorded
         *     just before the send, with consent, the lease and the follow-up checked again
         */
        record Send(Messenger.Prepared prepared, FollowUp followUp, int step, Instant sendAt, boolean intentRecorded) implements Plan {}

        record Reconcile(List<SendAttempt> pending) implements Plan {}

        /** Deciding in a group, no pacing slot was free soon enough: decide it on its own after the group. */
        record Later() implements Plan {}
    }

    /** A message of a group, decided and recorded as PENDING, and what its provider answered. */
    private record GroupSend(Claim claim, Plan.Send send, @Nullable SendResult result, @Nullable Instant at) {
        GroupSend answered(SendResult answer, Instant when) {
            return new GroupSend(claim, send, answer, when);
        }
    }

    /**
     * Decides a group of one practice's follow-ups in one transaction from bulk reads; then, for each
     * message decided, records its attempt in a short transaction of its own and sends it; then
     * records the provider's answers in one transaction. Each message still follows the send
     * protocol of {@link Messenger}: no attempt exists for a text not yet handed to the provider,
     * and a crash leaves the texts already handed over as PENDING attempts for recovery to settle
     * (never to send again); the reads, decisions and answers cost a few queries for the group.
     * Anything the group cannot settle alone (a crashed node's attempt, a follow-up sharing a
     * patient or phone with an earlier one, a pacing slot not free soon) is handed back to be
     * worked on one by one; if a group transaction fails, nothing of it was kept and all of the
     * group is.
     *
     * @param lagReported receives the follow-ups handed back whose step lag the group reported
     * @return the follow-ups to work on one by one, in order
     */
    private List<Claim> processGroup(List<Claim> group, Tally tally, BooleanSupplier stopRequested, Set<FollowUpId> lagReported) {
        if (stopRequested.getAsBoolean()) {
            return group;
        }
        Claim first = group.get(0);
        List<Claim> each = new ArrayList<>();
        List<GroupSend> sends = new ArrayList<>();
        List<StaffTask> opened = new ArrayList<>();
        Tally decided = new Tally();
        try {
            Practice practice = ctx.practice(first.practiceId());
            Instant now = ctx.clock().instant();
            ctx.inTransaction(first.practiceId(), tx -> {
                each.clear(); // a store that retries the work starts the group afresh
                sends.clear();
                opened.clear();
                decided.reset();
                PrefetchedTransaction reads = new PrefetchedTransaction(tx);
                for (Claim claim : prefetchDecisions(reads, group, practice, now, each)) {
                    Plan plan = decide(reads, claim, practice, now, decided, opened, true, false);
                    if (plan instanceof Plan.Send send) {
                        sends.add(new GroupSend(claim, send, null, null));
                    } else if (!(plan instanceof Plan.Done)) {
                        each.add(claim);
                        if (plan instanceof Plan.Later) {
                            lagReported.add(claim.followUpId());
                        }
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("deciding {} follow-ups of practice {} together failed ({}); each is decided on its own", group.size(),
                    first.practiceId(), FollowUpException.loggable(e));
            return group;
        }
        tally.add(decided);
        closer.publish(opened);
        List<GroupSend> answered = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            if (stopRequested.getAsBoolean()) {
                // Shutting down: the texts not started have no attempt yet, so their follow-ups go back at once.
                sends.subList(i, sends.size()).forEach(rest -> release(rest.claim()));
                break;
            }
            GroupSend s = sends.get(i);
            waitForSlot(s.send());
            if (!recordIntent(s.claim(), s.send(), tally)) {
                continue;
            }
            SendResult result = messenger.deliver(s.send().prepared());
            answered.add(s.answered(result, ctx.clock().instant()));
        }
        recordGroup(first, answered, tally);
        // Claims handed back keep their claim order; those clashing with a sent one now see its attempt.
        each.sort(java.util.Comparator.comparingInt(group::indexOf));
        return each;
    }

    /**
     * Reads, in a few bulk queries, what deciding the group asks of the store.
     *
     * @param each receives the claims that must be decided on their own: those sharing a patient or
     *     a phone number with an earlier claim of the group, whose decisions read each other's writes
     * @return the claims to decide in the group
     */
    private List<Claim> prefetchDecisions(PrefetchedTransaction reads, List<Claim> group, Practice practice, Instant now, List<Claim> each) {
        // Every claim of a batch has its run's owner.
        List<FollowUpId> ids = group.stream().map(Claim::followUpId).toList();
        Map<FollowUpId, FollowUp> leased = reads.prefetchLeased(ids, group.get(0).owner(), now);
        Set<PatientId> patientIds = new LinkedHashSet<>();
        leased.values().forEach(f -> patientIds.add(f.patientId()));
        Map<PatientId, Patient> patients = reads.prefetchPatients(patientIds);
        List<Claim> together = new ArrayList<>();
        List<FollowUpId> active = new ArrayList<>();
        Set<PatientId> seenPatients = new HashSet<>();
        Set<PhoneNumber> seenPhones = new HashSet<>();
        for (Claim claim : group) {
            FollowUp f = leased.get(claim.followUpId());
            if (f == null) {
                together.add(claim); // its lease ran out: deciding it writes nothing
                continue;
            }
            Patient patient = patients.get(f.patientId());
            PhoneNumber phone = patient == null ? null : patient.phone();
            if (seenPatients.contains(f.patientId()) || (phone != null && seenPhones.contains(phone))) {
                each.add(claim);
                continue;
            }
            seenPatients.add(f.patientId());
            if (phone != null) {
                seenPhones.add(phone);
            }
            together.add(claim);
            if (f.isActive()) {
                active.add(f.id());
            }
        }
        if (active.isEmpty()) {
            return together;
        }
        reads.prefetchAttemptsOf(active);
        Set<PatientId> deciding = new LinkedHashSet<>();
        for (FollowUpId id : active) {
            deciding.add(leased.get(id).patientId());
        }
        deciding.retainAll(patients.keySet());
        Map<PhoneNumber, List<Patient>> sharing = reads.prefetchPatientsByPhone(seenPhones);
        reads.prefetchConsents(deciding, seenPhones);
        reads.prefetchSuppressions(deciding);
        List<OutreachWindow> windows = new ArrayList<>();
        for (PatientId id : deciding) {
            Patient p = patients.get(id);
            windows.addAll(limitWindows(recipients(p, p.phone() == null ? List.of() : sharing.getOrDefault(p.phone(), List.of())),
                    p.zoneOr(practice.timeZone()), now));
        }
        reads.prefetchOutreach(windows);
        return together;
    }

    /** Records a group's provider answers in one transaction, or each in its own if that fails. */
    private void recordGroup(Claim first, List<GroupSend> answered, Tally tally) {
        if (answered.isEmpty()) {
            return;
        }
        Tally recorded = new Tally();
        try {
            ctx.inTransaction(first.practiceId(), tx -> {
                recorded.reset();
                PrefetchedTransaction reads = new PrefetchedTransaction(tx);
                reads.prefetchAttempts(answered.stream().map(s -> s.send().prepared().attempt().id()).toList());
                reads.prefetchFollowUps(answered.stream().map(s -> s.claim().followUpId()).toList());
                // Each follow-up's lease is released with its next version: one write of the row, not two.
                reads.holdLeaseReleases();
                for (GroupSend s : answered) {
                    afterSend(reads, s.claim(), s.send(), s.result(), s.at(), recorded);
                }
                reads.releaseHeldLeases();
                return null;
            });
            tally.add(recorded);
        } catch (ConcurrentUpdateException e) {
            // A reply changed one of them while the provider was called, say: record each as a lone send would.
            LOG.debug("recording {} sends of practice {} together failed ({}); each is recorded on its own", answered.size(),
                    first.practiceId(), FollowUpException.loggable(e));
            for (GroupSend s : answered) {
                guarded(s.claim(), tally, () -> ctx.inTransaction(s.claim().practiceId(), tx -> {
                    afterSend(tx, s.claim(), s.send(), s.result(), s.at(), tally);
                    return null;
                }));
            }
        } catch (RuntimeException e) {
            // The store failed (it is down, say): trying each alone would wait out the same failure once per send. As
            // for a lone send, the leases are kept and the PENDING attempts are reconciled when they run out.
            tally.errors += answered.size();
            LOG.error("recording the answers of {} sends of practice {} failed; their follow-ups are reconciled after their leases ({})",
                    answered.size(), first.practiceId(), FollowUpException.loggable(e));
        }
    }

    /**
     * Records the attempt of a send decided earlier (in a group, or alone before waiting for its
     * pacing slot), checking again in the same transaction what the decision checked: that the node
     * still holds the lease, that the follow-up is the version decided on (no reply, booking or
     * other change since), consent, the send window and, under the recipient's lock, the contact
     * limits. The decision may be seconds old (a group's texts wait for one another's provider
     * calls); an opt-out, a reply, the window's close or another run's text to the same recipient
     * must stop a send up to its last moment.
     *
     * @return whether the attempt is recorded, so that it may be handed to the provider
     */
    private boolean recordIntent(Claim claim, Plan.Send send, Tally tally) {
        boolean[] recorded = {false};
        guarded(claim, tally, () -> recorded[0] = ctx.inTransaction(claim.practiceId(), tx -> {
            Instant now = ctx.clock().instant();
            Patient patient = send.prepared().patient();
            Practice practice = send.prepared().practice();
            FollowUp current;
            boolean optedOut = false;
            List<Integer> outreachCounts = List.of();
            if (patient == null) {
                current = tx.leasedFollowUp(claim.followUpId(), claim.owner(), now).orElse(null);
            } else {
                SendCheck check = tx.sendCheck(claim.followUpId(), claim.owner(), now, patient.id(), patient.phone(),
                        limitStarts(patient.zoneOr(practice.timeZone()), now));
                current = check.leasedFollowUp().orElse(null);
                optedOut = optsOut(check.consent());
                outreachCounts = check.outreachCounts();
            }
            if (current == null) {
                return false; // the lease ran out; another node owns the work now
            }
            if (current.version() != send.followUp().version() || optedOut) {
                // Changed since the decision: the next claim decides it afresh (and closes it if opted out).
                tx.releaseLease(claim.followUpId(), claim.owner());
                return false;
            }
            if (patient != null) {
                // The group's earlier texts took their time (a slow provider), or another run texted this recipient since.
                List<Integer> counted = outreachCounts;
                Hold hold = hold(practice, ctx.policyOf(current), patient.zoneOr(practice.timeZone()), now, () -> counted);
                if (hold != null) {
                    defer(tx, claim, current, hold.until(), hold.reason(), now, tally);
                    return false;
                }
            }
            messenger.recordIntent(tx, send.prepared(), now);
            return true;
        }));
        return recorded[0];
    }

    private void waitForSlot(Plan.Send send) {
        // The pacing slot was reserved with the decision; wait for it outside any transaction.
        Duration wait = Duration.between(ctx.clock().instant(), send.sendAt());
        if (!wait.isNegative() && !wait.isZero()) {
            ctx.sleeper().accept(wait);
        }
    }

    private void process(Claim claim, Tally tally, boolean lagReported) {
        Practice practice = ctx.practice(claim.practiceId());
        List<StaffTask> opened = new ArrayList<>();
        Instant now = ctx.clock().instant();
        Plan plan = ctx.inTransaction(claim.practiceId(), tx -> decide(tx, claim, practice, now, tally, opened, false, lagReported));
        if (plan instanceof Plan.Reconcile reconcile) {
            // Unfinished attempts of a crashed node decide whether their step was taken: settle them first.
            reconcile(claim, reconcile.pending(), tally);
            Instant later = ctx.clock().instant();
            plan = ctx.inTransaction(claim.practiceId(), tx -> decide(tx, claim, practice, later, tally, opened, false, lagReported));
            if (plan instanceof Plan.Reconcile) {
                release(claim); // still unsettled (a concurrent writer): the next claim tries again
                return;
            }
        }
        closer.publish(opened);
        if (plan instanceof Plan.Send send) {
            waitForSlot(send);
            if (!send.intentRecorded() && !recordIntent(claim, send, tally)) {
                return; // a reply, an opt-out or another node while it waited: not sent
            }
            SendResult result = messenger.deliver(send.prepared());
            Instant done = ctx.clock().instant();
            ctx.inTransaction(claim.practiceId(), tx -> {
                afterSend(tx, claim, send, result, done, tally);
                return null;
            });
        }
    }

    private void reconcile(Claim claim, List<SendAttempt> pending, Tally tally) {
        List<SendAttempt> settled = new ArrayList<>();
        Instant now = ctx.clock().instant();
        for (SendAttempt a : pending) {
            settled.add(messenger.reconcile(a, now));
        }
        ctx.inTransaction(claim.practiceId(), tx -> {
            for (SendAttempt s : settled) {
                SendAttempt stored = tx.attempt(s.id()).orElse(s);
                if (stored.state() != AttemptState.PENDING) {
                    continue; // a status callback settled it meanwhile
                }
                tx.updateAttempt(s);
                ctx.afterCommit(() -> ctx.listener().messageRecorded(s.practiceId(), s.channel(), s.purpose(), s.state()));
                Audits.record(tx, s.state() == AttemptState.SENT ? AuditType.MESSAGE_SENT : AuditType.MESSAGE_UNCONFIRMED,
                        Audits.ENGINE, s.followUpId(), s.patientId(), now, "attempt", s.id(), "reconciled", "true");
                FollowUp f = tx.followUp(claim.followUpId()).orElse(null);
                if (f != null && f.isActive() && s.purpose().isOutreach() && f.nextStep() == s.step() && f.state() != FollowUpState.ENGAGED) {
                    // The step was taken before the crash: move the ladder on exactly as a normal send would.
                    moveLadderPast(tx, f, s.channel(), s.step(), s.createdAt(), now, "reconciled");
                    tally.sent++; // settled by this run: the crashed run never counted it
                }
            }
            return null;
        });
    }

    /**
     * @param inGroup whether other follow-ups are decided in the same transaction, to be sent right after
     * @param lagReported whether this follow-up's step lag was reported already (by a group that handed it back)
     */
    private Plan decide(PracticeTransaction tx, Claim claim, Practice practice, Instant now, Tally tally, List<StaffTask> opened,
            boolean inGroup, boolean lagReported) {
        FollowUp claimed = tx.leasedFollowUp(claim.followUpId(), claim.owner(), now).orElse(null);
        if (claimed == null) {
            return new Plan.Done(); // the lease ran out; another node owns the work now
        }
        if (!claimed.isActive()) {
            tx.releaseLease(claim.followUpId(), claim.owner());
            return new Plan.Done();
        }
        // Read once: nothing below adds an attempt before the plan is made, and each read is a round trip.
        List<SendAttempt> attempts = tx.attemptsOf(claimed.id());
        List<SendAttempt> pending = attempts.stream().filter(a -> a.state() == AttemptState.PENDING).toList();
        if (!pending.isEmpty()) {
            return new Plan.Reconcile(pending);
        }
        if (claimed.nextActionAt() != null && claimed.nextActionAt().isAfter(now)) {
            // Not due (any more): reconciling a crashed node's attempt just moved the ladder on, and the
            // next rung waits for its delay like any other. Claims only ever return due follow-ups.
            return done(tx, claim);
        }
        // After the reconcile check, so that a follow-up decided twice (reconcile, then decide) is reported once;
        // not again for one a group handed back (its lag was reported with the group's decision).
        if (claimed.nextActionAt() != null && !lagReported) {
            Duration lag = Duration.between(claimed.nextActionAt(), now);
            ctx.afterCommit(() -> ctx.listener().stepLag(claim.practiceId(), lag));
        }
        Patient patient = tx.patient(claimed.patientId()).orElseThrow(() -> new dev.followup.NotFoundException(
                "patient " + claimed.patientId() + " of follow-up " + claimed.id() + " is missing"));
        FollowUp f = claimed;
        ZoneId zone = patient.zoneOr(practice.timeZone());
        EscalationPolicy policy = ctx.policyOf(f);
        for (int guard = 0; guard < 32; guard++) {
            if (isOptedOut(tx, patient)) {
                closer.close(tx, f, FollowUpState.OPTED_OUT, now, "opted-out");
                tally.closed++;
                return done(tx, claim);
            }
            if (f.state() == FollowUpState.ENGAGED) {
                // The patient said yes but did not pick a slot in time: a person books by phone. Before the due date's
                // expiry: a patient who asked to book is called even when the date passed while they chose.
                closer.handToStaff(tx, f, patient, TaskKind.SCHEDULE_MANUALLY, TaskPriority.HIGH, "no slot chosen in time", null, now, opened);
                tally.tasks++;
                tally.closed++;
                return done(tx, claim);
            }
            if (f.dueDate() != null && now.atZone(zone).toLocalDate().isAfter(f.dueDate())) {
                closer.close(tx, f, FollowUpState.EXPIRED, now, "due-date-passed");
                tally.closed++;
                return done(tx, claim);
            }
            Optional<EscalationPolicy.Rung> rung = policy.rung(f.nextStep());
            if (rung.isEmpty()) {
                closer.close(tx, f, FollowUpState.UNREACHABLE, now, "ladder-ended");
                tally.closed++;
                return done(tx, claim);
            }
            Step step = rung.get().step();
            if (step instanceof Step.StaffTask task) {
                closer.handToStaff(tx, f, patient, task.kind(), TaskPriority.NORMAL, reasonFor(task.kind(), f), null, now, opened);
                tally.tasks++;
                tally.closed++;
                return done(tx, claim);
            }
            Step.Message message = (Step.Message) step;
            int current = f.nextStep();
            Optional<SendAttempt> taken = attempts.stream()
                    .filter(a -> a.purpose().isOutreach() && a.step() == current && a.state().countsAsSent()).findFirst();
            if (taken.isPresent()) {
                // A crashed node sent this step and a status callback settled its attempt before recovery
                // could: the step was taken. Move the ladder on as the send would have; never send it twice.
                // Not counted as sent by this run: a status callback, not this run, settled the attempt.
                SendAttempt sent = taken.get();
                moveLadderPast(tx, f, sent.channel(), current, sent.createdAt(), now, "already-sent");
                return done(tx, claim);
            }
            String unreachable = unreachableReason(tx, practice, patient, message.channel());
            if (unreachable != null) {
                Audits.of(tx, AuditType.STEP_DEFERRED, Audits.ENGINE, f, now, "step", Integer.toString(f.nextStep()),
                        "reason", "skipped-" + unreachable);
                f = Audits.transition(tx, f, f.stepTaken(null, now, f.nextStep() + 1, now), Audits.ENGINE, now, "step-skipped");
                continue;
            }
            // Alone, the attempt may be recorded in this transaction: the recipient's lock is taken before counting.
            Hold hold = holdUntil(tx, practice, policy, patient, zone, now, !inGroup);
            if (hold != null) {
                return defer(tx, claim, f, hold.until(), hold.reason(), now, tally);
            }
            Instant sendAt = now;
            if (message.channel() == Channel.SMS) {
                SendPacer.Reservation slot = ctx.pacer().reserve(practice.smsFrom(), now, MAX_PACING_WAIT);
                if (!slot.reserved()) {
                    if (inGroup) {
                        return new Plan.Later(); // decided alone after the group, when the group's slots have passed
                    }
                    return defer(tx, claim, f, slot.at(), "pacing", now, tally);
                }
                sendAt = slot.at();
            }
            int step0 = f.nextStep();
            int attemptNumber = (int) attempts.stream().filter(a -> a.purpose().isOutreach() && a.step() == step0).count() + 1;
            // In a group the attempt is recorded just before its send, in a transaction of its own: a crash
            // mid-group then leaves no attempt for the texts not handed over, which recovery would count as sent.
            // So is a lone send that must wait for its pacing slot (up to MAX_PACING_WAIT): consent is checked
            // again when the wait is over, at the moment of sending, not seconds before it.
            boolean intentLater = inGroup || sendAt.isAfter(now);
            Messenger.Prepared prepared = intentLater
                    ? messenger.render(practice, patient, patient.phone(), f, message.channel(), MessagePurpose.OUTREACH,
                            message.template(), Map.of(), step0, attemptNumber, policy.within(), now)
                    : messenger.prepare(tx, practice, patient, patient.phone(), f, message.channel(), MessagePurpose.OUTREACH,
                            message.template(), Map.of(), step0, attemptNumber, policy.within(), now);
            return new Plan.Send(prepared, f, step0, sendAt, !intentLater);
        }
        throw new dev.followup.IllegalTransitionException("follow-up " + f.id() + ": policy '" + policy.name() + "' skipped too many steps");
    }

    private Plan done(PracticeTransaction tx, Claim claim) {
        tx.releaseLease(claim.followUpId(), claim.owner());
        return new Plan.Done();
    }

    private Plan defer(PracticeTransaction tx, Claim claim, FollowUp f, Instant until, String reason, Instant now, Tally tally) {
        Audits.transition(tx, f, f.rescheduled(until), Audits.ENGINE, now, reason);
        Audits.of(tx, AuditType.STEP_DEFERRED, Audits.ENGINE, f, now, "step", Integer.toString(f.nextStep()), "reason", reason,
                "until", until.toString());
        tally.deferred++;
        return done(tx, claim);
    }

    private static String reasonFor(TaskKind kind, FollowUp f) {
        return switch (kind) {
            case CALL_PATIENT -> f.firstContactAt() == null ? "could not be reached by text or email" : "no reply to outreach";
            case SCHEDULE_MANUALLY -> "wants to book; schedule by phone";
            case REVIEW_REPLY -> "reply needs a person";
            case BOOKING_FAILED -> "booking failed; book by hand";
        };
    }

    static boolean isOptedOut(PracticeTransaction tx, Patient patient) {
        return optsOut(tx.consentOf(patient.id(), patient.phone()));
    }

    /** @param consent the ledger entry that applies, if any @return whether it stops all outreach */
    static boolean optsOut(Optional<ConsentChange> consent) {
        return consent.map(c -> c.status() == ConsentStatus.OPTED_OUT).orElse(false);
    }

    private @Nullable String unreachableReason(PracticeTransaction tx, Practice practice, Patient patient, Channel channel) {
        if (tx.suppressedChannels(patient.id()).contains(channel)) {
            return "suppressed";
        }
        if (channel == Channel.SMS) {
            if (ctx.sms() == null || practice.smsFrom() == null) {
                return "no-sms-sender";
            }
            PhoneNumber phone = patient.phone();
            return phone == null ? "no-phone" : phone.lineType().maySms() ? null : "landline";
        }
        if (ctx.email() == null || practice.emailFrom() == null) {
            return "no-email-sender";
        }
        return patient.email() == null ? "no-email" : null;
    }

    /** Why, and until when, a message may not go to a patient now. */
    private record Hold(Instant until, String reason) {}

    /**
     * Checks the send window and the contact limits (COMPLIANCE: when the message is actually
     * sent, not when it was scheduled).
     *
     * @param lock whether to take the recipient's contact-limit lock before counting: needed when
     *     this transaction records the message, so that a concurrent one to the same recipient waits
     *     for it and then counts it
     * @return null if the patient may be contacted now, else when and why not
     */
    private @Nullable Hold holdUntil(PracticeTransaction tx, Practice practice, EscalationPolicy policy, Patient patient, ZoneId zone,
            Instant now, boolean lock) {
        return hold(practice, policy, zone, now, () -> {
            Collection<PatientId> recipients = lock ? tx.lockRecipient(patient.id(), patient.phone())
                    : recipients(patient, patient.phone() == null ? List.of() : tx.patientsByPhone(patient.phone()));
            return tx.outreachCounts(limitWindows(recipients, zone, now));
        });
    }

    /**
     * @param outreachCounts the recipient's outreach in the windows of {@link #limitStarts}, in
     *     order; asked only when the window is open
     * @return null if the window is open and the limits allow a message now, else when and why not
     */
    private static @Nullable Hold hold(Practice practice, EscalationPolicy policy, ZoneId zone, Instant now,
            Supplier<List<Integer>> outreachCounts) {
        SendWindow window = policy.window().orElse(practice.sendWindow());
        Instant opening = window.nextOpening(now, zone, practice.calendar());
        if (opening.isAfter(now)) {
            return new Hold(opening, "send-window");
        }
        List<Integer> counts = outreachCounts.get();
        boolean dayFull = counts.get(0) >= practice.contactLimits().perDay();
        boolean weekFull = counts.get(1) >= practice.contactLimits().perWeek();
        if (!dayFull && !weekFull) {
            return null;
        }
        Instant tomorrow = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        return new Hold(window.nextOpening(tomorrow, zone, practice.calendar()), "contact-limit");
    }

    /**
     * @param sharing the practice's patients with the patient's number
     * @return who counts as one recipient with the patient: a family sharing one number is one
     */
    static Set<PatientId> recipients(Patient patient, List<Patient> sharing) {
        Set<PatientId> recipients = new HashSet<>();
        recipients.add(patient.id());
        sharing.forEach(p -> recipients.add(p.id()));
        return recipients;
    }

    /**
     * The two windows the contact limits count: today in the patient's zone, and the last seven
     * days. Counted per phone as well as per patient ({@link #recipients}).
     */
    static List<OutreachWindow> limitWindows(Collection<PatientId> recipients, ZoneId zone, Instant now) {
        Set<PatientId> counted = Set.copyOf(recipients);
        return limitStarts(zone, now).stream().map(since -> new OutreachWindow(counted, since)).toList();
    }

    /** @return the starts of the two windows the contact limits count: today in the patient's zone, and seven days ago */
    static List<Instant> limitStarts(ZoneId zone, Instant now) {
        return List.of(now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant(), now.minus(Duration.ofDays(7)));
    }

    /**
     * Moves a follow-up past the step a message took, wherever the send was settled (its own run,
     * recovery after a crash, or a status callback that came first): the next rung waits its delay
     * from when the message was sent, not from when this run noticed.
     */
    private void moveLadderPast(PracticeTransaction tx, FollowUp f, Channel channel, int step, Instant sentAt, Instant now, String reason) {
        EscalationPolicy policy = ctx.policyOf(f);
        Audits.transition(tx, f, f.stepTaken(channel, sentAt, step + 1, nextDue(policy, step + 1, sentAt)), Audits.ENGINE, now, reason);
    }

    static @Nullable Instant nextDue(EscalationPolicy policy, int nextStep, Instant from) {
        Optional<EscalationPolicy.Rung> rung = policy.rung(nextStep);
        if (rung.isPresent()) {
            return from.plus(rung.get().delay());
        }
        return policy.closeAfter().map(from::plus).orElse(from);
    }

    /**
     * How long a step keeps trying after settings refusals (credentials, sender, relay; an hour
     * apart, inside the send window): time for a person to put the settings right. They say nothing
     * about the patient, so they do not use up the step's retries for failures that do; after a day
     * the step's channel counts as failed all the same and the ladder moves on, so that a setting
     * nobody fixes leaves no follow-up waiting for ever.
     */
    static final Duration CONFIGURATION_PATIENCE = Duration.ofDays(1);

    private static boolean isConfigurationError(SendAttempt attempt) {
        return Messenger.CONFIGURATION_ERROR.equals(attempt.errorCode());
    }

    /** @return whether the failed attempt's step has had all the tries it gets */
    private boolean triesExhausted(PracticeTransaction tx, FollowUp f, SendAttempt failed, Instant now) {
        boolean configuration = isConfigurationError(failed);
        List<SendAttempt> sameKind = tx.attemptsOf(f.id()).stream()
                .filter(a -> a.purpose().isOutreach() && a.step() == failed.step() && a.state() == AttemptState.FAILED)
                .filter(a -> isConfigurationError(a) == configuration).toList();
        if (!configuration) {
            return sameKind.size() >= ctx.maxTransientRetries();
        }
        Instant firstRefusal = sameKind.stream().map(SendAttempt::createdAt).min(Instant::compareTo).orElse(failed.createdAt());
        return !firstRefusal.plus(CONFIGURATION_PATIENCE).isAfter(now);
    }

    private void afterSend(PracticeTransaction tx, Claim claim, Plan.Send send, SendResult result, Instant now, Tally tally) {
        SendAttempt attempt = messenger.recordResult(tx, send.prepared().attempt(), result, now);
        FollowUp f = tx.followUp(claim.followUpId()).orElseThrow();
        tx.releaseLease(claim.followUpId(), claim.owner());
        boolean sameStep = f.isActive() && f.state() != FollowUpState.ENGAGED && f.nextStep() == send.step();
        if (attempt.state().countsAsSent()) {
            tally.sent++;
            if (sameStep) {
                moveLadderPast(tx, f, attempt.channel(), send.step(), now, now, "step-taken");
            }
            return;
        }
        tally.failed++;
        Patient patient = send.prepared().patient();
        if (result.outcome() == SendResult.Outcome.RECIPIENT_OPTED_OUT) {
            // About the patient and the number, not the step: recorded even if a reply moved the follow-up on meanwhile.
            closer.optOut(tx, patient, patient == null ? null : patient.phone(), ConsentSource.CARRIER, now);
            tally.closed++;
            return;
        }
        if (!sameStep) {
            return; // a reply moved the follow-up on while the provider was called
        }
        switch (result.outcome()) {
            case PERMANENT_FAILURE -> {
                if (patient != null) {
                    tx.suppress(new ChannelSuppression(f.practiceId(), patient.id(), attempt.channel(),
                            attempt.errorCode() == null ? "permanent" : attempt.errorCode(), now));
                    Audits.of(tx, AuditType.CHANNEL_SUPPRESSED, Audits.ENGINE, f, now, "channel", attempt.channel().name(),
                            "code", attempt.errorCode() == null ? "permanent" : Messenger.token(attempt.errorCode()));
                }
                // The next channel now, not after the step's delay.
                Audits.transition(tx, f, f.rescheduled(now), Audits.ENGINE, now, "channel-failed");
            }
            default -> {
                int tries = attempt.attemptNumber();
                if (triesExhausted(tx, f, attempt, now)) {
                    Audits.of(tx, AuditType.STEP_DEFERRED, Audits.ENGINE, f, now, "step", Integer.toString(f.nextStep()), "reason", "retries-exhausted");
                    Audits.transition(tx, f, f.stepTaken(null, now, f.nextStep() + 1, now), Audits.ENGINE, now, "retries-exhausted");
                } else {
                    Duration backoff = result.retryAfter() != null ? result.retryAfter() : Duration.ofMinutes(5L << Math.min(tries - 1, 6));
                    Audits.of(tx, AuditType.STEP_DEFERRED, Audits.ENGINE, f, now, "step", Integer.toString(f.nextStep()), "reason", "transient-failure",
                            "backoff", backoff.toString());
                    Audits.transition(tx, f, f.rescheduled(now.plus(backoff)), Audits.ENGINE, now, "retry");
                    tally.deferred++;
                }
            }
        }
    }
}
