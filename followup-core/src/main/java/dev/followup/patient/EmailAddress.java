package dev.followup.patient;

import dev.followup.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address, checked for a plausible form (one {@code @}, a dotted domain, no spaces) and
 * with its domain lower-cased. Deliverability is the SMTP server's verdict, not ours.
 *
 * <p>Email addresses are PHI: {@link #toString()} never shows them.
 *
 * @param value the address
 */
public record EmailAddress(String value) {
    private static final Pattern FORM = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");

    /** Validates and normalises the address. */
    public EmailAddress {
        if (value == null) {
            throw new InvalidInputException("email address is empty");
        }
        value = value.strip();
        if (value.length() > 254 || !FORM.matcher(value).matches()) {
            throw new InvalidInputException("email address is not of the form local@domain.tld");
        }
        int at = value.indexOf('@');
        value = value.substring(0, at) + value.substring(at).toLowerCase(Locale.ROOT);
    }

    /**
     * @param value the address
     * @return the checked address
     */
    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    @Override
    public String toString() {
        return "EmailAddress[redacted]";
    }
}
