package dev.followup.consent;

import dev.followup.InvalidInputException;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the consent ledger. An entry concerns a patient, a phone number, or both: an
 * opt-out texted from a number the practice cannot match to a patient still binds that number.
 * The ledger is append-only; the latest entry for a subject decides.
 *
 * @param practiceId the practice
 * @param patientId the patient, when known
 * @param phone the number, when the change came by SMS or concerns one number
 * @param status the new standing
 * @param source where it came from
 * @param at when it took effect
 */
public record ConsentChange(
        PracticeId practiceId,
        @Nullable PatientId patientId,
        @Nullable PhoneNumber phone,
        ConsentStatus status,
        ConsentSource source,
        Instant at) {
    /** Validates the entry. */
    public ConsentChange {
        if (practiceId == null || status == null || source == null || at == null) {
            throw new InvalidInputException("consent change needs a practice, a status, a source and a time");
        }
        if (patientId == null && phone == null) {
            throw new InvalidInputException("consent change of practice " + practiceId + " needs a patient or a phone number");
        }
    }

    /**
     * The entry that applies to a patient, from the latest entry naming the patient and the latest
     * naming their number. The number's decides only if it is strictly later: an opt-out texted
     * from a number covers everyone at that number from then on, while a choice recorded for the
     * patient at the same moment stands.
     *
     * @param byPatient the latest entry naming the patient
     * @param byPhone the latest entry naming the patient's number
     * @return the entry that applies, if any
     */
    public static Optional<ConsentChange> applying(Optional<ConsentChange> byPatient, Optional<ConsentChange> byPhone) {
        if (byPhone.isPresent() && (byPatient.isEmpty() || byPhone.get().at().isAfter(byPatient.get().at()))) {
            return byPhone;
        }
        return byPatient;
    }

    @Override
    public String toString() {
        return "ConsentChange[practice=" + practiceId + ", patient=" + patientId + ", " + status + " by " + source + "]";
    }
}
