package dev.followup.message;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import java.math.BigDecimal;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/**
 * What sending an SMS costs: a price per segment, in US dollars. Immutable and thread-safe.
 *
 * <p>Cost is exact decimal arithmetic (segments × price per segment, never rounded), so the
 * per-message costs in a report add up to the total.
 */
public final class SmsPricing {
    private static final Currency USD = Currency.getInstance("USD");
    private static final SmsPricing DEFAULT = new SmsPricing(new BigDecimal("0.0079"));

    private final BigDecimal pricePerSegment;

    private SmsPricing(BigDecimal pricePerSegment) {
        this.pricePerSegment = pricePerSegment;
    }

    /**
     * The default: USD 0.0079 per segment, Twilio's list price for US long codes when this was
     * written. Carrier surcharges are not included; configure {@link #perSegment(BigDecimal)} for
     * a negotiated or all-in price.
     *
     * @return the default pricing
     */
    public static SmsPricing defaultPricing() {
        return DEFAULT;
    }

    /**
     * A pricing with the given price per segment in US dollars.
     *
     * @param pricePerSegment the price of one segment; zero is allowed (e.g. a test sender)
     * @return the pricing
     * @throws InvalidConfigurationException if the price is null or negative
     */
    public static SmsPricing perSegment(BigDecimal pricePerSegment) {
        if (pricePerSegment == null) {
            throw new InvalidConfigurationException("SMS price per segment is required");
        }
        if (pricePerSegment.signum() < 0) {
            throw new InvalidConfigurationException("SMS price per segment cannot be negative (was " + pricePerSegment.toPlainString() + ")");
        }
        return new SmsPricing(pricePerSegment);
    }

    /** @return the price of one segment, in {@link #currency()} */
    public BigDecimal pricePerSegment() {
        return pricePerSegment;
    }

    /** @return the currency of every amount: always US dollars */
    public Currency currency() {
        return USD;
    }

    /**
     * @param count a counted body
     * @return segments × price per segment (zero for an empty body), unrounded
     * @throws InvalidInputException if {@code count} is null
     */
    public BigDecimal costOf(SegmentCount count) {
        if (count == null) {
            throw new InvalidInputException("segment count is required to compute a cost");
        }
        return pricePerSegment.multiply(BigDecimal.valueOf(count.segments()));
    }

    /**
     * Counts the body with {@link SmsSegments#count(String)} and prices it.
     *
     * @param body the exact text to send
     * @return segments × price per segment, unrounded
     * @throws InvalidInputException if {@code body} is null
     */
    public BigDecimal costOf(String body) {
        return costOf(SmsSegments.count(body));
    }

    /** Two pricings are equal when their prices are numerically equal ({@code 0.0079} and {@code 0.00790}). */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof SmsPricing that && pricePerSegment.compareTo(that.pricePerSegment) == 0;
    }

    @Override
    public int hashCode() {
        return pricePerSegment.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return "SmsPricing[" + pricePerSegment.toPlainString() + " USD per segment]";
    }
}
