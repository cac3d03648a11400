package dev.followup;

/**
 * What one {@link FollowUpEngine#runDueWork()} did.
 *
 * @param claimed follow-ups claimed as due
 * @param messagesSent messages the providers accepted (or that count as sent, unconfirmed)
 * @param messagesFailed messages the providers refused
 * @param deferred steps moved to later (send window, contact limit, pacing, transient failure)
 * @param tasksOpened staff tasks opened
 * @param closed follow-ups that reached a terminal state
 * @param errors claims whose processing failed and was left for a later run
 */
public record RunSummary(int claimed, int messagesSent, int messagesFailed, int deferred, int tasksOpened, int closed, int errors) {
    /** No work. */
    public static final RunSummary EMPTY = new RunSummary(0, 0, 0, 0, 0, 0, 0);

    /**
     * @param other another summary
     * @return the sum of both
     */
    public RunSummary plus(RunSummary other) {
        return new RunSummary(claimed + other.claimed, messagesSent + other.messagesSent, messagesFailed + other.messagesFailed,
                deferred + other.deferred, tasksOpened + other.tasksOpened, closed + other.closed, errors + other.errors);
    }
}
