package dev.followup;

/**
 * Thrown by store adapters when the underlying storage fails (connection lost, constraint other
 * than a known conflict). Transient by nature: the engine leaves the work due and tries again on
 * its next run.
 */
public final class StorageException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, without PHI */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what failed, without PHI
     * @param cause the driver's exception
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
