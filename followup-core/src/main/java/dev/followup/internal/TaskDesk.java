package dev.followup.internal;

import dev.followup.IllegalTransitionException;
import dev.followup.NotFoundException;
import dev.followup.audit.AuditType;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import dev.followup.spi.PracticeTransaction;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskCard;
import dev.followup.task.TaskId;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The staff's side: listing, claiming and completing tasks, and bookings made outside the flow
 * (EHR write-back). Completing a task with an outcome resolves the follow-up it took over.
 */
public final class TaskDesk {
    private final EngineContext ctx;

    /** @param ctx the engine's shared context */
    public TaskDesk(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param practiceId a practice
     * @return its open and claimed tasks, oldest first
     */
    public List<StaffTask> openTasks(PracticeId practiceId) {
        ctx.practice(practiceId);
        return ctx.inTransaction(practiceId, tx -> tx.tasks(EnumSet.of(TaskState.OPEN, TaskState.CLAIMED)));
    }

    /**
     * The open and claimed tasks with the patient and follow-up each is about, read in one
     * transaction so a card never pairs a task with a patient record from another moment.
     *
     * @param practiceId a practice
     * @return its task cards, oldest first
     */
    public List<TaskCard> board(PracticeId practiceId) {
        ctx.practice(practiceId);
        return ctx.inTransaction(practiceId, tx -> {
            List<StaffTask> tasks = tx.tasks(EnumSet.of(TaskState.OPEN, TaskState.CLAIMED));
            // Two bulk reads for the whole board, not two reads per card: a busy practice has hundreds of open tasks.
            Map<PatientId, Patient> patients = tx.patients(tasks.stream().map(StaffTask::patientId).filter(Objects::nonNull)
                    .collect(Collectors.toSet()));
            Map<FollowUpId, FollowUp> followUps = tx.followUps(tasks.stream().map(StaffTask::followUpId).filter(Objects::nonNull)
                    .collect(Collectors.toSet()));
            List<TaskCard> cards = new ArrayList<>();
            for (StaffTask t : tasks) {
                Optional<Patient> patient = t.patientId() == null ? Optional.empty() : Optional.ofNullable(patients.get(t.patientId()));
                Optional<FollowUp> followUp = t.followUpId() == null ? Optional.empty() : Optional.ofNullable(followUps.get(t.followUpId()));
                String name = patient.map(p -> (p.firstName() + " " + p.lastName()).strip()).orElse(null);
                String lastDigits = patient.flatMap(Patient::phoneNumber).map(n -> n.e164().substring(n.e164().length() - 4)).orElse(null);
                cards.add(new TaskCard(t, name, lastDigits, followUp.map(f -> f.type().label()).orElse(null),
                        followUp.map(f -> f.provider().displayName()).orElse(null)));
            }
            return cards;
        });
    }

    /**
     * @param practiceId the practice
     * @param taskId the task
     * @param staffId who claims it
     * @return the claimed task
     */
    public StaffTask claim(PracticeId practiceId, TaskId taskId, String staffId) {
        ctx.practice(practiceId);
        Instant now = ctx.clock().instant();
        return ctx.inTransaction(practiceId, tx -> {
            StaffTask task = find(tx, taskId);
            StaffTask claimed = task.claimedBy(staffId, now);
            tx.updateTask(claimed);
            Audits.record(tx, AuditType.TASK_CLAIMED, actor(staffId), task.followUpId(), task.patientId(), now, "task", taskId.value());
            return claimed;
        });
    }

    /**
     * @param practiceId the practice
     * @param taskId the task
     * @param staffId who completes it
     * @param outcome how it ended
     * @return the completed task
     */
    public StaffTask complete(PracticeId practiceId, TaskId taskId, String staffId, TaskOutcome outcome) {
        ctx.practice(practiceId);
        Instant now = ctx.clock().instant();
        return ctx.inTransaction(practiceId, tx -> {
            StaffTask task = find(tx, taskId);
            StaffTask done = task.completedBy(staffId, outcome, now);
            tx.updateTask(done);
            Audits.record(tx, AuditType.TASK_COMPLETED, actor(staffId), task.followUpId(), task.patientId(), now,
                    "task", taskId.value(), "outcome", outcome.name());
            if (task.followUpId() != null) {
                tx.followUp(task.followUpId()).ifPresent(f -> resolve(tx, f, outcome, actor(staffId), now));
            }
            return done;
        });
    }

    private static void resolve(PracticeTransaction tx, FollowUp f, TaskOutcome outcome, String actor, Instant now) {
        FollowUpState state = switch (outcome) {
            case BOOKED -> FollowUpState.BOOKED;
            case DECLINED -> FollowUpState.DECLINED;
            case UNREACHABLE -> FollowUpState.UNREACHABLE;
            case RESOLVED -> null;
        };
        if (state == null) {
            return;
        }
        if (f.state() == FollowUpState.HANDED_TO_STAFF) {
            Audits.transition(tx, f, f.resolvedByStaff(state, now), actor, now, "task-" + outcome.name().toLowerCase(java.util.Locale.ROOT));
        } else if (f.isActive()) {
            Audits.transition(tx, f, state == FollowUpState.BOOKED ? f.booked(now, dev.followup.followup.Channel.STAFF_CALL) : f.closed(state, now),
                    actor, now, "task-" + outcome.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Records that the patient booked outside the flow (the EHR's write-back), so the report
     * attributes the appointment; open tasks for the follow-up are closed as booked.
     *
     * @param practiceId the practice
     * @param followUpId the follow-up
     * @return the follow-up after the change
     */
    public FollowUp recordExternalBooking(PracticeId practiceId, FollowUpId followUpId) {
        ctx.practice(practiceId);
        Instant now = ctx.clock().instant();
        return ctx.inTransaction(practiceId, tx -> {
            FollowUp f = tx.followUp(followUpId).orElseThrow(() -> new NotFoundException("follow-up " + followUpId + " not found in practice " + practiceId));
            if (f.state() == FollowUpState.BOOKED) {
                return f;
            }
            FollowUp booked;
            if (f.state() == FollowUpState.HANDED_TO_STAFF) {
                booked = Audits.transition(tx, f, f.resolvedByStaff(FollowUpState.BOOKED, now), "ehr", now, "external-booking");
            } else if (f.isActive()) {
                dev.followup.followup.Channel via = f.respondedChannel() != null ? f.respondedChannel()
                        : f.lastOutreachChannel() != null ? f.lastOutreachChannel() : dev.followup.followup.Channel.STAFF_CALL;
                booked = Audits.transition(tx, f, f.booked(now, via), "ehr", now, "external-booking");
            } else {
                throw new IllegalTransitionException("follow-up " + followUpId + " is " + f.state() + ": an external booking cannot change it");
            }
            Audits.of(tx, AuditType.APPOINTMENT_BOOKED, "ehr", booked, now, "via", "ehr");
            for (StaffTask t : tx.tasks(EnumSet.of(TaskState.OPEN, TaskState.CLAIMED))) {
                if (followUpId.equals(t.followUpId())) {
                    tx.updateTask(t.completedBy(t.assignee() != null ? t.assignee() : "ehr", TaskOutcome.BOOKED, now));
                    Audits.record(tx, AuditType.TASK_COMPLETED, "ehr", followUpId, t.patientId(), now, "task", t.id().value(), "outcome", "BOOKED");
                }
            }
            return booked;
        });
    }

    private static StaffTask find(PracticeTransaction tx, TaskId id) {
        return tx.task(id).orElseThrow(() -> new NotFoundException("task " + id + " not found in practice " + tx.practiceId()));
    }

    private static String actor(String staffId) {
        String token = staffId.replaceAll("[^A-Za-z0-9._-]", "");
        if (token.isEmpty() || token.length() > 60) {
            throw new dev.followup.InvalidInputException("staff id must be 1 to 60 letters, digits, '.', '_' or '-'");
        }
        return "staff:" + token;
    }

}
