package dev.followup.message;

import dev.followup.InvalidInputException;

/**
 * How an SMS body is encoded and how many segments (billed units) it is sent as. It carries no
 * text, so it can be logged and stored freely.
 *
 * @param encoding the encoding the whole body needs
 * @param units GSM-7 septets (extension-table characters count two) or, for UCS-2, UTF-16 code
 *     units (a character outside the Basic Multilingual Plane, such as most emoji, counts two)
 * @param segments the number of segments; {@code 0} only for an empty body
 */
public record SegmentCount(SmsEncoding encoding, int units, int segments) {
    /** Validates the count: no negative numbers, and zero segments exactly when there are no units. */
    public SegmentCount {
        if (encoding == null) {
            throw new InvalidInputException("segment count needs an encoding");
        }
        if (units < 0 || segments < 0) {
            throw new InvalidInputException("segment count cannot be negative (units " + units + ", segments " + segments + ")");
        }
        if ((units == 0) != (segments == 0)) {
            throw new InvalidInputException("segment count has zero segments exactly when it has zero units (units " + units + ", segments " + segments + ")");
        }
    }
}
