package dev.followup.task;

import dev.followup.IllegalTransitionException;
import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A card on the staff's task list: call this patient, read this reply, book this visit by hand.
 * The reply text is PHI (purged with the message log); {@link #toString()} leaves it out.
 *
 * @param id the task's id
 * @param practiceId the practice
 * @param followUpId the follow-up it takes over, if any
 * @param patientId the patient, if known
 * @param kind why it exists
 * @param priority how urgent it is
 * @param reason a short explanation without PHI, e.g. "no reply to SMS and email"
 * @param replyText the patient's text that caused it, if any (PHI)
 * @param state open, claimed or done
 * @param assignee who claimed it
 * @param outcome how it ended
 * @param createdAt when it was opened
 * @param updatedAt when it last changed
 * @param version optimistic-locking version
 */
public record StaffTask(
        TaskId id,
        PracticeId practiceId,
        @Nullable FollowUpId followUpId,
        @Nullable PatientId patientId,
        TaskKind kind,
        TaskPriority priority,
        String reason,
        @Nullable String replyText,
        TaskState state,
        @Nullable String assignee,
        @Nullable TaskOutcome outcome,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /** Validates the task. */
    public StaffTask {
        if (id == null || practiceId == null || kind == null || priority == null || reason == null || state == null
                || createdAt == null || updatedAt == null) {
            throw new InvalidInputException("staff task " + id + " is missing a required field");
        }
        if ((state == TaskState.DONE) != (outcome != null)) {
            throw new InvalidInputException("staff task " + id + " must have an outcome exactly when done");
        }
    }

    /**
     * @param id the id
     * @param practiceId the practice
     * @param followUpId the follow-up, if any
     * @param patientId the patient, if known
     * @param kind why
     * @param priority how urgent
     * @param reason an explanation without PHI
     * @param replyText the patient's text, if any
     * @param at now
     * @return an open task
     */
    public static StaffTask open(TaskId id, PracticeId practiceId, @Nullable FollowUpId followUpId, @Nullable PatientId patientId,
            TaskKind kind, TaskPriority priority, String reason, @Nullable String replyText, Instant at) {
        return new StaffTask(id, practiceId, followUpId, patientId, kind, priority, reason, replyText, TaskState.OPEN,
                null, null, at, at, 0);
    }

    /**
     * @param who the staff member's id
     * @param at now
     * @return the task claimed by them
     * @throws IllegalTransitionException if it is done or claimed by someone else
     */
    public StaffTask claimedBy(String who, Instant at) {
        if (who == null || who.isBlank()) {
            throw new InvalidInputException("task " + id + ": a claim needs the staff member's id");
        }
        if (state == TaskState.DONE || (state == TaskState.CLAIMED && !who.equals(assignee))) {
            throw new IllegalTransitionException("task " + id + " is " + state + (assignee != null ? " by " + assignee : "") + ": cannot be claimed");
        }
        return new StaffTask(id, practiceId, followUpId, patientId, kind, priority, reason, replyText, TaskState.CLAIMED,
                who, null, createdAt, at, version + 1);
    }

    /**
     * @param who the staff member's id
     * @param result how it ended
     * @param at now
     * @return the task, done
     * @throws IllegalTransitionException if it is done already or claimed by someone else
     */
    public StaffTask completedBy(String who, TaskOutcome result, Instant at) {
        if (state == TaskState.DONE) {
            throw new IllegalTransitionException("task " + id + " is done already");
        }
        if (state == TaskState.CLAIMED && !who.equals(assignee)) {
            throw new IllegalTransitionException("task " + id + " is claimed by " + assignee + ", not " + who);
        }
        return new StaffTask(id, practiceId, followUpId, patientId, kind, priority, reason, replyText, TaskState.DONE,
                who, result, createdAt, at, version + 1);
    }

    /** @return this task without the patient's text (retention) */
    public StaffTask purged() {
        return new StaffTask(id, practiceId, followUpId, patientId, kind, priority, reason, null, state, assignee,
                outcome, createdAt, updatedAt, version);
    }

    @Override
    public String toString() {
        return "StaffTask[id=" + id + ", practice=" + practiceId + ", followUp=" + followUpId + ", " + kind + ", " + state + "]";
    }
}
