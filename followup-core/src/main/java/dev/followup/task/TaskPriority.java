package dev.followup.task;

/** How soon a task should be picked up. */
public enum TaskPriority {
    /** Routine call-backs. */
    NORMAL,
    /** The patient is waiting for an answer (a reply to read, a booking that failed). */
    HIGH
}
