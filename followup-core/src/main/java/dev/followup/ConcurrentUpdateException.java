package dev.followup;

/**
 * Thrown when a record changed between reading and writing it (another engine node, a reply that
 * arrived meanwhile, an expired lease). The caller re-reads and decides again; nothing was
 * written.
 */
public final class ConcurrentUpdateException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message which record, by id */
    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
