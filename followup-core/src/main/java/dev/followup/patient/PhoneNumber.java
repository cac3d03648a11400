package dev.followup.patient;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.followup.InvalidInputException;
import java.util.regex.Pattern;

/**
 * A phone number in E.164 form ({@code +15551234567}) with what is known of its line type.
 *
 * <p>Phone numbers are PHI: {@link #toString()} never shows the digits.
 *
 * @param e164 the number in E.164 form
 * @param lineType whether the number can receive SMS, as far as the numbering plan tells
 */
public record PhoneNumber(String e164, LineType lineType) {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** What the numbering plan says about a number's ability to receive text messages. */
    public enum LineType {
        /** A mobile number: can receive SMS. */
        MOBILE,
        /** A fixed line: cannot receive SMS. */
        LANDLINE,
        /** The plan cannot tell (in the US most numbers are fixed-line-or-mobile); SMS is tried. */
        UNKNOWN;

        /** @return false only when the number is known to be unable to receive SMS */
        public boolean maySms() {
            return this != LANDLINE;
        }
    }

    /** Validates the E.164 form. */
    public PhoneNumber {
        if (e164 == null || !E164.matcher(e164).matches()) {
            throw new InvalidInputException("phone number is not in E.164 form");
        }
        if (lineType == null) {
            throw new InvalidInputException("phone line type is required");
        }
    }

    /**
     * Parses a number as people write it, normalising it to E.164.
     *
     * @param raw the number as exported, e.g. {@code (555) 123-4567} or {@code +1 555 123 4567}
     * @param defaultRegion ISO 3166 region for numbers written without a country code, e.g. {@code US}
     * @return the normalised number
     * @throws InvalidInputException if it is not a valid number (the message does not repeat it)
     */
    public static PhoneNumber parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException("phone number is empty");
        }
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = UTIL.parse(raw, defaultRegion);
        } catch (NumberParseException e) {
            throw new InvalidInputException("phone number cannot be parsed (" + e.getErrorType() + ")");
        }
        if (!UTIL.isValidNumber(parsed)) {
            throw new InvalidInputException("phone number is not a valid number for its region");
        }
        LineType type = switch (UTIL.getNumberType(parsed)) {
            case MOBILE -> LineType.MOBILE;
            case FIXED_LINE -> LineType.LANDLINE;
            default -> LineType.UNKNOWN;
        };
        return new PhoneNumber(UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164), type);
    }

    /**
     * Wraps a number already in E.164 form, such as the sender of an inbound SMS.
     *
     * @param e164 the number
     * @return the number with its line type derived from the numbering plan
     */
    public static PhoneNumber ofE164(String e164) {
        if (e164 == null || !E164.matcher(e164).matches()) {
            throw new InvalidInputException("phone number is not in E.164 form");
        }
        return parse(e164, "ZZ");
    }

    /** @return the last two digits only, for people who need a hint in a UI; never log it */
    public String lastDigits() {
        return e164.substring(e164.length() - 2);
    }

    @Override
    public String toString() {
        return "PhoneNumber[redacted]";
    }
}
