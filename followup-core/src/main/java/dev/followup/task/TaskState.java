package dev.followup.task;

/** A staff task's lifecycle: open, claimed by one person, done with an outcome. */
public enum TaskState {
    /** Waiting for someone to take it. */
    OPEN,
    /** Someone is working on it. */
    CLAIMED,
    /** Finished, with an outcome. */
    DONE
}
