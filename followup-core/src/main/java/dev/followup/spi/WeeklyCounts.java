package dev.followup.spi;

import dev.followup.InvalidInputException;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.message.AttemptState;
import dev.followup.message.SendAttempt;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The raw figures of one practice's period [from, to) that the weekly report is computed from:
 * counts and sums only, no PHI and nothing that depends on the practice's settings, so that a
 * store can compute them where the rows are (one aggregate query per table in SQL) instead of
 * handing every row of the week to the engine. See {@link PracticeTransaction#weeklyCounts} for
 * the rules each figure follows.
 *
 * <p>The maps hold only positive counts: a key that is absent counts 0, so two results with the
 * same figures are equal however they were computed.
 *
 * @param ingested follow-ups created in the period
 * @param contacted follow-ups first contacted in the period
 * @param respondedByChannel follow-ups whose patient first replied in the period, per channel the
 *     reply is attributed to (SMS or EMAIL; a staff call is not a reply)
 * @param bookedByChannel recovered appointments (follow-ups closed as BOOKED in the period after a
 *     first contact or a staff call), per channel they are attributed to; a booking with no
 *     responded channel is attributed to {@link Channel#STAFF_CALL}
 * @param bookedByType the same bookings per follow-up type code
 * @param bookedByProvider the same bookings per provider display name
 * @param declined follow-ups closed as DECLINED in the period
 * @param optedOut follow-ups closed as OPTED_OUT in the period
 * @param unreachable follow-ups closed as UNREACHABLE in the period
 * @param expired follow-ups closed as EXPIRED in the period
 * @param smsSent SMS attempts created in the period that were sent or may still be (any purpose)
 * @param smsSegments the SMS segments of those attempts
 * @param emailsSent email attempts created in the period that were sent or may still be (any purpose)
 * @param messagingCost what the attempts counted in {@code smsSent} and {@code emailsSent} cost, in USD
 * @param reachedByChannel distinct follow-ups that an outreach attempt counted above was created
 *     for, per channel (SMS or EMAIL)
 * @param handedToStaff distinct follow-ups for which a staff task was created in the period
 * @param staffCalls staff tasks completed in the period, other than those resolved otherwise
 *     ({@link TaskOutcome#RESOLVED})
 * @param staffReached of those, the ones whose outcome was not {@link TaskOutcome#UNREACHABLE}
 */
public record WeeklyCounts(
        long ingested,
        long contacted,
        Map<Channel, Long> respondedByChannel,
        Map<Channel, Long> bookedByChannel,
        Map<String, Long> bookedByType,
        Map<String, Long> bookedByProvider,
        long declined,
        long optedOut,
        long unreachable,
        long expired,
        long smsSent,
        long smsSegments,
        long emailsSent,
        BigDecimal messagingCost,
        Map<Channel, Long> reachedByChannel,
        long handedToStaff,
        long staffCalls,
        long staffReached) {

    /** Validates the figures and copies the maps without their zero counts. */
    public WeeklyCounts {
        requireCounts(ingested, contacted, declined, optedOut, unreachable, expired, smsSent, smsSegments, emailsSent,
                handedToStaff, staffCalls, staffReached);
        respondedByChannel = positive(respondedByChannel, "responded by channel");
        bookedByChannel = positive(bookedByChannel, "booked by channel");
        bookedByType = positive(bookedByType, "booked by type");
        bookedByProvider = positive(bookedByProvider, "booked by provider");
        reachedByChannel = positive(reachedByChannel, "reached by channel");
        if (messagingCost == null) {
            throw new InvalidInputException("weekly counts: the messaging cost is missing");
        }
        // Staff calls are tasks, not replies or messages: a store that puts them here has mixed up its rows.
        if (respondedByChannel.containsKey(Channel.STAFF_CALL) || reachedByChannel.containsKey(Channel.STAFF_CALL)) {
            throw new InvalidInputException("weekly counts: replies and outreach are by SMS or email only");
        }
        long booked = sum(bookedByChannel);
        if (sum(bookedByType) != booked || sum(bookedByProvider) != booked) {
            throw new InvalidInputException("weekly counts: bookings per channel, type and provider do not add up to the same total");
        }
        if (staffReached > staffCalls) {
            throw new InvalidInputException("weekly counts: more patients reached by staff than staff calls");
        }
    }

    /** @return follow-ups whose patient first replied in the period, on any channel */
    public long replied() {
        return sum(respondedByChannel);
    }

    /** @return recovered appointments in the period, however they are attributed */
    public long booked() {
        return sum(bookedByChannel);
    }

    /**
     * @param channel a channel
     * @return the replies attributed to it
     */
    public long responded(Channel channel) {
        return respondedByChannel.getOrDefault(channel, 0L);
    }

    /**
     * @param channel a channel
     * @return the bookings attributed to it
     */
    public long bookedVia(Channel channel) {
        return bookedByChannel.getOrDefault(channel, 0L);
    }

    /**
     * @param channel a channel
     * @return the distinct follow-ups reached through it by outreach
     */
    public long reached(Channel channel) {
        return reachedByChannel.getOrDefault(channel, 0L);
    }

    /**
     * The reference computation, behind {@link PracticeTransaction#weeklyCounts}'s default: every
     * row of the period from the three reporting iterators, counted here. An override must return
     * what this returns for the same rows.
     */
    static WeeklyCounts tally(PracticeTransaction tx, Instant from, Instant to) {
        Tally t = new Tally(from, to);
        tx.forEachFollowUpTouched(from, to, t::followUp);
        tx.forEachAttemptCreated(from, to, t::attempt);
        tx.forEachTaskTouched(from, to, t::task);
        return t.counts();
    }

    private static void requireCounts(long... counts) {
        for (long count : counts) {
            if (count < 0) {
                throw new InvalidInputException("weekly counts: a count is negative");
            }
        }
    }

    private static <K> Map<K, Long> positive(Map<K, Long> counts, String what) {
        if (counts == null) {
            throw new InvalidInputException("weekly counts: " + what + " is missing");
        }
        Map<K, Long> kept = new LinkedHashMap<>();
        counts.forEach((key, count) -> {
            if (key == null || count == null || count < 0) {
                throw new InvalidInputException("weekly counts: " + what + " has a missing key or a missing or negative count");
            }
            if (count > 0) {
                kept.put(key, count);
            }
        });
        return Map.copyOf(kept);
    }

    private static long sum(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The counting of the rows the iterators hand over; each row may be touched for other reasons, so every rule re-checks its own date. */
    private static final class Tally {
        private final Instant from;
        private final Instant to;
        private long ingested, contacted, declined, optedOut, unreachable, expired;
        private long smsSent, smsSegments, emailsSent, staffCalls, staffReached;
        private BigDecimal cost = BigDecimal.ZERO;
        private final Map<Channel, Long> responded = new EnumMap<>(Channel.class);
        private final Map<Channel, Long> bookedVia = new EnumMap<>(Channel.class);
        private final Map<String, Long> bookedByType = new HashMap<>();
        private final Map<String, Long> bookedByProvider = new HashMap<>();
        private final Map<Channel, Set<FollowUpId>> reachedBy = new EnumMap<>(Channel.class);
        private final Set<FollowUpId> handedToStaff = new HashSet<>();

        Tally(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }

        void followUp(FollowUp f) {
            if (in(f.createdAt())) {
                ingested++;
            }
            if (in(f.firstContactAt())) {
                contacted++;
            }
            // A staff call that booked records its channel as the response, but the patient never replied to a message.
            if (in(f.repliedAt()) && f.respondedChannel() != null && f.respondedChannel() != Channel.STAFF_CALL) {
                responded.merge(f.respondedChannel(), 1L, Long::sum);
            }
            if (!in(f.closedAt())) {
                return;
            }
            switch (f.state()) {
                case BOOKED -> {
                    // A booking the engine never worked for (booked in the EHR before any outreach) is not a recovery.
                    if (f.firstContactAt() != null || f.respondedChannel() == Channel.STAFF_CALL) {
                        bookedVia.merge(f.respondedChannel() == null ? Channel.STAFF_CALL : f.respondedChannel(), 1L, Long::sum);
                        bookedByType.merge(f.type().code(), 1L, Long::sum);
                        bookedByProvider.merge(f.provider().displayName(), 1L, Long::sum);
                    }
                }
                case DECLINED -> declined++;
                case OPTED_OUT -> optedOut++;
                case UNREACHABLE -> unreachable++;
                case EXPIRED -> expired++;
                default -> {
                }
            }
        }

        void attempt(SendAttempt a) {
            // A pending attempt may have reached the provider before a crash: it is billed like a sent one.
            if (!a.state().countsAsSent() && a.state() != AttemptState.PENDING) {
                return;
            }
            if (a.channel() == Channel.SMS) {
                smsSent++;
                smsSegments += a.segments();
            } else {
                emailsSent++;
            }
            cost = cost.add(a.cost());
            if (a.purpose().isOutreach() && a.followUpId() != null) {
                reachedBy.computeIfAbsent(a.channel(), c -> new HashSet<>()).add(a.followUpId());
            }
        }

        void task(StaffTask t) {
            if (in(t.createdAt()) && t.followUpId() != null) {
                handedToStaff.add(t.followUpId());
            }
            // A task resolved otherwise (a question answered, a wrong number) was not a call about the visit.
            if (t.state() == TaskState.DONE && in(t.updatedAt()) && t.outcome() != TaskOutcome.RESOLVED) {
                staffCalls++;
                if (t.outcome() != TaskOutcome.UNREACHABLE) {
                    staffReached++;
                }
            }
        }

        WeeklyCounts counts() {
            Map<Channel, Long> reached = new EnumMap<>(Channel.class);
            reachedBy.forEach((channel, ids) -> reached.put(channel, (long) ids.size()));
            return new WeeklyCounts(ingested, contacted, responded, bookedVia, bookedByType, bookedByProvider, declined, optedOut,
                    unreachable, expired, smsSent, smsSegments, emailsSent, cost, reached, handedToStaff.size(), staffCalls,
                    staffReached);
        }

        private boolean in(@Nullable Instant t) {
            return t != null && !t.isBefore(from) && t.isBefore(to);
        }
    }
}
