package dev.followup.internal;

import dev.followup.PracticeSettings;
import dev.followup.audit.AuditType;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.followup.BatchId;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.ingest.CsvMapping;
import dev.followup.ingest.ImportResult;
import dev.followup.ingest.ParsedRow;
import dev.followup.ingest.PatientListReader;
import dev.followup.ingest.PatientRecord;
import dev.followup.ingest.RowError;
import dev.followup.patient.Language;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.PracticeTransaction;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a patient list into patients and follow-ups: streamed row by row, written in chunks of
 * one transaction and a few batched statements each, with the need key making a re-import of the same or an overlapping list
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
            } else if (dueDatePassed(((ParsedRow.Accepted) row).record(), practice)) {
                // Its follow-up would close as expired at its first step, nobody contacted: say so rather than count it in.
                result.addRejected(new RowError(row.line(), "due date has passed: no follow-up created, nobody would be contacted"));
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
        ctx.inTransaction(practiceId, tx -> {
            Audits.record(tx, AuditType.BATCH_INGESTED, Audits.SYSTEM, null, null, now, "batch", batchId.value(),
                    "rows", Integer.toString(done.rowsRead()), "accepted", Integer.toString(done.accepted()),
                    "known", Integer.toString(done.alreadyKnown()), "rejected", Integer.toString(done.rejected()));
            return null;
        });
        return done;
    }

    /**
     * Opts out a new patient without an MRN who has the email address and name of a stored patient
     * whose latest consent is an opt-out. Most often they are the same person, whom a later list
     * brings with another number, or none, and so as a new patient; and when they are not (a father
     * and son of one name sharing a family address), a text that does not go is the mistake to
     * make, not one that does. The patients stay apart: nothing of one is sent to the other.
     */
    private static void carryOptOuts(PracticeTransaction tx, Collection<Patient> newPatients, Instant now) {
        Map<String, List<Patient>> byContact = new HashMap<>();
        for (Patient p : newPatients) {
            if (p.contactKey() != null) {
                byContact.computeIfAbsent(p.contactKey(), k -> new ArrayList<>()).add(p);
            }
        }
        if (byContact.isEmpty()) {
            return;
        }
        Set<PatientId> fresh = new HashSet<>();
        newPatients.forEach(p -> fresh.add(p.id()));
        Map<String, List<PatientId>> stored = tx.patientsByContactKeys(byContact.keySet());
        Set<PatientId> earlier = new LinkedHashSet<>();
        stored.values().forEach(ids -> ids.stream().filter(id -> !fresh.contains(id)).forEach(earlier::add));
        if (earlier.isEmpty()) {
            return;
        }
        Map<PatientId, ConsentChange> consents = tx.latestConsentsOfPatients(earlier);
        stored.forEach((contactKey, ids) -> {
            boolean optedOut = ids.stream().map(consents::get)
                    .anyMatch(c -> c != null && c.status() == ConsentStatus.OPTED_OUT);
            if (optedOut) {
                for (Patient p : byContact.get(contactKey)) {
                    tx.recordConsent(new ConsentChange(tx.practiceId(), p.id(), null, ConsentStatus.OPTED_OUT, ConsentSource.IMPORT, now));
                    Audits.record(tx, AuditType.CONSENT_CHANGED, Audits.SYSTEM, null, p.id(), now, "status", ConsentStatus.OPTED_OUT.name(),
                            "source", ConsentSource.IMPORT.name(), "reason", "same-email-and-name-as-an-opted-out-patient");
                }
            }
        });
    }

    /**
     * Lifts the suppressions a list's new numbers and addresses make stale: a text to a number that
     * did not exist, or a bounced email, said nothing of the patient's next number or address.
     */
    private static void restoreChannels(PracticeTransaction tx, Map<Channel, Set<PatientId>> newAddress, Instant now) {
        if (newAddress.isEmpty()) {
            return;
        }
        Set<PatientId> changed = new LinkedHashSet<>();
        newAddress.values().forEach(changed::addAll);
        Map<PatientId, Set<Channel>> suppressed = tx.suppressedChannelsOf(changed);
        newAddress.forEach((channel, patients) -> {
            List<PatientId> lifted = patients.stream().filter(id -> suppressed.getOrDefault(id, Set.of()).contains(channel)).toList();
            if (!lifted.isEmpty()) {
                tx.liftSuppressions(channel, lifted);
                lifted.forEach(id -> Audits.record(tx, AuditType.CHANNEL_RESTORED, Audits.SYSTEM, null, id, now,
                        "channel", channel.name(), "reason", "address-changed"));
            }
        });
    }

    /** The runner's rule for closing a follow-up as expired, in the patient's zone, applied on the day of the import. */
    private boolean dueDatePassed(PatientRecord r, Practice practice) {
        ZoneId zone = r.timeZone() != null ? r.timeZone() : practice.timeZone();
        return r.dueDate() != null && ctx.clock().instant().atZone(zone).toLocalDate().isAfter(r.dueDate());
    }

    /**
     * Writes one chunk in one transaction with a fixed number of store calls, whatever its size:
     * look up the chunk's known patients, insert the new ones and save the changed ones, insert the
     * follow-ups, and audit what was created. Row-at-a-time writes cost a database round trip per
     * statement per row.
     */
    private void flush(Practice practice, BatchId batchId, List<ParsedRow.Accepted> chunk, ImportResult.Builder result) {
        if (chunk.isEmpty()) {
            return;
        }
        Instant now = ctx.clock().instant();
        List<Patient> candidates = new ArrayList<>(chunk.size());
        // Patient.identityKey() is a SHA-256 each time it is asked: ask once per row.
        List<String> identityKeys = new ArrayList<>(chunk.size());
        for (ParsedRow.Accepted row : chunk) {
            PatientRecord r = row.record();
            Patient candidate = new Patient(PatientId.of(ctx.newId()), practice.id(), r.mrn(), r.firstName(), r.lastName(), r.phone(),
                    r.email(), r.language() == null ? Language.ENGLISH : r.language(), r.timeZone());
            candidates.add(candidate);
            identityKeys.add(candidate.identityKey());
        }
        PracticeSettings settings = ctx.settings(practice.id());
        List<Boolean> inserted = ctx.inTransaction(practice.id(), tx -> {
            Map<String, Patient> stored = new HashMap<>(tx.patientsByIdentityKeys(new LinkedHashSet<>(identityKeys)));
            // Keyed by id so that a patient listed twice in a chunk is written once, with the last row's details.
            Map<PatientId, Patient> toInsert = new LinkedHashMap<>();
            Map<PatientId, Patient> toUpdate = new LinkedHashMap<>();
            List<FollowUp> followUps = new ArrayList<>(chunk.size());
            // Patients whose number or address a list changed: a suppression of that channel was about the old one.
            Map<Channel, Set<PatientId>> newAddress = new EnumMap<>(Channel.class);
            for (int i = 0; i < chunk.size(); i++) {
                PatientRecord r = chunk.get(i).record();
                Patient candidate = candidates.get(i);
                String identityKey = identityKeys.get(i);
                Patient known = stored.get(identityKey);
                Patient patient = known == null ? candidate : candidate.withId(known.id());
                if (known != null && !toInsert.containsKey(known.id())) {
                    if (patient.phone() != null && (known.phone() == null || !known.phone().e164().equals(patient.phone().e164()))) {
                        newAddress.computeIfAbsent(Channel.SMS, c -> new LinkedHashSet<>()).add(patient.id());
                    }
                    if (patient.email() != null && (known.email() == null
                            || !known.email().value().equalsIgnoreCase(patient.email().value()))) {
                        newAddress.computeIfAbsent(Channel.EMAIL, c -> new LinkedHashSet<>()).add(patient.id());
                    }
                }
                if (!patient.equals(known)) {
                    // New (to the store, or to this chunk), or contact details changed since the last list.
                    (known == null || toInsert.containsKey(known.id()) ? toInsert : toUpdate).put(patient.id(), patient);
                    stored.put(identityKey, patient);
                }
                String needKey = identityKey + "|" + r.type().code() + "|" + r.provider().id() + "|"
                        + (r.dueDate() == null ? "-" : r.dueDate().toString());
                String policy = settings.policyFor(r.type());
                followUps.add(FollowUp.open(FollowUpId.of(ctx.newId()), practice.id(), patient.id(), r.provider(), r.type(),
                        r.preferredWindow(), r.dueDate(), batchId, needKey, policy, now, now));
            }
            tx.insertPatients(List.copyOf(toInsert.values()));
            carryOptOuts(tx, toInsert.values(), now);
            // In id order: the order a text's recipient lock takes patients' rows in (H2), so that neither waits on the other in a cycle.
            tx.savePatients(toUpdate.values().stream().sorted(Comparator.comparing(p -> p.id().value())).toList());
            restoreChannels(tx, newAddress, now);
            List<Boolean> created = tx.insertFollowUps(followUps);
            for (int i = 0; i < followUps.size(); i++) {
                if (created.get(i)) {
                    FollowUp f = followUps.get(i);
                    Audits.of(tx, AuditType.FOLLOW_UP_CREATED, Audits.SYSTEM, f, now, "batch", batchId.value(),
                            "policy", f.policyName(), "type", f.type().code());
                }
            }
            return created;
        });
        for (int i = 0; i < chunk.size(); i++) {
            if (inserted.get(i)) {
                result.addAccepted(chunk.get(i));
            } else {
                result.addAlreadyKnown(chunk.get(i));
            }
        }
        chunk.clear();
    }
}
