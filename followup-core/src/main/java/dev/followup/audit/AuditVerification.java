package dev.followup.audit;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The result of checking a practice's audit trail.
 *
 * @param eventsChecked how many events were read
 * @param headHash the hash of the last event ({@link AuditEvent#GENESIS} for an empty trail)
 * @param firstBrokenSequence the sequence at which the chain first breaks, if it does
 * @param problem what is wrong there, if anything
 */
public record AuditVerification(long eventsChecked, String headHash, @Nullable Long firstBrokenSequence, @Nullable String problem) {

    /** @return whether the whole chain is intact */
    public boolean isIntact() {
        return problem == null;
    }

    /** @return the description of the first break, if any */
    public Optional<String> firstProblem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Checks a trail read in the order the store returned it.
     *
     * @param events the practice's events, in stored order
     * @return the verdict
     */
    public static AuditVerification of(List<AuditEvent> events) {
        String previousHash = AuditEvent.GENESIS;
        long expectedSequence = 1;
        for (AuditEvent e : events) {
            if (e.sequence() != expectedSequence) {
                return broken(events, expectedSequence, "expected sequence " + expectedSequence + " but found " + e.sequence()
                        + " (an event was removed or reordered)");
            }
            if (!e.previousHash().equals(previousHash)) {
                return broken(events, e.sequence(), "event " + e.sequence() + " does not follow the previous event's hash");
            }
            if (!e.expectedHash().equals(e.hash())) {
                return broken(events, e.sequence(), "event " + e.sequence() + " was changed after it was written");
            }
            previousHash = e.hash();
            expectedSequence++;
        }
        return new AuditVerification(events.size(), previousHash, null, null);
    }

    /**
     * Checks a trail and also that it still holds the head its store keeps beside the events: a
     * trail whose last events were deleted is still a valid chain, but it falls short of the head.
     * Events after the head are accepted, because a store that does not read the trail and its head
     * as one snapshot may see events appended after it read the head.
     *
     * @param events the practice's events, in stored order
     * @param storedHead the head as the store recorded it, read before the events
     * @return the verdict
     */
    public static AuditVerification of(List<AuditEvent> events, AuditHead storedHead) {
        return holding(of(events), events, storedHead, "the store's head");
    }

    /**
     * Checks a trail and also that it still holds a head recorded elsewhere earlier (detects a tail
     * rewritten from scratch, which keeps the chain valid). The trail may have grown since.
     *
     * @param events the practice's events, in stored order
     * @param knownHeadSequence the sequence of the head recorded elsewhere (0 for a trail that was empty)
     * @param knownHeadHash its hash ({@link AuditEvent#GENESIS} for a trail that was empty)
     * @return the verdict
     * @throws dev.followup.InvalidInputException if no trail can have that head (a negative sequence,
     *         or a hash other than the genesis hash at 0)
     */
    public static AuditVerification of(List<AuditEvent> events, long knownHeadSequence, String knownHeadHash) {
        return holding(of(events), events, new AuditHead(knownHeadSequence, knownHeadHash), "the head recorded elsewhere");
    }

    /**
     * Checks a trail, that it holds the head its store keeps ({@link #of(List, AuditHead)}) and that
     * it holds a head recorded elsewhere earlier ({@link #of(List, long, String)}), walking the chain
     * once. The first break found is reported, in that order.
     *
     * @param events the practice's events, in stored order
     * @param storedHead the head as the store recorded it, read before the events
     * @param knownHeadSequence the sequence of the head recorded elsewhere (0 for a trail that was empty)
     * @param knownHeadHash its hash ({@link AuditEvent#GENESIS} for a trail that was empty)
     * @return the verdict
     * @throws dev.followup.InvalidInputException if no trail can have the known head
     */
    public static AuditVerification of(List<AuditEvent> events, AuditHead storedHead, long knownHeadSequence, String knownHeadHash) {
        AuditHead known = new AuditHead(knownHeadSequence, knownHeadHash);
        return holding(holding(of(events), events, storedHead, "the store's head"), events, known, "the head recorded elsewhere");
    }

    /**
     * Whether a trail whose chain is intact holds {@code head}: with the chain intact, event n sits at
     * index n - 1, so one comparison settles it. {@code whose} names the head in the problem.
     */
    private static AuditVerification holding(AuditVerification chain, List<AuditEvent> events, AuditHead head, String whose) {
        if (!chain.isIntact() || head.sequence() == 0) {
            return chain;
        }
        if (head.sequence() > events.size()) {
            long last = events.size();
            return broken(events, last + 1, (last == 0 ? "the trail has no events" : "the trail ends at event " + last) + " but " + whose
                    + " is event " + head.sequence() + ": the events after " + last + " were removed");
        }
        if (!events.get((int) head.sequence() - 1).hash().equals(head.hash())) {
            return broken(events, head.sequence(), "event " + head.sequence() + " does not have the hash of " + whose);
        }
        return chain;
    }

    private static AuditVerification broken(List<AuditEvent> events, long sequence, String problem) {
        return new AuditVerification(events.size(), events.isEmpty() ? AuditEvent.GENESIS : events.get(events.size() - 1).hash(), sequence, problem);
    }
}
