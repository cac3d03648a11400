package dev.followup.internal;

import dev.followup.audit.AuditType;
import dev.followup.followup.BatchId;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.ingest.CsvMapping;
import dev.followup.ingest.ImportResult;
import dev.followup.ingest.ParsedRow;
import dev.followup.ingest.PatientListReader;
import dev.followup.ingest.PatientRecord;
import dev.followup.patient.Language;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.PracticeTransaction;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a patient list into patients and follow-ups: streamed row by row, written in chunks of
 * one transaction each, with the need key making a re-import of the same or an overlapping list
 * add nothing twice.
 */
public final class Ingestor {
    private static final int CHUNK = 500;
    private final EngineContext ctx;

    /** @param ctx the engine's shared context */
    public Ingestor(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param practiceId the practice the list belongs to
     * @param csv the file's bytes
     * @param mapping the column mapping, or null to detect it from the header row
     * @return counts, and every rejected row with its line number and reason
     */
    public ImportResult ingest(PracticeId practiceId, InputStream csv, @Nullable CsvMapping mapping) {
        Practice practice = ctx.practice(practiceId);
        PatientListReader.Builder reader = PatientListReader.builder().region(practice.phoneRegion());
        if (mapping != null) {
            reader.mapping(mapping);
        }
        BatchId batchId = BatchId.random();
        ImportResult.Builder result = ImportResult.builder(batchId);
        List<ParsedRow.Accepted> chunk = new ArrayList<>(CHUNK);
        reader.build().read(csv, row -> {
            if (row instanceof ParsedRow.Rejected rejected) {
                result.addRejected(rejected.error());
            } else {
                chunk.add((ParsedRow.Accepted) row);
                if (chunk.size() >= CHUNK) {
                    flush(practice, batchId, chunk, result);
                }
            }
        });
        flush(practice, batchId, chunk, result);
        ImportResult done = result.build();
        Instant now = ctx.clock().instant();
        ctx.store().inTransaction(practiceId, tx -> {
            Audits.record(tx, AuditType.BATCH_INGESTED, Audits.SYSTEM, null, null, now, "batch", batchId.value(),
                    "rows", Integer.toString(done.rowsRead()), "accepted", Integer.toString(done.accepted()),
                    "known", Integer.toString(done.alreadyKnown()), "rejected", Integer.toString(done.rejected()));
            return null;
        });
        return done;
    }

    private void flush(Practice practice, BatchId batchId, List<ParsedRow.Accepted> chunk, ImportResult.Builder result) {
        if (chunk.isEmpty()) {
            return;
        }
        Instant now = ctx.clock().instant();
        ctx.store().inTransaction(practice.id(), tx -> {
            for (ParsedRow.Accepted row : chunk) {
                if (insert(tx, practice, batchId, row.record(), now)) {
                    result.addAccepted(row);
                } else {
                    result.addAlreadyKnown(row);
                }
            }
            return null;
        });
        chunk.clear();
    }

    private boolean insert(PracticeTransaction tx, Practice practice, BatchId batchId, PatientRecord r, Instant now) {
        Patient candidate = new Patient(PatientId.random(), practice.id(), r.mrn(), r.firstName(), r.lastName(), r.phone(), r.email(),
                r.language() == null ? Language.ENGLISH : r.language(), r.timeZone());
        Patient patient = tx.patientByIdentityKey(candidate.identityKey()).map(known -> candidate.withId(known.id())).orElse(candidate);
        if (!tx.patient(patient.id()).map(patient::equals).orElse(false)) {
            tx.savePatient(patient); // new, or contact details changed since the last list
        }
        String needKey = patient.identityKey() + "|" + r.type().code() + "|" + r.provider().id() + "|"
                + (r.dueDate() == null ? "-" : r.dueDate().toString());
        String policy = ctx.settings(practice.id()).policyFor(r.type());
        FollowUp f = FollowUp.open(FollowUpId.random(), practice.id(), patient.id(), r.provider(), r.type(), r.preferredWindow(),
                r.dueDate(), batchId, needKey, policy, now, now);
        if (!tx.insertFollowUp(f)) {
            return false;
        }
        Audits.of(tx, AuditType.FOLLOW_UP_CREATED, Audits.SYSTEM, f, now, "batch", batchId.value(), "policy", policy, "type", f.type().code());
        return true;
    }
}
