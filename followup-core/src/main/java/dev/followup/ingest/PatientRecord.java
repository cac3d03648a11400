package dev.followup.ingest;

import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpType;
import dev.followup.patient.EmailAddress;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import java.time.LocalDate;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * One patient who needs a follow-up, as read from a row of the EHR's export, with every value
 * normalised: the phone in E.164, the name split into first and last, the type and window parsed.
 *
 * <p>Names, phone, email, MRN and the due date are PHI: {@link #toString()} shows none of them.
 *
 * @param mrn the EHR's record number, when the export has one
 * @param firstName the given name used in greetings, never empty
 * @param lastName the family name (with a suffix such as {@code Jr.}), possibly empty
 * @param phone the number to text (or, for a landline, to call), when the row has a valid one
 * @param email the email address, when the row has a valid one
 * @param provider the clinician the follow-up is with
 * @param type the kind of visit; {@link FollowUpType#GENERAL} when the export has none
 * @param preferredWindow when the patient prefers to be seen; {@link PreferredWindow#ANY} when unknown
 * @param language the patient's language, when the export has a recognisable one
 * @param dueDate when the follow-up is due, when the export has one
 * @param timeZone the patient's time zone, when the export has a recognisable one (an IANA id, a
 *     common North American name such as {@code EST}, or a fixed offset such as {@code UTC-10})
 */
public record PatientRecord(
        @Nullable Mrn mrn,
        String firstName,
        String lastName,
        @Nullable PhoneNumber phone,
        @Nullable EmailAddress email,
        Provider provider,
        FollowUpType type,
        PreferredWindow preferredWindow,
        @Nullable Language language,
        @Nullable LocalDate dueDate,
        @Nullable ZoneId timeZone) {

    /** Validates the fields; messages never contain the values. */
    public PatientRecord {
        if (firstName == null || firstName.isBlank()) {
            throw new InvalidInputException("patient record needs a first name");
        }
        firstName = firstName.strip();
        lastName = lastName == null ? "" : lastName.strip();
        if (provider == null || type == null || preferredWindow == null) {
            throw new InvalidInputException("patient record needs a provider, a follow-up type and a preferred window");
        }
        if (phone == null && email == null) {
            throw new InvalidInputException("patient record needs a phone number or an email address");
        }
    }

    /**
     * Builds the domain patient for this record.
     *
     * @param id the id to give the patient (a new one, or the id of the patient it was matched to)
     * @param practiceId the practice importing the list
     * @param defaultLanguage the language to use when the export has none, usually the practice's
     * @return the patient
     */
    public Patient toPatient(PatientId id, PracticeId practiceId, Language defaultLanguage) {
        return new Patient(id, practiceId, mrn, firstName, lastName, phone, email,
                language != null ? language : defaultLanguage, timeZone);
    }

    @Override
    public String toString() {
        // Only what identifies nobody: which contact points exist, the provider's id, the visit type.
        return "PatientRecord[provider=" + provider.id()
                + ", type=" + type
                + ", phone=" + (phone == null ? "none" : phone.lineType().name().toLowerCase(java.util.Locale.ROOT))
                + ", email=" + (email == null ? "none" : "present")
                + ", PHI redacted]";
    }
}
