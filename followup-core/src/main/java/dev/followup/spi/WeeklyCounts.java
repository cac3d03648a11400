package dev.followup.spi;

import dev.followup.InvalidInputException;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.message.AttemptState;
import dev.followup.message.SendAttempt;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
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
 * @param bookedByChannel recovered appointments, per channel they are attributed to: follow-ups
 *     closed as BOOKED in the period that the engine worked for, that is, first contacted by an
 *     outreach message or handed to staff (a staff task for them created before the period's end);
 *     a booking with no responded channel is attributed to {@link Channel#STAFF_CALL}. A follow-up
 *     booked before either (the patient booked by themselves and the EHR wrote it back) is closed as
 *     BOOKED but is no recovery
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
 * @param reachedByChannel per channel (SMS or EMAIL), the distinct follow-ups the channel worked in
 *     the period, the population its response rate is over: those an outreach attempt counted
 *     above was created for, and those whose first reply in the period is attributed to the
 *     channel (reached by it in an earlier period). So every reply counted in
 *     {@code respondedByChannel} is of a follow-up counted here, and no channel responds more than
 *     it reached
 * @param handedToStaff distinct follow-ups for which a staff task was created in the period
 * @param resolvedWithoutStaff follow-ups the engine resolved without staff: closed in the period as
 *     BOOKED, DECLINED or OPTED_OUT after a first contact, with no staff task for them created
 *     before the period's end. Each follow-up counts once, in the period it closed, which is what
 *     makes the staff time saved additive across weeks
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
        long resolvedWithoutStaff,
        long staffCalls,
        long staffReached) {

    /** Validates the figures and copies the maps without their zero counts. */
    public WeeklyCounts {
        requireCounts(ingested, contacted, declined, optedOut, unreachable, expired, smsSent, smsSegments, emailsSent,
                handedToStaff, resolvedWithoutStaff, staffCalls, staffReached);
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
        // A rate over 1 would mean the two sides of it were counted over different follow-ups.
        for (Channel channel : respondedByChannel.keySet()) {
            if (respondedByChannel.get(channel) > reachedByChannel.getOrDefault(channel, 0L)) {
                throw new InvalidInputException("weekly counts: more follow-ups responded by " + channel + " than it reached");
            }
        }
        if (resolvedWithoutStaff > booked + declined + optedOut) {
            throw new InvalidInputException("weekly counts: more follow-ups resolved without staff than booked, declined and opted out");
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
        // Every task up to the period's end, not only the period's: whether a follow-up closed in the period was ever handed
        // to staff decides whether it was recovered and whether staff time was saved. The tasks go first for that reason.
        tx.forEachTaskTouched(Instant.EPOCH.isBefore(from) ? Instant.EPOCH : from, to, t::task);
        tx.forEachFollowUpTouched(from, to, t::followUp);
        tx.forEachAttemptCreated(from, to, t::attempt);
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
        /** The closings that answer the follow-up's question: what staff would otherwise have called to learn. */
        private static final Set<FollowUpState> RESOLVED_BY_THE_PATIENT = EnumSet.of(FollowUpState.BOOKED, FollowUpState.DECLINED,
                FollowUpState.OPTED_OUT);
        private final Instant from;
        private final Instant to;
        private long ingested, contacted, declined, optedOut, unreachable, expired, resolvedWithoutStaff;
        private long smsSent, smsSegments, emailsSent, staffCalls, staffReached;
        private BigDecimal cost = BigDecimal.ZERO;
        private final Map<Channel, Long> responded = new EnumMap<>(Channel.class);
        private final Map<Channel, Long> bookedVia = new EnumMap<>(Channel.class);
        private final Map<String, Long> bookedByType = new HashMap<>();
        private final Map<String, Long> bookedByProvider = new HashMap<>();
        private final Map<Channel, Set<FollowUpId>> reachedBy = new EnumMap<>(Channel.class);
        private final Set<FollowUpId> handedToStaff = new HashSet<>();
        private final Set<FollowUpId> handedToStaffByTheEnd = new HashSet<>();

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
                // The reply may answer outreach of an earlier week: the follow-up joins the population its channel's rate is over.
                reachedBy.computeIfAbsent(f.respondedChannel(), c -> new HashSet<>()).add(f.id());
            }
            if (!in(f.closedAt())) {
                return;
            }
            boolean contacted = f.firstContactAt() != null;
            boolean handed = handedToStaffByTheEnd.contains(f.id());
            switch (f.state()) {
                case BOOKED -> {
                    // A booking the engine never worked for (booked in the EHR before any outreach) is not a recovery, whatever
                    // channel the write-back attributed it to.
                    if (contacted || handed) {
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
            if (contacted && !handed && RESOLVED_BY_THE_PATIENT.contains(f.state())) {
                resolvedWithoutStaff++;
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
            if (t.followUpId() != null && t.createdAt().isBefore(to)) {
                handedToStaffByTheEnd.add(t.followUpId());
            }
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
                    unreachable, expired, smsSent, smsSegments, emailsSent, cost, reached, handedToStaff.size(), resolvedWithoutStaff,
                    staffCalls, staffReached);
        }

        private boolean in(@Nullable Instant t) {
            return t != null && !t.isBefore(from) && t.isBefore(to);
        }
    }
}
