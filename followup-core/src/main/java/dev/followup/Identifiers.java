package dev.followup;

import org.jspecify.annotations.Nullable;

/**
 * The rule every identifier of the library follows (practice, patient, follow-up, task and batch
 * ids, node ids): 1 to 64 characters of ASCII letters, digits, {@code -}, {@code _}, {@code .} or
 * {@code :}. Safe in URLs, logs and file names without escaping.
 *
 * <p>Checked by hand rather than by a regular expression: ids are built for every row read, and a
 * matcher per id was a measurable share of the engine's own CPU.
 */
public final class Identifiers {
    /** The longest identifier. */
    public static final int MAX_LENGTH = 64;

    private Identifiers() {}

    /**
     * @param value a candidate identifier, or null
     * @return whether it follows the rule
     */
    public static boolean isValid(@Nullable String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isIdentifierChar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param c a character
     * @return whether identifiers may contain it: an ASCII letter or digit, {@code .}, {@code _},
     *     {@code :} or {@code -} (audit tokens and provider codes build on the same set)
     */
    public static boolean isIdentifierChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
    }

    /**
     * @param value a candidate identifier
     * @param kind what it identifies, for the message ({@code "PatientId"})
     * @return the value
     * @throws InvalidInputException if it does not follow the rule; the message names the kind, never the value
     */
    public static String require(@Nullable String value, String kind) {
        if (!isValid(value)) {
            throw new InvalidInputException(kind + " must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'");
        }
        return value;
    }
}
