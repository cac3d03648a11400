package dev.followup.consent;

/** Where a consent change came from, for the audit trail. */
public enum ConsentSource {
    /** The patient texted an opt-out or opt-in keyword or phrase. */
    PATIENT_SMS,
    /** The provider refused a send because the number opted out at the carrier (Twilio 21610). */
    CARRIER,
    /** A member of staff recorded the patient's wish. */
    STAFF,
    /**
     * The EHR export marked the patient as not to be contacted, or brought a new patient with the
     * email address and name of one who had opted out.
     */
    IMPORT
}
