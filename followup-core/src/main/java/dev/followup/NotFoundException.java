package dev.followup;

/**
 * Thrown when an id does not name anything in the practice it was asked about. A record of
 * another practice is reported as not found as well: tenants never learn of each other's data.
 */
public final class NotFoundException extends FollowUpException {
    private static final long serialVersionUID = 1L;

    /** @param message which id was not found, and in which practice */
    public NotFoundException(String message) {
        super(message);
    }
}
