package dev.followup.spi;

import dev.followup.patient.PatientId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One question the contact limits ask: how much outreach did these patients receive since this
 * moment? The patients are counted together because a family sharing one number is one recipient.
 *
 * @param patients the patients counted together; not empty
 * @param since the start of the period, inclusive
 */
public record OutreachWindow(Set<PatientId> patients, Instant since) {
    /** Copies the set, so that a window can serve as a key. */
    public OutreachWindow {
        patients = Set.copyOf(patients);
        Objects.requireNonNull(since, "since");
        if (patients.isEmpty()) {
            throw new dev.followup.InvalidInputException("an outreach window needs at least one patient");
        }
    }
}
