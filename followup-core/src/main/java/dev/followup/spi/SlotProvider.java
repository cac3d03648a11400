package dev.followup.spi;

import dev.followup.followup.FollowUpType;
import dev.followup.practice.PracticeId;
import dev.followup.scheduling.PreferredWindow;
import dev.followup.scheduling.Slot;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Finds open appointment times in the practice's scheduling system.
 */
public interface SlotProvider {

    /**
     * Open slots for a follow-up, best first: inside the patient's preferred window where possible,
     * earliest first. The engine offers the first {@code count}; returning fewer is fine, returning
     * none makes the engine hand the booking to staff.
     *
     * @param query what is wanted
     * @return open slots, at most {@code query.count()}
     */
    List<Slot> openSlots(SlotQuery query);

    /**
     * What the engine asks for.
     *
     * @param practiceId the practice
     * @param providerId the provider the visit is with
     * @param type the kind of visit
     * @param preferredWindow when the patient prefers to be seen
     * @param patientZone the patient's time zone (the preferred window is meant in it)
     * @param notBefore the earliest start acceptable
     * @param count how many slots to offer
     */
    record SlotQuery(PracticeId practiceId, String providerId, FollowUpType type, PreferredWindow preferredWindow,
            ZoneId patientZone, Instant notBefore, int count) {}
}
