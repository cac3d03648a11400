package dev.followup.spi;

import dev.followup.task.StaffTask;

/**
 * Hands staff tasks to the host application's own task queue (a work list in the EHR, a ticket
 * system). Tasks are always kept in the store as well, with claim and complete; the sink is told
 * after the task was committed.
 */
public interface TaskSink {
    /** A sink that does nothing: the store's task list is the staff's task list. */
    TaskSink STORE_ONLY = task -> { };

    /**
     * Called once per new task, after it was committed. Must not throw for a delivery problem of
     * its own: the task is safely stored either way; log it (without PHI) and move on.
     *
     * @param task the new task
     */
    void taskOpened(StaffTask task);
}
