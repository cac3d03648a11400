package dev.followup.internal;

import dev.followup.audit.AuditType;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.ReplyContext;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends follow-ups: terminal states, hand-overs to staff, and opt-outs, each audited in the caller's transaction. */
final class Closer {
    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);
    private final EngineContext ctx;

    Closer(EngineContext ctx) {
        this.ctx = ctx;
    }

    FollowUp close(PracticeTransaction tx, FollowUp f, FollowUpState terminal, Instant now, String reason) {
        return Audits.transition(tx, f, f.closed(terminal, now), Audits.ENGINE, now, reason);
    }

    /** Opens a staff task for the follow-up and closes it as handed to staff; the task is published after commit. */
    StaffTask handToStaff(PracticeTransaction tx, FollowUp f, @Nullable Patient patient, TaskKind kind, TaskPriority priority,
            String reason, @Nullable String replyText, Instant now, List<StaffTask> outbox) {
        StaffTask task = StaffTask.open(TaskId.of(ctx.newId()), f.practiceId(), f.id(), patient == null ? f.patientId() : patient.id(),
                kind, priority, reason, replyText, now);
        tx.insertTask(task);
        Audits.of(tx, AuditType.TASK_OPENED, Audits.ENGINE, f, now, "task", task.id().value(), "kind", kind.name());
        if (f.isActive()) {
            Audits.transition(tx, f, f.closed(FollowUpState.HANDED_TO_STAFF, now), Audits.ENGINE, now, kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        outbox.add(task);
        return task;
    }

    /**
     * Records an opt-out for a number and every patient of the practice who has it (or for one
     * patient without a number), and closes all their active follow-ups.
     *
     * @return whether they were opted out already (then no second confirmation is sent)
     */
    boolean optOut(PracticeTransaction tx, @Nullable Patient patient, @Nullable PhoneNumber phone, ConsentSource source, Instant now) {
        Map<PatientId, Patient> affected = new LinkedHashMap<>();
        if (patient != null) {
            affected.put(patient.id(), patient);
        }
        if (phone != null) {
            tx.patientsByPhone(phone).forEach(p -> affected.put(p.id(), p));
        }
        boolean already = !affected.isEmpty() && affected.values().stream().allMatch(p -> OutreachRunner.isOptedOut(tx, p));
        if (affected.isEmpty() && phone != null) {
            already = OutreachRunner.optsOut(tx.latestConsentOf(phone));
        }
        recordOptOut(tx, affected.values(), phone, source, now, already, p -> tx.activeFollowUps(p.id()));
        return already;
    }

    /**
     * {@link #optOut} for a text from {@code phone}, from what the reply read before it decided
     * rather than reading it again: the number's patients, their consent and their active follow-ups.
     *
     * @param known the reply's read, in this transaction
     * @param moved the follow-up the reply has updated since, at its new version, or null
     * @return whether they were opted out already
     */
    boolean optOut(PracticeTransaction tx, ReplyContext known, @Nullable FollowUp moved, PhoneNumber phone, ConsentSource source,
            Instant now) {
        List<Patient> affected = known.patients();
        boolean already = affected.isEmpty() ? OutreachRunner.optsOut(known.numberConsent())
                : affected.stream().allMatch(p -> OutreachRunner.optsOut(known.consentOf(p.id())));
        recordOptOut(tx, affected, phone, source, now, already, p -> known.activeFollowUpsOf(p.id()).stream()
                .map(f -> moved != null && f.id().equals(moved.id()) ? moved : f).filter(FollowUp::isActive).toList());
        return already;
    }

    private void recordOptOut(PracticeTransaction tx, Collection<Patient> affected, @Nullable PhoneNumber phone, ConsentSource source, Instant now,
            boolean already, Function<Patient, List<FollowUp>> activeFollowUps) {
        if (phone != null) {
            tx.recordConsent(new ConsentChange(tx.practiceId(), null, phone, ConsentStatus.OPTED_OUT, source, now));
            if (affected.isEmpty()) {
                Audits.record(tx, AuditType.CONSENT_CHANGED, source == ConsentSource.CARRIER ? Audits.PROVIDER : Audits.PATIENT,
                        null, null, now, "status", ConsentStatus.OPTED_OUT.name(), "source", source.name(), "subject", "unknown-number");
            }
        }
        if (!already) {
            PracticeId practiceId = tx.practiceId();
            ctx.afterCommit(() -> ctx.listener().optedOut(practiceId, source));
        }
        for (Patient p : affected) {
            tx.recordConsent(new ConsentChange(tx.practiceId(), p.id(), null, ConsentStatus.OPTED_OUT, source, now));
            Audits.record(tx, AuditType.CONSENT_CHANGED, source == ConsentSource.CARRIER ? Audits.PROVIDER : Audits.PATIENT,
                    null, p.id(), now, "status", ConsentStatus.OPTED_OUT.name(), "source", source.name());
            for (FollowUp f : activeFollowUps.apply(p)) {
                close(tx, f, FollowUpState.OPTED_OUT, now, "opted-out");
            }
        }
    }

    /** Tells the host's task queue about tasks that were committed. */
    void publish(List<StaffTask> opened) {
        for (StaffTask task : new ArrayList<>(opened)) {
            ctx.listener().taskOpened(task.practiceId(), task.kind());
            try {
                ctx.taskSink().taskOpened(task);
            } catch (RuntimeException e) {
                LOG.warn("task sink failed for task {} of practice {} ({}); the task is stored", task.id(), task.practiceId(),
                        e.getClass().getSimpleName());
            }
        }
        opened.clear();
    }
}
