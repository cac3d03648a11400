package dev.followup.spi;

import dev.followup.consent.ConsentChange;
import dev.followup.followup.FollowUp;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine reads again at the last moment before it records a send: whether the node still
 * holds the follow-up, as what version, and the consent that applies to the patient. See
 * {@link PracticeTransaction#sendCheck}.
 *
 * @param leasedFollowUp the follow-up, if the node's lease on it is live ({@link PracticeTransaction#leasedFollowUp})
 * @param consent the consent that applies to the patient, if any ({@link PracticeTransaction#consentOf})
 */
public record SendCheck(Optional<FollowUp> leasedFollowUp, Optional<ConsentChange> consent) {
    /** Checks that neither answer is null. */
    public SendCheck {
        Objects.requireNonNull(leasedFollowUp, "leasedFollowUp");
        Objects.requireNonNull(consent, "consent");
    }
}
