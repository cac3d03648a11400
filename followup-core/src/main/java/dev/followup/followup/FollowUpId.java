package dev.followup.followup;

import dev.followup.InvalidInputException;
import java.util.UUID;

/**
 * Identifies one follow-up case.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record FollowUpId(String value) {
    private static final java.util.regex.Pattern ALLOWED = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Validates the identifier. */
    public FollowUpId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidInputException("FollowUpId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
        }
    }

    /**
     * @param value the identifier
     * @return the id
     */
    public static FollowUpId of(String value) {
        return new FollowUpId(value);
    }

    /** @return a new random id */
    public static FollowUpId random() {
        return new FollowUpId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
