package dev.followup.task;

/** How a staff task ended. */
public enum TaskOutcome {
    /** The patient booked an appointment. */
    BOOKED,
    /** The patient does not want the visit. */
    DECLINED,
    /** The patient could not be reached. */
    UNREACHABLE,
    /** Handled otherwise (answered a question, wrong number); the follow-up is left as it is. */
    RESOLVED
}
