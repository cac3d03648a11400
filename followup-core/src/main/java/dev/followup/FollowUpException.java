package dev.followup;

/**
 * The root of every exception the library throws.
 *
 * <p>Messages carry identifiers only (practice, follow-up, patient and attempt ids), never
 * protected health information such as names, phone numbers, email addresses or message text.
 */
public abstract class FollowUpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message a description with ids only, never PHI
     */
    protected FollowUpException(String message) {
        super(message);
    }

    /**
     * @param message a description with ids only, never PHI
     * @param cause the underlying failure
     */
    protected FollowUpException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Describes a failure for a log line without risking PHI.
     *
     * @param failure any exception
     * @return for a library exception, its simple class name and message (ids only, by contract);
     *     for any other, its class name only: a foreign message (a JDBC driver's duplicate-key
     *     message, say) may echo the values it was given
     */
    public static String loggable(Throwable failure) {
        return failure instanceof FollowUpException ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
                : failure.getClass().getName();
    }
}
