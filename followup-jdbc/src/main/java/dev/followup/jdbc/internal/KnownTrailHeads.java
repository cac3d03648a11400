package dev.followup.jdbc.internal;

import dev.followup.practice.PracticeId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The practices whose audit trail head this store has seen in the database. A transaction of a
 * practice not listed creates the head (a no-op if it exists) in the same round trip as its first
 * chain; the others skip that statement. The library never deletes a head, and a chain that finds
 * none fails instead of committing its writes without their events, so a stale entry costs one
 * failed transaction, after which the entry is forgotten.
 */
public final class KnownTrailHeads {
    private final Set<PracticeId> seen = ConcurrentHashMap.newKeySet();

    boolean contains(PracticeId practiceId) {
        return seen.contains(practiceId);
    }

    void add(PracticeId practiceId) {
        seen.add(practiceId);
    }

    void forget(PracticeId practiceId) {
        seen.remove(practiceId);
    }
}
