package dev.followup.audit;

import dev.followup.Identifiers;
import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An audit event before it is chained: who did what, when, to which follow-up and patient (by id).
 * Attributes are short identifiers and codes only — a key or value that looks like free text is
 * refused, because the audit trail outlives message retention and must never hold PHI.
 *
 * @param type what happened
 * @param actor who did it: {@code engine}, {@code patient}, {@code provider}, {@code staff:<id>}, {@code system}
 * @param followUpId the follow-up, if any
 * @param patientId the patient, if any
 * @param attributes ids, states, codes and counts
 * @param occurredAt when
 */
public record AuditRecord(
        AuditType type,
        String actor,
        @Nullable FollowUpId followUpId,
        @Nullable PatientId patientId,
        Map<String, String> attributes,
        Instant occurredAt) {
    private static final int MAX_TOKEN = 80;

    /** Validates the record and sorts its attributes. */
    public AuditRecord {
        if (type == null || actor == null || !isToken(actor) || occurredAt == null) {
            throw new InvalidInputException("audit record needs a type, an actor token and a time");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!isToken(e.getKey()) || e.getValue() == null || !isToken(e.getValue())) {
                throw new InvalidInputException("audit attribute '" + (isToken(e.getKey()) ? e.getKey() : "?")
                        + "' must be a short token (ids and codes only, never free text)");
            }
            sorted.put(e.getKey(), e.getValue());
        }
        attributes = java.util.Collections.unmodifiableMap(sorted);
    }

    /**
     * Up to 80 characters of an identifier ({@link Identifiers#isIdentifierChar}), {@code +} or
     * {@code /}: ids, codes and tokens, never free text.
     * Checked by hand: every audit event checks several, and a matcher each was a measurable share
     * of the engine's CPU.
     */
    static boolean isToken(@Nullable String s) {
        if (s == null || s.length() > MAX_TOKEN) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Identifiers.isIdentifierChar(c) && c != '+' && c != '/') {
                return false;
            }
        }
        return true;
    }
}
