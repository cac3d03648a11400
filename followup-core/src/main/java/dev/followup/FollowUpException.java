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
}
