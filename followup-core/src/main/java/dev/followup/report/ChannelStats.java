package dev.followup.report;

import dev.followup.InvalidInputException;
import dev.followup.followup.Channel;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How one channel did in a week. Both sides of the response rate are counted over the same
 * follow-ups, so the rate is a share of them and never exceeds 1:
 * <ul>
 *   <li>SMS and EMAIL: {@code contacted} is the follow-ups the channel worked in the week, those it
 *       reached by outreach in the week and those whose first reply, attributed to it, came in the
 *       week (a patient texted on Friday who answers on Monday counts in Monday's week);
 *       {@code responded} is those of them whose first reply came in the week. Each reply is
 *       counted once, in the week it came, as in {@link WeeklyReport#replied()};</li>
 *   <li>STAFF_CALL: {@code contacted} is the staff calls completed in the week (tasks done, other
 *       than those resolved otherwise), {@code responded} those of them that reached the patient.</li>
 * </ul>
 *
 * @param channel the channel
 * @param contacted the follow-ups the channel worked in the week, as above (for staff calls: tasks completed)
 * @param responded those of them that replied in the week (for staff calls: patients reached); at most {@code contacted}
 * @param booked recovered appointments attributed to the channel
 */
public record ChannelStats(Channel channel, long contacted, long responded, long booked) {

    /** Checks that the rate is a share of the follow-ups contacted. */
    public ChannelStats {
        if (contacted < 0 || responded < 0 || booked < 0) {
            throw new InvalidInputException("channel figures must not be negative");
        }
        if (responded > contacted) {
            throw new InvalidInputException("channel " + channel + ": more responded (" + responded + ") than contacted (" + contacted + ")");
        }
    }

    /** @return responded ÷ contacted, as a fraction with 4 decimals between 0 and 1 (0 when nobody was contacted) */
    public BigDecimal responseRate() {
        return contacted == 0 ? BigDecimal.ZERO.setScale(4)
                : BigDecimal.valueOf(responded).divide(BigDecimal.valueOf(contacted), 4, RoundingMode.HALF_UP);
    }
}
