package dev.followup.followup;

import dev.followup.Identifiers;
import java.util.UUID;

/**
 * Identifies one follow-up case.
 *
 * @param value the identifier: 1 to 64 characters of letters, digits, {@code -}, {@code _}, {@code .} or {@code :}
 */
public record FollowUpId(String value) {
    /** Validates the identifier. */
    public FollowUpId {
        Identifiers.require(value, "FollowUpId");
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
