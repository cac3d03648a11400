package dev.followup.message;

import dev.followup.InvalidConfigurationException;

/**
 * How fast one sender (a phone number, a messaging service) may send. The engine never exceeds it,
 * so the provider never builds a queue that could outlive a message's validity period.
 *
 * @param perSecond messages per second (fractions allowed: 0.5 is one every two seconds)
 * @param perDay messages per UTC day; {@link Integer#MAX_VALUE} for no daily limit
 */
public record SendRate(double perSecond, int perDay) {
    /** Validates the rate. */
    public SendRate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond) || perDay < 1) {
            throw new InvalidConfigurationException("a send rate needs a positive rate per second and per day, was " + perSecond + "/s, " + perDay + "/day");
        }
    }

    /** @return about one segment a second: a US long code */
    public static SendRate longCode() {
        return new SendRate(1, Integer.MAX_VALUE);
    }

    /** @return about three a second: a verified toll-free number */
    public static SendRate tollFree() {
        return new SendRate(3, Integer.MAX_VALUE);
    }

    /** @return about 100 a second: a short code */
    public static SendRate shortCode() {
        return new SendRate(100, Integer.MAX_VALUE);
    }

    /**
     * @param perSecond messages per second
     * @return a rate without a daily limit
     */
    public static SendRate perSecond(double perSecond) {
        return new SendRate(perSecond, Integer.MAX_VALUE);
    }
}
