package dev.followup.spi;

import dev.followup.consent.ConsentChange;
import dev.followup.followup.FollowUp;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the engine reads before it decides what a text from a number answers: who has that number,
 * what is open for each of them, and the consent that applies. See
 * {@link PracticeTransaction#replyContext}.
 *
 * @param patients the practice's patients with the number, in {@link PracticeTransaction#patientsByPhone}'s order
 * @param activeFollowUps each of those patients' active follow-ups, as {@link PracticeTransaction#activeFollowUps}
 *     lists them; a patient without any is left out (an empty list is dropped), so that equal answers are equal
 * @param patientConsents the latest ledger entry naming each of those patients, where there is one
 * @param numberConsent the latest ledger entry naming the number
 * @param recordedBefore whether a message with the provider id that {@link PracticeTransaction#replyContext(PhoneNumber, String)}
 *     was asked about is recorded already: a repeated delivery. False when the store was not asked or did not look;
 *     {@link PracticeTransaction#recordInbound} then tells.
 */
public record ReplyContext(List<Patient> patients, Map<PatientId, List<FollowUp>> activeFollowUps,
        Map<PatientId, ConsentChange> patientConsents, Optional<ConsentChange> numberConsent, boolean recordedBefore) {
    /** Copies the collections and checks that nothing is null. */
    public ReplyContext {
        patients = List.copyOf(patients);
        activeFollowUps = activeFollowUps.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        patientConsents = Map.copyOf(patientConsents);
        Objects.requireNonNull(numberConsent, "numberConsent");
    }

    /**
     * What a store that was not asked about a message, or did not look, answers.
     *
     * @param patients as for the record
     * @param activeFollowUps as for the record
     * @param patientConsents as for the record
     * @param numberConsent as for the record
     */
    public ReplyContext(List<Patient> patients, Map<PatientId, List<FollowUp>> activeFollowUps,
            Map<PatientId, ConsentChange> patientConsents, Optional<ConsentChange> numberConsent) {
        this(patients, activeFollowUps, patientConsents, numberConsent, false);
    }

    /**
     * @param recorded what {@link #recordedBefore} is to be
     * @return this context with that answer
     */
    public ReplyContext withRecordedBefore(boolean recorded) {
        return new ReplyContext(patients, activeFollowUps, patientConsents, numberConsent, recorded);
    }

    /**
     * @param patientId one of {@link #patients}
     * @return that patient's active follow-ups, oldest first
     */
    public List<FollowUp> activeFollowUpsOf(PatientId patientId) {
        return activeFollowUps.getOrDefault(patientId, List.of());
    }

    /**
     * @param patientId one of {@link #patients}
     * @return the consent that applies to that patient, as {@link PracticeTransaction#consentOf} answers it for the
     *     patient and this number
     */
    public Optional<ConsentChange> consentOf(PatientId patientId) {
        return ConsentChange.applying(Optional.ofNullable(patientConsents.get(patientId)), numberConsent);
    }
}
