package dev.followup.internal;

import dev.followup.audit.AuditRecord;
import dev.followup.audit.AuditType;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.patient.PatientId;
import dev.followup.spi.PracticeTransaction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes audit events in the caller's transaction, so that an event exists exactly when its change does. */
final class Audits {
    static final String ENGINE = "engine";
    static final String PATIENT = "patient";
    static final String PROVIDER = "provider";
    static final String SYSTEM = "system";

    private Audits() {
    }

    static void record(PracticeTransaction tx, AuditType type, String actor, @Nullable FollowUpId followUpId,
            @Nullable PatientId patientId, Instant at, String... keyValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                attributes.put(keyValues[i], keyValues[i + 1]);
            }
        }
        tx.appendAudit(new AuditRecord(type, actor, followUpId, patientId, attributes, at));
    }

    static void of(PracticeTransaction tx, AuditType type, String actor, FollowUp f, Instant at, String... keyValues) {
        record(tx, type, actor, f.id(), f.patientId(), at, keyValues);
    }

    /** Saves a follow-up transition and audits the state change, if the state changed. */
    static FollowUp transition(PracticeTransaction tx, FollowUp before, FollowUp after, String actor, Instant at, String reason) {
        if (after == before) {
            return before; // nothing changed (e.g. a second reply)
        }
        tx.updateFollowUp(after);
        if (before.state() != after.state()) {
            record(tx, AuditType.STATE_CHANGED, actor, after.id(), after.patientId(), at,
                    "from", before.state().name(), "to", after.state().name(), "reason", reason);
        }
        return after;
    }
}
