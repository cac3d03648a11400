package dev.followup.message;

/** Where a send attempt stands in the send protocol. */
public enum AttemptState {
    /** Recorded, provider not yet known to have it: a crash here is reconciled before anything is re-sent. */
    PENDING,
    /** The provider accepted it. */
    SENT,
    /** Its outcome could not be learned; counted as sent so that it is never duplicated. */
    UNCONFIRMED,
    /** The provider refused it, or reported it undeliverable. */
    FAILED;

    /** @return whether the attempt counts as a message the patient may have received */
    public boolean countsAsSent() {
        return this == SENT || this == UNCONFIRMED;
    }
}
