package dev.followup;

/**
 * Thrown when an operation is not allowed in the current state: booking a follow-up that was never
 * offered slots, completing a task that is already done, changing a closed follow-up.
 */
public final class IllegalTransitionException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message the record id, its state and the refused operation */
    public IllegalTransitionException(String message) {
        super(message);
    }
}
