package dev.followup.task;

import org.jspecify.annotations.Nullable;

/**
 * A staff task as the task board shows it: the task together with who it is about, read in the
 * same transaction as the task. A {@link StaffTask} carries ids only; the people working the
 * board need the patient's name to call them, so this read model adds it.
 *
 * <p>Everything beyond {@link #task()}'s ids is PHI: the name, the last digits of the phone, the
 * visit type. {@link #toString()} leaves them out, so a card passed to a logger leaks nothing.
 *
 * @param task the task
 * @param patientName the patient's display name ("First Last"), when the patient is still on file
 * @param phoneLastDigits the last four digits of the patient's phone, when there is one (enough to
 *     tell family members apart on the board without showing the whole number)
 * @param visitType the follow-up's visit type as words ("annual exam"), when the task took over one
 * @param providerName the follow-up's provider, when the task took over one
 */
public record TaskCard(
        StaffTask task,
        @Nullable String patientName,
        @Nullable String phoneLastDigits,
        @Nullable String visitType,
        @Nullable String providerName) {

    /** Validates the card. */
    public TaskCard {
        if (task == null) {
            throw new dev.followup.InvalidInputException("a task card needs its task");
        }
    }

    @Override
    public String toString() {
        return "TaskCard[" + task + "]";
    }
}
