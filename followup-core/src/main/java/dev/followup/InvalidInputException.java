package dev.followup;

/**
 * Thrown when a value handed to the library is malformed: a phone number that is not a number, an
 * unreadable CSV file, an out-of-range argument. The message says which value (by field name or
 * id), never the value itself when it may be PHI.
 */
public final class InvalidInputException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message which input is wrong, without PHI */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * @param message which input is wrong, without PHI
     * @param cause the underlying failure
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
