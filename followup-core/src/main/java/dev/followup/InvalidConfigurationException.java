package dev.followup;

/**
 * Thrown when the library is configured in a way that cannot work: a policy without steps, a
 * template that names an unknown placeholder, a send window outside quiet hours, credentials a
 * provider refused. Raised as early as possible, at build or start-up time, not when a patient
 * would be messaged.
 */
public final class InvalidConfigurationException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to fix it */
    public InvalidConfigurationException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and how to fix it
     * @param cause the underlying failure
     */
    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
