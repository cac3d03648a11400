package dev.followup.report;

import dev.followup.followup.Channel;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How one channel did in a week.
 *
 * @param channel the channel
 * @param contacted follow-ups reached through it in the week (for staff calls: tasks completed)
 * @param responded replies attributed to it (for staff calls: patients reached)
 * @param booked bookings attributed to it
 */
public record ChannelStats(Channel channel, long contacted, long responded, long booked) {
    /** @return responded ÷ contacted, as a fraction with 4 decimals (0 when nobody was contacted) */
    public BigDecimal responseRate() {
        return contacted == 0 ? BigDecimal.ZERO.setScale(4)
                : BigDecimal.valueOf(responded).divide(BigDecimal.valueOf(contacted), 4, RoundingMode.HALF_UP);
    }
}
