package dev.followup.followup;

import dev.followup.InvalidInputException;
import java.util.Locale;

/**
 * The kind of visit a follow-up is for, as a code ({@code post-op}, {@code annual-exam}). Revenue
 * attribution and templates may differ per type. The code is shown to patients only when the
 * practice opts in to naming the visit type.
 *
 * @param code lower-case letters, digits and dashes
 */
public record FollowUpType(String code) {
    /** The type used when the export has none. */
    public static final FollowUpType GENERAL = new FollowUpType("general");

    /** Normalises and validates the code. */
    public FollowUpType {
        if (code == null) {
            throw new InvalidInputException("follow-up type is empty");
        }
        code = code.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_/]+", "-");
        if (!code.matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw new InvalidInputException("follow-up type must be 1 to 48 letters, digits or dashes");
        }
    }

    /**
     * @param code the code, in any case, with spaces allowed
     * @return the type
     */
    public static FollowUpType of(String code) {
        return new FollowUpType(code);
    }

    /** @return the code with dashes as spaces, for messages that may name the type */
    public String label() {
        return code.replace('-', ' ');
    }

    @Override
    public String toString() {
        return code;
    }
}
