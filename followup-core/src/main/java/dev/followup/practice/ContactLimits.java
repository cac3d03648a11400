package dev.followup.practice;

import dev.followup.InvalidConfigurationException;

/**
 * How often a patient may be contacted by outreach, across all follow-ups of one practice. The
 * default (one a day, three a week) is the healthcare-message exemption's limit; looser limits are
 * the practice's own legal decision.
 *
 * <p>Replies to a patient's own message (slot offers, booking confirmations, HELP answers) are not
 * outreach and are not counted: the patient asked for them.
 *
 * @param perDay outreach messages per local calendar day
 * @param perWeek outreach messages per rolling seven days
 */
public record ContactLimits(int perDay, int perWeek) {
    /** The strict default: 1 per day, 3 per week. */
    public static final ContactLimits STRICT = new ContactLimits(1, 3);

    /** Validates the limits. */
    public ContactLimits {
        if (perDay < 1 || perWeek < 1) {
            throw new InvalidConfigurationException("contact limits must allow at least one message (perDay " + perDay + ", perWeek " + perWeek + ")");
        }
        if (perDay > perWeek) {
            throw new InvalidConfigurationException("contact limit per day (" + perDay + ") cannot exceed the limit per week (" + perWeek + ")");
        }
    }
}
