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
     * Checks a trail and also that its head is the one recorded elsewhere earlier (detects a tail
     * rewritten from scratch).
     *
     * @param events the events
     * @param knownHeadSequence the sequence of the head recorded elsewhere
     * @param knownHeadHash its hash
     * @return the verdict
     */
    public static AuditVerification of(List<AuditEvent> events, long knownHeadSequence, String knownHeadHash) {
        AuditVerification chain = of(events);
        if (!chain.isIntact()) {
            return chain;
        }
        if (knownHeadSequence > events.size() || !events.get((int) knownHeadSequence - 1).hash().equals(knownHeadHash)) {
            return broken(events, knownHeadSequence, "event " + knownHeadSequence + " no longer has the hash recorded elsewhere");
        }
        return chain;
    }

    private static AuditVerification broken(List<AuditEvent> events, long sequence, String problem) {
        return new AuditVerification(events.size(), events.isEmpty() ? AuditEvent.GENESIS : events.get(events.size() - 1).hash(), sequence, problem);
    }
}
