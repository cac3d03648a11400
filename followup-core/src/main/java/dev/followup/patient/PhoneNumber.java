package dev.followup.patient;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.followup.InvalidInputException;

/**
 * A phone number in E.164 form ({@code +15551234567}) with what is known of its line type.
 *
 * <p>Phone numbers are PHI: {@link #toString()} never shows the digits.
 *
 * @param e164 the number in E.164 form
 * @param lineType whether the number can receive SMS, as far as the numbering plan tells
 */
public record PhoneNumber(String e164, LineType lineType) {
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
        if (!isE164(e164)) {
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
        // The number's type is UNKNOWN exactly when isValidNumber would say no: both find the
        // number's region and match its digits against that region's patterns, the costly part of
        // a parse, so asking both did it twice.
        PhoneNumberUtil.PhoneNumberType numberType = UTIL.getNumberType(parsed);
        if (numberType == PhoneNumberUtil.PhoneNumberType.UNKNOWN) {
            throw new InvalidInputException("phone number is not a valid number for its region");
        }
        LineType type = switch (numberType) {
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
        if (!isE164(e164)) {
            throw new InvalidInputException("phone number is not in E.164 form");
        }
        return parse(e164, "ZZ");
    }

    /**
     * @param value a string, or null
     * @return whether it is in E.164 form: a plus, a digit 1-9, then 6 to 14 ASCII digits (checked by
     *     hand: every number read from the store passes here, and a regular expression cost more than the check)
     */
    static boolean isE164(String value) {
        if (value == null || value.length() < 8 || value.length() > 16 || value.charAt(0) != '+' || value.charAt(1) == '0') {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
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
