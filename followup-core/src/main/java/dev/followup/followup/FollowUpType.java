package dev.followup.followup;

import dev.followup.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The kind of visit a follow-up is for, as a code ({@code post-op}, {@code annual-exam}). Revenue
 * attribution and templates may differ per type. The code is shown to patients only when the
 * practice opts in to naming the visit type.
 *
 * @param code lower-case letters, digits and dashes
 */
public record FollowUpType(String code) {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s_/]+");
    /** The type used when the export has none. */
    public static final FollowUpType GENERAL = new FollowUpType("general");

    /** Normalises and validates the code. */
    public FollowUpType {
        if (code == null) {
            throw new InvalidInputException("follow-up type is empty");
        }
        // A stored code is normal already: it is checked without building a new string.
        if (!isNormal(code)) {
            code = SEPARATORS.matcher(code.strip().toLowerCase(Locale.ROOT)).replaceAll("-");
        }
        if (!isNormal(code)) {
            throw new InvalidInputException("follow-up type must be 1 to 48 letters, digits or dashes");
        }
    }

    private static boolean isNormal(String code) {
        if (code.isEmpty() || code.length() > 48 || code.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
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
