package dev.followup.patient;

import dev.followup.InvalidInputException;
import dev.followup.practice.PracticeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A patient of one practice. Names, phone, email and MRN are PHI: {@link #toString()} shows the id
 * only, and stores keep those fields encrypted.
 *
 * @param id the library's id for this patient
 * @param practiceId the practice the patient belongs to
 * @param mrn the EHR's record number, when the export has one
 * @param firstName given name, used in greetings
 * @param lastName family name
 * @param phone mobile number for SMS, when known
 * @param email email address, when known
 * @param language the language to write in
 * @param timeZone the patient's time zone, when known (otherwise the practice's applies)
 */
public record Patient(
        PatientId id,
        PracticeId practiceId,
        @Nullable Mrn mrn,
        String firstName,
        String lastName,
        @Nullable PhoneNumber phone,
        @Nullable EmailAddress email,
        Language language,
        @Nullable ZoneId timeZone) {

    /** Validates the required fields. */
    public Patient {
        if (id == null || practiceId == null || language == null) {
            throw new InvalidInputException("patient id, practice id and language are required");
        }
        firstName = firstName == null ? "" : firstName.strip();
        lastName = lastName == null ? "" : lastName.strip();
        if (firstName.isEmpty() && lastName.isEmpty()) {
            throw new InvalidInputException("patient " + id + " has no name");
        }
        if (phone == null && email == null) {
            throw new InvalidInputException("patient " + id + " has neither phone nor email");
        }
    }

    /** @return the phone number, if any */
    public Optional<PhoneNumber> phoneNumber() {
        return Optional.ofNullable(phone);
    }

    /** @return the email address, if any */
    public Optional<EmailAddress> emailAddress() {
        return Optional.ofNullable(email);
    }

    /**
     * @param practiceZone the practice's time zone
     * @return the zone to apply send windows in: the patient's own, else the practice's
     */
    public ZoneId zoneOr(ZoneId practiceZone) {
        return timeZone != null ? timeZone : practiceZone;
    }

    /**
     * A stable key that recognises this patient in a later import: the MRN where there is one,
     * otherwise the phone (or email) together with the name. It is a SHA-256 digest, so it can be
     * stored and indexed without exposing the PHI it is made from.
     *
     * @return a hex digest identifying the patient within the practice
     */
    public String identityKey() {
        if (mrn != null) {
            return sha256(practiceId.value() + "|mrn:" + mrn.value());
        }
        return phone != null ? contactDigest(phone.e164()) : contactDigest(email.value().toLowerCase(Locale.ROOT));
    }

    /**
     * A key for a patient without an MRN: their email address together with their name. It does
     * not identify them (a father and son of one name may share a family address, with a number
     * each); it finds the patients an opt-out must follow to when a later list brings the person
     * with another number, or none, and so as a new patient.
     *
     * @return a hex digest, or null for a patient with an MRN (which alone identifies them) or without an email
     */
    public @Nullable String contactKey() {
        if (mrn != null || email == null) {
            return null;
        }
        return contactDigest(email.value().toLowerCase(Locale.ROOT));
    }

    private String contactDigest(String contact) {
        return sha256(practiceId.value() + "|contact:" + contact + "|" + firstName.toLowerCase(Locale.ROOT) + "|"
                + lastName.toLowerCase(Locale.ROOT));
    }

    /**
     * @param newId the id to give
     * @return this patient with another id (used when an import recognises a known patient)
     */
    public Patient withId(PatientId newId) {
        return new Patient(newId, practiceId, mrn, firstName, lastName, phone, email, language, timeZone);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "Patient[id=" + id + ", practice=" + practiceId + "]";
    }
}
