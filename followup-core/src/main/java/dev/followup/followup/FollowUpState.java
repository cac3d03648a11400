package dev.followup.followup;

/**
 * Where a follow-up stands. The machine is explicit and finite:
 * {@code PENDING -> CONTACTING -> ENGAGED -> BOOKED}, with the other terminal states reached from
 * any active state as described on each constant.
 */
public enum FollowUpState {
    /** Ingested, not yet contacted. */
    PENDING(false),
    /** At least one outreach step has been taken; waiting for a reply or the next step. */
    CONTACTING(false),
    /** The patient said yes and was offered slots; waiting for a choice. */
    ENGAGED(false),
    /** An appointment is booked: the follow-up is recovered. */
    BOOKED(true),
    /** The patient said no. */
    DECLINED(true),
    /** The patient opted out (by any wording, or at the carrier). */
    OPTED_OUT(true),
    /** A staff task took it over. */
    HANDED_TO_STAFF(true),
    /** Every channel failed and the policy had no staff step. */
    UNREACHABLE(true),
    /** The due date passed before anything came of it. */
    EXPIRED(true),
    /** Cancelled by the practice. */
    CANCELLED(true);

    private final boolean terminal;

    FollowUpState(boolean terminal) {
        this.terminal = terminal;
    }

    /** @return whether nothing more happens to a follow-up in this state */
    public boolean isTerminal() {
        return terminal;
    }
}
