package dev.followup.spi;

import dev.followup.consent.ConsentChange;
import dev.followup.followup.FollowUp;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine reads again at the last moment before it records a send: whether the node still
 * holds the follow-up, as what version, and the consent that applies to the patient. See
 * {@link PracticeTransaction#sendCheck}.
 *
 * @param leasedFollowUp the follow-up, if the node's lease on it is live ({@link PracticeTransaction#leasedFollowUp})
 * @param consent the consent that applies to the patient, if any ({@link PracticeTransaction#consentOf})
 * @param outreachCounts the recipient's outreach since each moment asked for, counted under the
 *     recipient's lock (empty when none was asked for)
 */
public record SendCheck(Optional<FollowUp> leasedFollowUp, Optional<ConsentChange> consent, List<Integer> outreachCounts) {
    /** Checks that no answer is null. */
    public SendCheck {
        Objects.requireNonNull(leasedFollowUp, "leasedFollowUp");
        Objects.requireNonNull(consent, "consent");
        outreachCounts = List.copyOf(outreachCounts);
    }

    /**
     * @param leasedFollowUp the follow-up, if the node's lease on it is live
     * @param consent the consent that applies to the patient, if any
     */
    public SendCheck(Optional<FollowUp> leasedFollowUp, Optional<ConsentChange> consent) {
        this(leasedFollowUp, consent, List.of());
    }
}
