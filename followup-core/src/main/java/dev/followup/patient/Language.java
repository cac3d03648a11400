package dev.followup.patient;

import dev.followup.InvalidInputException;
import java.util.Locale;

/**
 * The language a patient is written to in, as an ISO 639-1 code. Templates exist per language;
 * a patient whose language has no template gets the practice's default language.
 *
 * @param code lower-case two-letter code
 */
public record Language(String code) {
    /** English. */
    public static final Language ENGLISH = new Language("en");
    /** Spanish. */
    public static final Language SPANISH = new Language("es");

    /** Validates the code. */
    public Language {
        if (code == null || code.length() != 2 || !isLowerAscii(code.charAt(0)) || !isLowerAscii(code.charAt(1))) {
            throw new InvalidInputException("language must be a two-letter ISO 639-1 code");
        }
    }

    private static boolean isLowerAscii(char c) {
        return c >= 'a' && c <= 'z';
    }

    /**
     * Reads a language as EHR exports write it: {@code es}, {@code ES}, {@code Spanish},
     * {@code Español}, {@code es-MX}.
     *
     * @param text the exported value
     * @return the language
     * @throws InvalidInputException if it is not recognisable
     */
    public static Language parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "english", "inglés", "ingles", "eng":
                return ENGLISH;
            case "spanish", "español", "espanol", "spa":
                return SPANISH;
            default:
                break;
        }
        if (t.matches("[a-z]{2}([-_][a-z0-9]{2,4})?")) {
            return new Language(t.substring(0, 2));
        }
        throw new InvalidInputException("language is not recognised (use an ISO 639-1 code such as en or es)");
    }

    @Override
    public String toString() {
        return code;
    }
}
