package dev.followup.consent;

/** A patient's standing permission to be messaged. */
public enum ConsentStatus {
    /** Messages may be sent (the default for a patient the practice referred). */
    OPTED_IN,
    /** Nothing may be sent on any channel until the patient opts back in. */
    OPTED_OUT
}
