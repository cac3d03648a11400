package dev.followup.jdbc.internal;

import dev.followup.ConcurrentUpdateException;
import dev.followup.InvalidInputException;
import dev.followup.audit.AuditEvent;
import dev.followup.audit.AuditHead;
import dev.followup.audit.AuditRecord;
import dev.followup.audit.AuditType;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.conversation.InboundMessage;
import dev.followup.conversation.ReplyKind;
import dev.followup.followup.BatchId;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.followup.FollowUpType;
import dev.followup.jdbc.internal.FieldCipher.Place;
import dev.followup.message.AttemptState;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.EmailAddress;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.practice.Provider;
import dev.followup.spi.KeyProvider.DataKey;
import dev.followup.spi.OutreachWindow;
import dev.followup.spi.PracticeTransaction;
import dev.followup.spi.ProviderCopy;
import dev.followup.spi.ReplyContext;
import dev.followup.spi.SendCheck;
import dev.followup.spi.WeeklyCounts;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskOutcome;
import dev.followup.task.TaskPriority;
import dev.followup.task.TaskState;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * {@link PracticeTransaction} on one Jdbi handle whose transaction is open. Every statement names
 * {@code practice_id = :practice}, bound from the transaction, never from an argument: an id of
 * another practice simply matches nothing.
 */
public final class JdbiPracticeTransaction implements PracticeTransaction {
    private static final int STREAM_FETCH_SIZE = 500;
    /** Values per bulk read on H2: two parameters each, well under H2's limit of 100,000 per statement. */
    private static final int H2_VALUES_PER_STATEMENT = 20_000;
    private static final List<String> ACTIVE_STATES = Arrays.stream(FollowUpState.values())
            .filter(s -> !s.isTerminal()).map(Enum::name).toList();

    private static final String PATIENT = "followup_patient";
    private static final String FOLLOW_UP = "followup_follow_up";
    private static final String ATTEMPT = "followup_send_attempt";
    private static final String INBOUND = "followup_inbound_message";
    private static final String CONSENT = "followup_consent";
    private static final String TASK = "followup_task";

    private final Handle handle;
    private final PracticeId practiceId;
    private final String practice;
    private final StoreContext ctx;
    private final List<AuditRecord> pendingAudit = new ArrayList<>();
    /** Updates not yet sent, one batch per statement, in the order they were asked for; see {@link #handle()}. */
    private final Map<String, DeferredUpdates> deferred = new LinkedHashMap<>();
    /**
     * On PostgreSQL, the writes asked for and not yet sent, in order: inserts whose answer nothing
     * needs, and updates whose answer is a row count, up to {@value #MAX_HELD}. They go as one
     * statement list: with the audit chain and {@code COMMIT} at commit ({@link #commitPending()}),
     * or before the next statement that needs an answer. Never held together with {@link #deferred}
     * updates: a long run of updates goes as batches instead.
     */
    private final List<HeldWrite> held = new ArrayList<>();
    /** Writes held for one statement list at most; more go as a list of their own first, or as batches. */
    private static final int MAX_HELD = 8;
    private final boolean ownsCommit;
    /** Set once a statement list has committed the transaction: nothing may be sent after it. */
    private boolean committed;
    /**
     * On PostgreSQL, the provider id of a message that {@link #replyContext(PhoneNumber, String)}
     * found unrecorded in this transaction, whose record may then be held; null otherwise.
     */
    private @Nullable String unrecordedInbound;

    /**
     * @param handle a handle inside a transaction
     * @param practiceId the practice the transaction is bound to
     * @param ctx the store's context
     * @param ownsCommit whether the store began the transaction and commits it, so that PostgreSQL may
     *     be sent the commit with the last statements ({@link #commitPending()}); false inside a
     *     transaction of the caller's
     */
    public JdbiPracticeTransaction(Handle handle, PracticeId practiceId, StoreContext ctx, boolean ownsCommit) {
        this.handle = handle;
        this.practiceId = practiceId;
        this.practice = practiceId.value();
        this.ctx = ctx;
        this.ownsCommit = ownsCommit;
    }

    @Override
    public PracticeId practiceId() {
        return practiceId;
    }

    // --- patients ---

    @Override
    public Optional<Patient> patient(PatientId id) {
        return guard("read patient " + id, () -> query("SELECT * FROM followup_patient WHERE practice_id = :practice AND id = :id")
                .bind("id", id.value()).map(patientMapper()).findFirst());
    }

    @Override
    public Optional<Patient> patientByIdentityKey(String identityKey) {
        return guard("find patient by identity", () -> query(
                "SELECT * FROM followup_patient WHERE practice_id = :practice AND identity_hash = :hash ORDER BY id")
                .bind("hash", ctx.index().identity(practiceId, identityKey)).map(patientMapper()).findFirst());
    }

    @Override
    public List<Patient> patientsByPhone(PhoneNumber phone) {
        return guard("find patients by phone", () -> query(Queries.PATIENTS_BY_PHONE)
                .bind("hash", ctx.index().phone(practiceId, phone)).map(patientMapper()).list());
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the lock is an advisory transaction lock on the recipient (the number's blind
     * index, or the patient's id when there is no number), taken in the same statement list as the
     * read of the patients it covers: a row lock would write every locked row's header on every
     * text. Elsewhere one statement locks the rows in id order (by the number's blind index when
     * there is one, so that every transaction locking a family locks the same rows in the same
     * order, and none waits for another in a cycle).
     */
    @Override
    public List<PatientId> lockRecipient(PatientId patientId, @Nullable PhoneNumber phone) {
        return guard("lock the recipient of patient " + patientId, () -> {
            List<PatientId> locked;
            String phoneHash = phone == null ? null : ctx.index().phone(practiceId, phone);
            if (ctx.dialect() == Dialect.POSTGRESQL) {
                Query lockAndRead = query(Queries.LOCK_RECIPIENT + ";\n" + (phoneHash == null ? Queries.PATIENT_ID : Queries.PATIENT_IDS_BY_PHONE))
                        .bind("recipient", recipientKey(patientId, phoneHash));
                locked = (phoneHash == null ? lockAndRead.bind("id", patientId.value()) : lockAndRead.bind("hash", phoneHash))
                        .execute((statement, context) -> {
                            PreparedStatement ps = statement.get();
                            rowsOf(ps, (rs, sc) -> Boolean.TRUE, context);
                            return nextRowsOf(ps, (rs, sc) -> PatientId.of(rs.getString("id")), context);
                        });
            } else {
                locked = (phoneHash == null ? query(Queries.LOCK_PATIENT).bind("id", patientId.value())
                        : query(Queries.LOCK_PATIENTS_BY_PHONE).bind("hash", phoneHash)).map((rs, sc) -> PatientId.of(rs.getString("id"))).list();
            }
            if (locked.contains(patientId)) {
                return locked;
            }
            // Its number changed since it was read (an import): the patient counts with the family it was read with.
            List<PatientId> withPatient = new ArrayList<>(locked);
            withPatient.add(patientId);
            withPatient.sort(java.util.Comparator.comparing(PatientId::value));
            return List.copyOf(withPatient);
        });
    }

    /** @return what a recipient's advisory lock is taken on: their number's blind index, or the patient's id without one */
    private static String recipientKey(PatientId patientId, @Nullable String phoneHash) {
        return phoneHash == null ? "patient:" + patientId.value() : "phone:" + phoneHash;
    }

    @Override
    public Map<PatientId, Patient> patients(Collection<PatientId> ids) {
        return guard("read " + ids.size() + " patients", () -> {
            Map<PatientId, Patient> found = new HashMap<>();
            bulkRead(Queries.PATIENTS, ids.stream().map(PatientId::value).toList(), q -> q, patientMapper(),
                    p -> found.put(p.id(), p));
            return found;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The numbers are looked up by their blind index, so numbers that differ only in line type
     * share their patients, as they do one by one.
     */
    @Override
    public Map<PhoneNumber, List<Patient>> patientsByPhones(Collection<PhoneNumber> phones) {
        return guard("find patients by " + phones.size() + " phone numbers", () -> {
            Map<String, List<PhoneNumber>> phonesByHash = phonesByHash(phones);
            Map<PhoneNumber, List<Patient>> found = new HashMap<>();
            phones.forEach(phone -> found.put(phone, new ArrayList<>()));
            RowMapper<Patient> patients = patientMapper();
            bulkRead(Queries.PATIENTS_BY_PHONES, phonesByHash.keySet(), q -> q,
                    (rs, sc) -> Map.entry(rs.getString("phone_hash"), patients.map(rs, sc)),
                    row -> phonesByHash.get(row.getKey()).forEach(phone -> found.get(phone).add(row.getValue())));
            return found;
        });
    }

    /** Groups the caller's numbers by blind index: the rows come back by hash, the answer is keyed by number. */
    private Map<String, List<PhoneNumber>> phonesByHash(Collection<PhoneNumber> phones) {
        Map<String, List<PhoneNumber>> byHash = new LinkedHashMap<>();
        for (PhoneNumber phone : new LinkedHashSet<>(phones)) {
            byHash.computeIfAbsent(ctx.index().phone(practiceId, phone), h -> new ArrayList<>()).add(phone);
        }
        return byHash;
    }

    @Override
    public void savePatient(Patient patient) {
        requireOwn(patient.practiceId(), "patient " + patient.id());
        guard("save patient " + patient.id(), () -> bindPatient(handle().createUpdate(ctx.dialect().upsertPatient()), patient,
                patient.id().value()).execute());
    }

    @Override
    public Map<String, Patient> patientsByIdentityKeys(Collection<String> identityKeys) {
        if (identityKeys.isEmpty()) {
            return Map.of();
        }
        return guard("find patients by identity", () -> {
            Map<String, String> keyByHash = keysByBlindIndex(identityKeys);
            Map<String, Patient> found = new HashMap<>();
            RowMapper<Patient> patients = patientMapper();
            // Should two rows share an identity, the lower id wins, as in patientByIdentityKey.
            bulkRead(Queries.PATIENTS_BY_IDENTITY, keyByHash.keySet(), q -> q,
                    (rs, sc) -> Map.entry(keyByHash.get(rs.getString("identity_hash")), patients.map(rs, sc)),
                    e -> found.merge(e.getKey(), e.getValue(), (a, b) -> a.id().value().compareTo(b.id().value()) <= 0 ? a : b));
            return found;
        });
    }

    /** @return patient keys (identity or contact) by their blind index, as the patient table stores them */
    private Map<String, String> keysByBlindIndex(Collection<String> keys) {
        Map<String, String> keyByHash = new HashMap<>();
        for (String key : keys) {
            keyByHash.put(ctx.index().identity(practiceId, key), key);
        }
        return keyByHash;
    }

    @Override
    public Map<String, List<PatientId>> patientsByContactKeys(Collection<String> contactKeys) {
        if (contactKeys.isEmpty()) {
            return Map.of();
        }
        return guard("find patients by contact", () -> {
            Map<String, String> keyByHash = keysByBlindIndex(contactKeys);
            Map<String, List<PatientId>> found = new HashMap<>();
            bulkRead(Queries.PATIENTS_BY_CONTACT, keyByHash.keySet(), q -> q,
                    (rs, sc) -> Map.entry(keyByHash.get(rs.getString("contact_hash")), PatientId.of(rs.getString("id"))),
                    e -> found.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            return found;
        });
    }

    @Override
    public void savePatients(List<Patient> patients) {
        writePatients(patients, true);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Plain inserts: PostgreSQL's upsert first searches the primary key and inserts
     * speculatively, H2's MERGE searches too, and a new id needs neither.
     */
    @Override
    public void insertPatients(List<Patient> patients) {
        writePatients(patients, false);
    }

    private static final String INSERT_PATIENT_ROWS = ColumnArrays.unnested(Dialect.INSERT_PATIENT);
    private static final String UPSERT_PATIENT_ROWS = ColumnArrays.unnested(Dialect.POSTGRESQL.upsertPatient());

    /**
     * PostgreSQL: one statement for the list ({@link ColumnArrays}). An upsert may not touch a row
     * twice in one statement, so it gets each id's last entry, which is the one a batch would have
     * left. H2: one batch.
     */
    private void writePatients(List<Patient> patients, boolean upsert) {
        if (patients.isEmpty()) {
            return;
        }
        patients.forEach(p -> requireOwn(p.practiceId(), "patient " + p.id()));
        guard((upsert ? "save " : "insert ") + patients.size() + " patients", () -> {
            if (ctx.dialect() == Dialect.POSTGRESQL) {
                List<Patient> rows = patients;
                if (upsert) {
                    Map<PatientId, Patient> lastById = new LinkedHashMap<>();
                    patients.forEach(p -> lastById.put(p.id(), p));
                    rows = List.copyOf(lastById.values());
                }
                Update write = handle().createUpdate(upsert ? UPSERT_PATIENT_ROWS : INSERT_PATIENT_ROWS);
                ColumnArrays.of(rows, (row, p) -> writePatient(row, p, p.id().value())).bindTo(write);
                return write.execute();
            }
            String statement = upsert ? ctx.dialect().upsertPatient() : Dialect.INSERT_PATIENT;
            PreparedBatch batch = handle().prepareBatch(statement);
            for (Patient p : patients) {
                bindPatient(batch, p, p.id().value()).add();
            }
            return batch.execute();
        });
    }

    private <S extends SqlStatement<S>> S bindPatient(S u, Patient p, String id) {
        writePatient(ColumnWriter.to(u, ""), p, id);
        return u;
    }

    /** A patient's row, its PHI encrypted and bound to {@code id}. */
    private void writePatient(ColumnWriter row, Patient p, String id) {
        FieldCipher c = ctx.cipher();
        DataKey key = c.currentKey(); // once for the row: its key_id must name the key of every value
        row.text("practice", practice).text("id", id)
                .text("identity", ctx.index().identity(practiceId, p.identityKey()))
                .text("contact", p.contactKey() == null ? null : ctx.index().identity(practiceId, p.contactKey()))
                .text("phoneHash", p.phone() == null ? null : ctx.index().phone(practiceId, p.phone()))
                .text("key", key.id())
                .bytes("mrn", c.encrypt(p.mrn() == null ? null : p.mrn().value(), place(PATIENT, "mrn", id), key))
                .bytes("first", c.encrypt(p.firstName(), place(PATIENT, "first_name", id), key))
                .bytes("last", c.encrypt(p.lastName(), place(PATIENT, "last_name", id), key))
                .bytes("phone", c.encrypt(p.phone() == null ? null : p.phone().e164(), place(PATIENT, "phone", id), key))
                .text("lineType", p.phone() == null ? null : p.phone().lineType().name())
                .bytes("email", c.encrypt(p.email() == null ? null : p.email().value(), place(PATIENT, "email", id), key))
                .text("language", p.language().code())
                .text("zone", p.timeZone() == null ? null : p.timeZone().getId());
    }

    private RowMapper<Patient> patientMapper() {
        return (rs, sc) -> {
            String id = rs.getString("id");
            FieldCipher c = ctx.cipher();
            String mrn = c.decrypt(rs.getBytes("mrn_enc"), place(PATIENT, "mrn", id));
            String phone = c.decrypt(rs.getBytes("phone_enc"), place(PATIENT, "phone", id));
            String email = c.decrypt(rs.getBytes("email_enc"), place(PATIENT, "email", id));
            String zone = rs.getString("time_zone");
            return new Patient(PatientId.of(id), practiceId, mrn == null ? null : new Mrn(mrn),
                    c.decrypt(rs.getBytes("first_name_enc"), place(PATIENT, "first_name", id)),
                    c.decrypt(rs.getBytes("last_name_enc"), place(PATIENT, "last_name", id)),
                    phone == null ? null : new PhoneNumber(phone, PhoneNumber.LineType.valueOf(rs.getString("phone_line_type"))),
                    email == null ? null : EmailAddress.of(email), new Language(rs.getString("language")),
                    zone == null ? null : ZoneId.of(zone));
        };
    }

    // --- follow-ups and timers ---

    @Override
    public Optional<FollowUp> followUp(FollowUpId id) {
        return guard("read follow-up " + id, () -> query("SELECT * FROM followup_follow_up WHERE practice_id = :practice AND id = :id")
                .bind("id", id.value()).map(followUpMapper()).findFirst());
    }

    @Override
    public boolean insertFollowUp(FollowUp f) {
        requireOwn(f.practiceId(), "follow-up " + f.id());
        return guard("insert follow-up " + f.id(), () -> {
            Update insert = handle().createUpdate(INSERT_FOLLOW_UP + ctx.dialect().onConflictDoNothing());
            bindFollowUp(insert, f, "");
            return insertUnlessExists(insert);
        });
    }

    private static final String INSERT_FOLLOW_UP = "INSERT INTO followup_follow_up (practice_id, id, patient_id, provider_id,"
            + " provider_name, type_code, preferred_days, preferred_from, preferred_to, due_date, batch_id, need_hash, key_id,"
            + " need_key_enc, policy_name, state, next_step, next_action_at, created_at, first_contact_at, last_outreach_channel,"
            + " replied_at, responded_channel, closed_at, offered_slots, slot_offers, version) VALUES (:practice, :id, :patient,"
            + " :providerId, :providerName, :type, :days, :from, :to, :due, :batch, :needHash, :key, :need, :policy, :state,"
            + " :nextStep, :nextAt, :createdAt, :contactedAt, :lastChannel, :repliedAt, :respondedChannel, :closedAt, :slots,"
            + " :slotOffers, :version)";

    /**
     * {@inheritDoc}
     *
     * <p>PostgreSQL: one {@code INSERT … SELECT … FROM unnest(…) ON CONFLICT DO NOTHING RETURNING id}
     * for the whole list, whose returned ids say which rows went in, whatever the driver's batch
     * settings. H2: one batch. H2 has no such clause: one query drops the needs
     * already stored and repeats within the list first, and a row that still collides (a concurrent
     * import of the same need) fails alone, H2 carrying on with the rest of the batch.
     */
    @Override
    public List<Boolean> insertFollowUps(List<FollowUp> followUps) {
        if (followUps.isEmpty()) {
            return List.of();
        }
        followUps.forEach(f -> requireOwn(f.practiceId(), "follow-up " + f.id()));
        return guard("insert " + followUps.size() + " follow-ups", () -> ctx.dialect() == Dialect.POSTGRESQL
                ? insertFollowUpRows(followUps) : insertFollowUpBatchSkippingKnown(followUps));
    }

    /**
     * PostgreSQL: one statement for the whole list, which returns the ids it inserted; a need
     * already stored, or listed before in the same list, is skipped by {@code ON CONFLICT DO NOTHING}.
     */
    private List<Boolean> insertFollowUpRows(List<FollowUp> followUps) {
        Query insert = handle().createQuery(INSERT_FOLLOW_UP_ROWS);
        ColumnArrays.of(followUps, this::writeFollowUp).bindTo(insert);
        Set<String> inserted = insert.mapTo(String.class).collect(Collectors.toSet());
        return followUps.stream().map(f -> inserted.contains(f.id().value())).toList();
    }

    private static final String INSERT_FOLLOW_UP_ROWS = ColumnArrays.unnested(INSERT_FOLLOW_UP) + " ON CONFLICT DO NOTHING RETURNING id";

    private List<Boolean> insertFollowUpBatchSkippingKnown(List<FollowUp> followUps) {
        List<String> needHashes = followUps.stream().map(f -> ctx.index().need(practiceId, f.needKey())).toList();
        Set<String> known = new HashSet<>();
        bulkRead(Queries.FOLLOW_UPS_BY_NEED, needHashes, q -> q, (rs, sc) -> rs.getString("need_hash"), known::add);
        List<FollowUp> fresh = new ArrayList<>();
        for (int i = 0; i < followUps.size(); i++) {
            if (known.add(needHashes.get(i))) { // also marks the need as known: a need listed twice goes in once
                fresh.add(followUps.get(i));
            }
        }
        Set<String> inserted = fresh.stream().map(f -> f.id().value()).collect(Collectors.toSet());
        if (!fresh.isEmpty()) {
            PreparedBatch batch = handle().prepareBatch(INSERT_FOLLOW_UP);
            fresh.forEach(f -> {
                bindFollowUp(batch, f, "");
                batch.add();
            });
            try {
                batch.execute();
            } catch (RuntimeException e) {
                if (!onlyUniqueViolations(e)) {
                    throw e;
                }
                inserted = storedIds(fresh);
            }
        }
        Set<String> ours = inserted;
        return followUps.stream().map(f -> ours.contains(f.id().value())).toList();
    }

    private static boolean onlyUniqueViolations(RuntimeException e) {
        if (!(Failures.sqlCause(e) instanceof java.sql.BatchUpdateException batch)) {
            return false;
        }
        for (java.sql.SQLException s = batch; s != null; s = s.getNextException()) {
            if (!Failures.UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return false;
            }
        }
        return true;
    }

    private Set<String> storedIds(List<FollowUp> followUps) {
        Set<String> stored = new HashSet<>();
        bulkRead(Queries.FOLLOW_UPS, followUps.stream().map(f -> f.id().value()).toList(), q -> q, (rs, sc) -> rs.getString("id"),
                stored::add);
        return stored;
    }

    /**
     * Reads the rows of many values with one statement ({@link Queries.BulkRead}), each value once:
     * nothing is run for none. PostgreSQL takes the values as one array parameter, so any number goes
     * in one statement; H2 takes two parameters per value and refuses more than 100,000, so a list
     * longer than {@link #H2_VALUES_PER_STATEMENT} is read in several.
     */
    private <T> void bulkRead(Queries.BulkRead read, Collection<String> values, UnaryOperator<Query> binder, RowMapper<T> mapper,
            Consumer<? super T> sink) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(values));
        if (distinct.isEmpty()) {
            return;
        }
        if (ctx.dialect() == Dialect.POSTGRESQL) {
            binder.apply(query(read.postgres()).bindArray("values", String.class, distinct)).map(mapper).forEach(sink);
            return;
        }
        for (int from = 0; from < distinct.size(); from += H2_VALUES_PER_STATEMENT) {
            List<String> slice = distinct.subList(from, Math.min(distinct.size(), from + H2_VALUES_PER_STATEMENT));
            Query q = query(read.h2(slice.size()));
            for (int i = 0; i < slice.size(); i++) {
                q.bind("v" + i, slice.get(i));
            }
            binder.apply(q).map(mapper).forEach(sink);
        }
    }

    @Override
    public void updateFollowUp(FollowUp next) {
        update(next, null);
    }

    @Override
    public void updateFollowUpAndRelease(FollowUp next, String owner) {
        update(next, owner);
    }

    /** @param releasedBy a node whose lease the same write releases, if any */
    private void update(FollowUp next, @Nullable String releasedBy) {
        requireOwn(next.practiceId(), "follow-up " + next.id());
        if (releasedBy == null && replacedHeldUpdate(next)) {
            return;
        }
        String lost = "follow-up " + next.id() + " is not at version " + (next.version() - 1) + " in practice " + practiceId;
        guard("update follow-up " + next.id(), () -> {
            write(releasedBy == null ? Queries.UPDATE_FOLLOW_UP : Queries.UPDATE_FOLLOW_UP_AND_RELEASE, "follow-up updates",
                    "update follow-up " + next.id(), next.id().value(), lost, next, followUpBinder(next, next.version() - 1, releasedBy));
            return null;
        });
    }

    private Binder followUpBinder(FollowUp next, long previousVersion, @Nullable String releasedBy) {
        return (statement, s) -> {
            if (releasedBy != null) {
                statement.bind("owner" + s, releasedBy);
            }
            bindFollowUp(statement, next, s);
            statement.bind("previousVersion" + s, previousVersion);
        };
    }

    /**
     * Two updates of one follow-up in one transaction (a reply's own transition, then the close or
     * the staff task it leads to) become one write while the first is still held: the second's
     * values, guarded on the version the first expected. The row then gets one new version instead
     * of two, and each of its indexes one entry instead of two. Nothing held between them reads the
     * row: held statements are all writes.
     *
     * @return whether {@code next} replaced a held update of the same follow-up
     */
    private boolean replacedHeldUpdate(FollowUp next) {
        for (int i = held.size() - 1; i >= 0; i--) {
            HeldWrite earlier = held.get(i);
            FollowUp written = earlier.followUp();
            if (written != null && written.id().equals(next.id())) {
                if (!earlier.sql().equals(Queries.UPDATE_FOLLOW_UP) || written.version() != next.version() - 1) {
                    return false;
                }
                held.set(i, new HeldWrite(Queries.UPDATE_FOLLOW_UP, earlier.what(), earlier.batch(), earlier.row(), earlier.ifUnchanged(), next,
                        followUpBinder(next, written.version() - 1, null)));
                return true;
            }
        }
        return false;
    }

    /** Binds a follow-up's columns to an insert or update, or to a batch's entry, which the caller then adds. */
    private void bindFollowUp(SqlStatement<?> u, FollowUp f, String s) {
        writeFollowUp(ColumnWriter.to(u, s), f);
    }

    /** A follow-up's row, its need key encrypted and bound to its id. */
    private void writeFollowUp(ColumnWriter row, FollowUp f) {
        String id = f.id().value();
        DataKey key = ctx.cipher().currentKey();
        row.text("practice", practice).text("id", id).text("patient", f.patientId().value())
                .text("providerId", f.provider().id()).text("providerName", f.provider().displayName())
                .text("type", f.type().code()).integer("days", TextCodecs.days(f.preferredWindow().days()))
                .bigint("from", f.preferredWindow().from().toNanoOfDay()).bigint("to", f.preferredWindow().to().toNanoOfDay())
                .date("due", f.dueDate()).text("batch", f.batchId().value())
                .text("needHash", ctx.index().need(practiceId, f.needKey()))
                .text("key", key.id())
                .bytes("need", ctx.cipher().encrypt(f.needKey(), place(FOLLOW_UP, "need_key", id), key))
                .text("policy", f.policyName()).text("state", f.state().name()).integer("nextStep", f.nextStep())
                .instant("nextAt", f.nextActionAt()).instant("createdAt", f.createdAt())
                .instant("contactedAt", f.firstContactAt())
                .text("lastChannel", name(f.lastOutreachChannel())).instant("repliedAt", f.repliedAt())
                .text("respondedChannel", name(f.respondedChannel())).instant("closedAt", f.closedAt())
                .text("slots", TextCodecs.slots(f.offeredSlots())).integer("slotOffers", f.slotOffers())
                .bigint("version", f.version());
    }

    private RowMapper<FollowUp> followUpMapper() {
        return (rs, sc) -> {
            String id = rs.getString("id");
            String last = rs.getString("last_outreach_channel");
            String responded = rs.getString("responded_channel");
            return new FollowUp(FollowUpId.of(id), practiceId, PatientId.of(rs.getString("patient_id")),
                    new Provider(rs.getString("provider_id"), rs.getString("provider_name")),
                    FollowUpType.of(rs.getString("type_code")),
                    TextCodecs.window(rs.getInt("preferred_days"), rs.getLong("preferred_from"), rs.getLong("preferred_to")),
                    Sql.date(rs, "due_date"), BatchId.of(rs.getString("batch_id")),
                    ctx.cipher().decrypt(rs.getBytes("need_key_enc"), place(FOLLOW_UP, "need_key", id)),
                    rs.getString("policy_name"), FollowUpState.valueOf(rs.getString("state")), rs.getInt("next_step"),
                    Sql.instant(rs, "next_action_at"), Sql.instant(rs, "created_at"), Sql.instant(rs, "first_contact_at"),
                    last == null ? null : Channel.valueOf(last), Sql.instant(rs, "replied_at"),
                    responded == null ? null : Channel.valueOf(responded), Sql.instant(rs, "closed_at"),
                    TextCodecs.slots(rs.getString("offered_slots")), rs.getInt("slot_offers"), rs.getLong("version"));
        };
    }

    @Override
    public Optional<FollowUp> followUpByNeedKey(String needKey) {
        return guard("find follow-up by need", () -> query(Queries.FOLLOW_UP_BY_NEED)
                .bind("hash", ctx.index().need(practiceId, needKey)).map(followUpMapper()).findFirst());
    }

    @Override
    public List<FollowUp> activeFollowUps(PatientId patientId) {
        return guard("list active follow-ups of patient " + patientId, () -> query(
                "SELECT * FROM followup_follow_up WHERE practice_id = :practice AND patient_id = :patient" + ACTIVE_IN_ORDER)
                .bind("patient", patientId.value()).bindList("states", ACTIVE_STATES).map(followUpMapper()).list());
    }

    private static final String ACTIVE_IN_ORDER = " AND state IN (<states>) ORDER BY created_at, id";

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the four reads go to the server as one statement list, in one round trip,
     * each finding the patients by the number's blind index.
     */
    @Override
    public ReplyContext replyContext(PhoneNumber from) {
        if (ctx.dialect() != Dialect.POSTGRESQL) {
            return PracticeTransaction.super.replyContext(from);
        }
        return readReplyContext(from, null);
    }

    /**
     * On PostgreSQL, also whether the message is recorded, in the same round trip; when it is not,
     * {@link #recordInbound} holds its insert to send with the transaction's other writes.
     */
    @Override
    public ReplyContext replyContext(PhoneNumber from, String providerMessageId) {
        if (ctx.dialect() != Dialect.POSTGRESQL) {
            return PracticeTransaction.super.replyContext(from, providerMessageId);
        }
        ReplyContext context = readReplyContext(from, providerMessageId);
        unrecordedInbound = context.recordedBefore() ? null : providerMessageId;
        return context;
    }

    /** @param providerMessageId a message to look for as well, or null */
    private ReplyContext readReplyContext(PhoneNumber from, @Nullable String providerMessageId) {
        return guard("read the patients, follow-ups and consent of a phone number", () -> {
            Query read = query(providerMessageId == null ? REPLY_CONTEXT : REPLY_CONTEXT_AND_INBOUND)
                    .bind("hash", ctx.index().phone(practiceId, from)).bindList("states", ACTIVE_STATES);
            if (providerMessageId != null) {
                read.bind("providerId", providerMessageId);
            }
            return read.execute((statement, context) -> {
                PreparedStatement ps = statement.get();
                List<Patient> patients = rowsOf(ps, patientMapper(), context);
                Map<PatientId, List<FollowUp>> followUps = new HashMap<>();
                nextRowsOf(ps, followUpMapper(), context).forEach(f -> followUps.computeIfAbsent(f.patientId(), k -> new ArrayList<>()).add(f));
                Map<PatientId, ConsentChange> consents = new HashMap<>();
                nextRowsOf(ps, consentMapper(), context).forEach(c -> consents.put(Objects.requireNonNull(c.patientId()), c));
                Optional<ConsentChange> numberConsent = nextRowsOf(ps, consentMapper(), context).stream().findFirst();
                boolean recorded = providerMessageId != null && !nextRowsOf(ps, (rs, sc) -> rs.getInt(1), context).isEmpty();
                return new ReplyContext(patients, followUps, consents, numberConsent, recorded);
            });
        });
    }

    private static final String ACTIVE_FOLLOW_UPS_OF_PHONE = "SELECT * FROM followup_follow_up WHERE practice_id = :practice"
            + " AND patient_id IN (SELECT id FROM followup_patient WHERE practice_id = :practice AND phone_hash = :hash)" + ACTIVE_IN_ORDER;
    private static final String LATEST_CONSENTS_OF_PATIENTS_OF_PHONE = "SELECT latest.* FROM followup_patient p CROSS JOIN LATERAL"
            + " (SELECT * FROM followup_consent c WHERE c.practice_id = :practice AND c.patient_id = p.id"
            + " ORDER BY c.changed_at DESC, c.seq DESC FETCH FIRST 1 ROWS ONLY) latest WHERE p.practice_id = :practice AND p.phone_hash = :hash";
    /** {@link #replyContext}'s statement list, built once: Jdbi's and the driver's statement caches then look up the same string, its hash kept. */
    private static final String REPLY_CONTEXT = String.join(";\n", Queries.PATIENTS_BY_PHONE, ACTIVE_FOLLOW_UPS_OF_PHONE,
            LATEST_CONSENTS_OF_PATIENTS_OF_PHONE, Queries.LATEST_CONSENT_OF_PHONE);
    private static final String REPLY_CONTEXT_AND_INBOUND = REPLY_CONTEXT + ";\n"
            + "SELECT 1 FROM followup_inbound_message WHERE practice_id = :practice AND provider_message_id = :providerId";

    /** @return the rows of a statement list's current result */
    private static <T> List<T> rowsOf(PreparedStatement ps, RowMapper<T> mapper, StatementContext context) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet results = ps.getResultSet()) {
            while (results.next()) {
                rows.add(mapper.map(results, context));
            }
        }
        return rows;
    }

    /** @return the rows of a statement list's next result */
    private static <T> List<T> nextRowsOf(PreparedStatement ps, RowMapper<T> mapper, StatementContext context) throws SQLException {
        if (!ps.getMoreResults()) {
            throw new IllegalStateException("a query's rows are missing from the statement list's results");
        }
        return rowsOf(ps, mapper, context);
    }

    @Override
    public boolean holdsLease(FollowUpId id, String owner, Instant now) {
        return guard("check lease of follow-up " + id, () -> query("SELECT 1 FROM followup_follow_up WHERE practice_id = :practice"
                + " AND id = :id AND claimed_by = :owner AND lease_until > :now")
                .bind("id", id.value()).bind("owner", owner).bind("now", Sql.instant(now)).mapTo(Integer.class).findFirst().isPresent());
    }

    @Override
    public Optional<FollowUp> leasedFollowUp(FollowUpId id, String owner, Instant now) {
        return guard("read leased follow-up " + id, () -> query(LEASED_FOLLOW_UP)
                .bind("id", id.value()).bind("owner", owner).bind("now", Sql.instant(now)).map(followUpMapper()).findFirst());
    }

    private static final String LEASED_FOLLOW_UP = "SELECT * FROM followup_follow_up WHERE practice_id = :practice"
            + " AND id = :id AND claimed_by = :owner AND lease_until > :now";

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL both queries go to the server as one statement list, in one round trip: a
     * text's check before it is recorded then costs one read, not two.
     */
    @Override
    public SendCheck sendCheck(FollowUpId id, String owner, Instant now, PatientId patientId, @Nullable PhoneNumber phone) {
        if (ctx.dialect() != Dialect.POSTGRESQL || phone == null) {
            return PracticeTransaction.super.sendCheck(id, owner, now, patientId, phone);
        }
        return guard("read leased follow-up " + id + " and consent of patient " + patientId, () -> query(LEASED_FOLLOW_UP + ";\n"
                + Queries.CONSENT_OF_PATIENT_AND_PHONE).bind("id", id.value()).bind("owner", owner).bind("now", Sql.instant(now))
                .bind("patient", patientId.value()).bind("hash", ctx.index().phone(practiceId, phone)).execute((statement, context) -> {
                    PreparedStatement ps = statement.get();
                    Optional<FollowUp> leased = rowsOf(ps, followUpMapper(), context).stream().findFirst();
                    RowMapper<ConsentChange> mapper = consentMapper();
                    return new SendCheck(leased, applyingConsent(nextRowsOf(ps, (rs, sc) -> Map.entry(rs.getString("naming"), mapper.map(rs, sc)), context)));
                }));
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL, for a patient with a number, one statement list: the recipient's lock first,
     * then the reads, so that the count (each statement its own snapshot) sees the outreach of a
     * transaction the lock waited for.
     */
    @Override
    public SendCheck sendCheck(FollowUpId id, String owner, Instant now, PatientId patientId, @Nullable PhoneNumber phone,
            List<Instant> countedSince) {
        if (ctx.dialect() != Dialect.POSTGRESQL || phone == null || countedSince.isEmpty()) {
            return PracticeTransaction.super.sendCheck(id, owner, now, patientId, phone, countedSince);
        }
        // The database compares with the starts as stored (microseconds); so must the counting below.
        List<Instant> starts = countedSince.stream().map(since -> Objects.requireNonNull(Sql.stored(since))).toList();
        Instant earliest = starts.stream().min(Instant::compareTo).orElseThrow();
        String phoneHash = ctx.index().phone(practiceId, phone); // an HMAC: once for the lock and the reads
        return guard("lock the recipient of patient " + patientId + " and read leased follow-up " + id + ", consent and outreach",
                () -> query(Queries.LOCK_RECIPIENT + ";\n" + LEASED_FOLLOW_UP + ";\n" + Queries.CONSENT_OF_PATIENT_AND_PHONE + ";\n"
                        + Queries.RECIPIENT_OUTREACH_SINCE).bind("id", id.value()).bind("owner", owner).bind("now", Sql.instant(now))
                        .bind("patient", patientId.value()).bind("hash", phoneHash)
                        .bind("since", Sql.instant(earliest)).bind("purpose", MessagePurpose.OUTREACH.name())
                        .bind("recipient", recipientKey(patientId, phoneHash))
                        .execute((statement, context) -> {
                            PreparedStatement ps = statement.get();
                            rowsOf(ps, (rs, sc) -> Boolean.TRUE, context); // the lock
                            Optional<FollowUp> leased = nextRowsOf(ps, followUpMapper(), context).stream().findFirst();
                            RowMapper<ConsentChange> mapper = consentMapper();
                            Optional<ConsentChange> consent = applyingConsent(
                                    nextRowsOf(ps, (rs, sc) -> Map.entry(rs.getString("naming"), mapper.map(rs, sc)), context));
                            List<Instant> sent = nextRowsOf(ps, (rs, sc) -> Objects.requireNonNull(Sql.instant(rs, "created_at")), context);
                            List<Integer> counts = new ArrayList<>(starts.size());
                            for (Instant start : starts) {
                                counts.add((int) sent.stream().filter(at -> !at.isBefore(start)).count());
                            }
                            return new SendCheck(leased, consent, counts);
                        }));
    }

    @Override
    public Map<FollowUpId, FollowUp> leasedFollowUps(Collection<FollowUpId> ids, String owner, Instant now) {
        return guard("read " + ids.size() + " leased follow-ups", () -> {
            Map<FollowUpId, FollowUp> found = new HashMap<>();
            bulkRead(Queries.LEASED_FOLLOW_UPS, ids.stream().map(FollowUpId::value).toList(),
                    q -> q.bind("owner", owner).bind("now", Sql.instant(now)), followUpMapper(), f -> found.put(f.id(), f));
            return found;
        });
    }

    @Override
    public Map<FollowUpId, FollowUp> followUps(Collection<FollowUpId> ids) {
        return guard("read " + ids.size() + " follow-ups", () -> {
            Map<FollowUpId, FollowUp> found = new HashMap<>();
            bulkRead(Queries.FOLLOW_UPS, ids.stream().map(FollowUpId::value).toList(), q -> q, followUpMapper(),
                    f -> found.put(f.id(), f));
            return found;
        });
    }

    @Override
    public void releaseLease(FollowUpId id, String owner) {
        guard("release lease of follow-up " + id, () -> handle().createUpdate("UPDATE followup_follow_up SET claimed_by = NULL,"
                + " lease_until = NULL WHERE practice_id = :practice AND id = :id AND claimed_by = :owner")
                .bind("practice", practice).bind("id", id.value()).bind("owner", owner).execute());
    }

    // --- send attempts ---

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the insert is {@link #insert held back} until the next statement that needs an
     * answer, or commit. A duplicate then fails there.
     */
    @Override
    public void insertAttempt(SendAttempt a) {
        requireOwn(a.practiceId(), "send attempt " + a.id());
        insert(INSERT_ATTEMPT, "insert send attempt " + a.id(), (u, s) -> bindAttempt(u, a, s));
    }

    private static final String INSERT_ATTEMPT = "INSERT INTO followup_send_attempt"
            + " (practice_id, id, dedupe_key, follow_up_id, patient_id, channel, purpose, step, attempt_number, state,"
            + " delivery_status, provider_message_id, error_code, key_id, body_enc, segments, cost, created_at, updated_at)"
            + " VALUES (:practice, :id, :dedupe, :followUp, :patient, :channel, :purpose, :step, :attemptNumber, :state,"
            + " :status, :providerId, :error, :key, :body, :segments, :cost, :createdAt, :updatedAt)";

    @Override
    public void updateAttempt(SendAttempt a) {
        requireOwn(a.practiceId(), "send attempt " + a.id());
        guard("update send attempt " + a.id(), () -> {
            write(UPDATE_ATTEMPT, "send attempt updates", "update send attempt " + a.id(), a.id(), null,
                    (statement, s) -> bindAttempt(statement, a, s));
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>A guarded write, not a read and a write: on PostgreSQL it goes with the transaction's other
     * writes and its commit, and fails that list when the attempt is no longer pending.
     */
    @Override
    public void settleAttempt(SendAttempt settled) {
        requireOwn(settled.practiceId(), "send attempt " + settled.id());
        guard("settle send attempt " + settled.id(), () -> {
            write(SETTLE_ATTEMPT, "send attempt settlements", "settle send attempt " + settled.id(), settled.id(),
                    "send attempt " + settled.id() + " is no longer pending in practice " + practiceId,
                    (statement, s) -> bindAttempt(statement, settled, s));
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>A guarded write, as {@link #settleAttempt} is: it fails its statement list, or its
     * transaction, when the stored status is no longer the one the report was checked against. It
     * writes only the columns a report changes, so a retention purge committed since the attempt
     * was read is not undone (the body written back), and no body is encrypted again.
     */
    @Override
    public void updateDeliveryStatus(SendAttempt updated, @Nullable DeliveryStatus previous) {
        requireOwn(updated.practiceId(), "send attempt " + updated.id());
        guard("update the delivery status of send attempt " + updated.id(), () -> {
            write(UPDATE_DELIVERY_STATUS, "delivery status updates", "update the delivery status of send attempt " + updated.id(),
                    updated.id(), "the delivery status of send attempt " + updated.id() + " changed meanwhile in practice " + practiceId,
                    (statement, s) -> statement.bind("practice" + s, practice).bind("id" + s, updated.id())
                            .bind("state" + s, updated.state().name()).bind("status" + s, name(updated.deliveryStatus()))
                            .bind("providerId" + s, updated.providerMessageId()).bind("error" + s, updated.errorCode())
                            .bind("updatedAt" + s, Sql.instant(updated.updatedAt())).bind("previousStatus" + s, name(previous)));
            return null;
        });
    }

    private static final String UPDATE_ATTEMPT = "UPDATE followup_send_attempt SET"
            + " dedupe_key = :dedupe, follow_up_id = :followUp, patient_id = :patient, channel = :channel, purpose = :purpose,"
            + " step = :step, attempt_number = :attemptNumber, state = :state, delivery_status = :status,"
            + " provider_message_id = :providerId, error_code = :error, key_id = :key, body_enc = :body, segments = :segments,"
            + " cost = :cost, created_at = :createdAt, updated_at = :updatedAt WHERE practice_id = :practice AND id = :id";

    /** {@link #UPDATE_ATTEMPT} while the attempt is still pending; a constant, so that its hash, a cache key, is kept. */
    private static final String SETTLE_ATTEMPT = UPDATE_ATTEMPT + " AND state = 'PENDING'";

    /** What a provider's report changes, while the delivery status is still the one the report was checked against. */
    private static final String UPDATE_DELIVERY_STATUS = "UPDATE followup_send_attempt SET state = :state, delivery_status = :status,"
            + " provider_message_id = :providerId, error_code = :error, updated_at = :updatedAt"
            + " WHERE practice_id = :practice AND id = :id AND delivery_status IS NOT DISTINCT FROM :previousStatus";

    /** Binds an attempt's columns to an insert or update, or to a batch's entry, which the caller then adds. */
    private void bindAttempt(SqlStatement<?> u, SendAttempt a, String s) {
        DataKey key = ctx.cipher().currentKey();
        byte[] body = ctx.cipher().encrypt(a.body(), place(ATTEMPT, "body", a.id()), key);
        u.bind("practice" + s, practice).bind("id" + s, a.id()).bind("dedupe" + s, a.dedupeKey())
                .bind("followUp" + s, a.followUpId() == null ? null : a.followUpId().value())
                .bind("patient" + s, a.patientId() == null ? null : a.patientId().value())
                .bind("channel" + s, a.channel().name()).bind("purpose" + s, a.purpose().name()).bind("step" + s, a.step())
                .bind("attemptNumber" + s, a.attemptNumber()).bind("state" + s, a.state().name()).bind("status" + s, name(a.deliveryStatus()))
                .bind("providerId" + s, a.providerMessageId()).bind("error" + s, a.errorCode())
                .bind("key" + s, body == null ? null : key.id()).bind("body" + s, Sql.bytes(body))
                .bind("segments" + s, a.segments()).bind("cost" + s, a.cost().toString())
                .bind("createdAt" + s, Sql.instant(a.createdAt())).bind("updatedAt" + s, Sql.instant(a.updatedAt()));
    }

    private RowMapper<SendAttempt> attemptMapper() {
        return (rs, sc) -> {
            String id = rs.getString("id");
            String followUp = rs.getString("follow_up_id");
            String patient = rs.getString("patient_id");
            String status = rs.getString("delivery_status");
            return new SendAttempt(id, practiceId, followUp == null ? null : FollowUpId.of(followUp),
                    patient == null ? null : PatientId.of(patient), Channel.valueOf(rs.getString("channel")),
                    MessagePurpose.valueOf(rs.getString("purpose")), rs.getInt("step"), rs.getInt("attempt_number"),
                    AttemptState.valueOf(rs.getString("state")), status == null ? null : DeliveryStatus.valueOf(status),
                    rs.getString("provider_message_id"), rs.getString("error_code"),
                    ctx.cipher().decrypt(rs.getBytes("body_enc"), place(ATTEMPT, "body", id)), rs.getInt("segments"),
                    new BigDecimal(rs.getString("cost")), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
        };
    }

    @Override
    public Optional<SendAttempt> attempt(String attemptId) {
        return guard("read send attempt " + attemptId, () -> query(
                "SELECT * FROM followup_send_attempt WHERE practice_id = :practice AND id = :id")
                .bind("id", attemptId).map(attemptMapper()).findFirst());
    }

    @Override
    public Optional<SendAttempt> attemptByProviderId(String providerMessageId) {
        return guard("find send attempt by provider id", () -> query(Queries.ATTEMPT_BY_PROVIDER_ID)
                .bind("providerId", providerMessageId).map(attemptMapper()).findFirst());
    }

    @Override
    public List<SendAttempt> attemptsOf(FollowUpId id) {
        return guard("list send attempts of follow-up " + id, () -> query("SELECT * FROM followup_send_attempt"
                + " WHERE practice_id = :practice AND follow_up_id = :followUp ORDER BY created_at, step, attempt_number, id")
                .bind("followUp", id.value()).map(attemptMapper()).list());
    }

    @Override
    public int outreachCountSince(PatientId patientId, Instant since) {
        return guard("count outreach of patient " + patientId, () -> query(Queries.OUTREACH_COUNT)
                .bind("patient", patientId.value()).bind("since", Sql.instant(since))
                .bind("purpose", MessagePurpose.OUTREACH.name()).bindList("states", Queries.COUNTED_STATES)
                .mapTo(Integer.class).one());
    }

    @Override
    public Map<String, SendAttempt> attempts(Collection<String> attemptIds) {
        return guard("read " + attemptIds.size() + " send attempts", () -> {
            Map<String, SendAttempt> found = new HashMap<>();
            bulkRead(Queries.ATTEMPTS, attemptIds, q -> q, attemptMapper(), a -> found.put(a.id(), a));
            return found;
        });
    }

    @Override
    public Map<FollowUpId, List<SendAttempt>> attemptsOfFollowUps(Collection<FollowUpId> ids) {
        return guard("list send attempts of " + ids.size() + " follow-ups", () -> {
            Map<FollowUpId, List<SendAttempt>> found = new HashMap<>();
            ids.forEach(id -> found.put(id, new ArrayList<>()));
            bulkRead(Queries.ATTEMPTS_OF_FOLLOW_UPS, ids.stream().map(FollowUpId::value).toList(), q -> q, attemptMapper(),
                    a -> found.get(a.followUpId()).add(a));
            return found;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement reads when each counted outreach of the windows' patients was created, since
     * the earliest window's start; each window then counts its own patients' from its own start.
     */
    @Override
    public List<Integer> outreachCounts(List<OutreachWindow> windows) {
        if (windows.isEmpty()) {
            return List.of();
        }
        return guard("count outreach of " + windows.size() + " windows", () -> {
            Set<String> patients = new LinkedHashSet<>();
            windows.forEach(w -> w.patients().forEach(p -> patients.add(p.value())));
            Instant earliest = windows.stream().map(OutreachWindow::since).min(Instant::compareTo).orElseThrow();
            Map<PatientId, List<Instant>> sent = new HashMap<>();
            bulkRead(Queries.OUTREACH_SINCE, patients,
                    q -> q.bind("since", Sql.instant(earliest)).bind("purpose", MessagePurpose.OUTREACH.name()),
                    (rs, sc) -> Map.entry(PatientId.of(rs.getString("patient_id")), Objects.requireNonNull(Sql.instant(rs, "created_at"))),
                    row -> sent.computeIfAbsent(row.getKey(), p -> new ArrayList<>()).add(row.getValue()));
            List<Integer> counts = new ArrayList<>(windows.size());
            for (OutreachWindow window : windows) {
                // The database compared with the start as stored (microseconds); so must this.
                Instant since = Objects.requireNonNull(Sql.stored(window.since()));
                int count = 0;
                for (PatientId patient : window.patients()) {
                    for (Instant at : sent.getOrDefault(patient, List.of())) {
                        count += at.isBefore(since) ? 0 : 1;
                    }
                }
                counts.add(count);
            }
            return counts;
        });
    }

    // --- inbound messages ---

    @Override
    public boolean recordInbound(InboundMessage m) {
        requireOwn(m.practiceId(), "inbound message");
        DataKey key = ctx.cipher().currentKey();
        byte[] body = ctx.cipher().encrypt(m.body(), place(INBOUND, "body", m.providerMessageId()), key);
        Binder values = (u, s) -> u.bind("practice" + s, practice).bind("providerId" + s, m.providerMessageId())
                .bind("patient" + s, m.patientId() == null ? null : m.patientId().value())
                .bind("followUp" + s, m.followUpId() == null ? null : m.followUpId().value()).bind("kind" + s, m.kind().name())
                .bind("key" + s, body == null ? null : key.id()).bind("body" + s, Sql.bytes(body))
                .bind("receivedAt" + s, Sql.instant(m.receivedAt()));
        if (m.providerMessageId().equals(unrecordedInbound)) {
            // This transaction's read found it unrecorded: its insert goes with the other writes, and should another
            // delivery of the same text record it meanwhile, the unique key fails this transaction instead.
            unrecordedInbound = null;
            insert(INSERT_INBOUND, "record inbound message", values);
            return true;
        }
        return guard("record inbound message", () -> {
            Update insert = handle().createUpdate(INSERT_INBOUND + ctx.dialect().onConflictDoNothing());
            values.bind(insert, "");
            return insertUnlessExists(insert);
        });
    }

    private static final String INSERT_INBOUND = "INSERT INTO followup_inbound_message (practice_id, provider_message_id, patient_id,"
            + " follow_up_id, kind, key_id, body_enc, received_at) VALUES (:practice, :providerId, :patient, :followUp, :kind, :key,"
            + " :body, :receivedAt)";

    /**
     * Reads an inbound message back (not part of the port: for the store's own tests and tools).
     *
     * @param providerMessageId the provider's id
     * @return the message
     */
    public Optional<InboundMessage> inbound(String providerMessageId) {
        return guard("read inbound message", () -> query("SELECT * FROM followup_inbound_message WHERE practice_id = :practice"
                + " AND provider_message_id = :providerId").bind("providerId", providerMessageId).map((rs, sc) -> {
                    String pid = rs.getString("provider_message_id");
                    String patient = rs.getString("patient_id");
                    String followUp = rs.getString("follow_up_id");
                    return new InboundMessage(practiceId, pid, patient == null ? null : PatientId.of(patient),
                            followUp == null ? null : FollowUpId.of(followUp), ReplyKind.valueOf(rs.getString("kind")),
                            ctx.cipher().decrypt(rs.getBytes("body_enc"), place(INBOUND, "body", pid)), Sql.instant(rs, "received_at"));
                }).findFirst());
    }

    // --- consent ---

    @Override
    public void recordConsent(ConsentChange change) {
        requireOwn(change.practiceId(), "consent change");
        guard("record consent change", () -> {
            // The row id is made here rather than by the database because the ciphertext is bound to it.
            String id = UUID.randomUUID().toString();
            PhoneNumber phone = change.phone();
            DataKey key = ctx.cipher().currentKey();
            byte[] phoneEnc = ctx.cipher().encrypt(phone == null ? null : phone.e164(), place(CONSENT, "phone", id), key);
            String phoneHash = phone == null ? null : ctx.index().phone(practiceId, phone);
            insert(INSERT_CONSENT, "record consent change", (u, s) -> u.bind("practice" + s, practice).bind("id" + s, id)
                    .bind("patient" + s, change.patientId() == null ? null : change.patientId().value())
                    .bind("phoneHash" + s, phoneHash)
                    .bind("key" + s, phoneEnc == null ? null : key.id()).bind("phone" + s, Sql.bytes(phoneEnc))
                    .bind("lineType" + s, phone == null ? null : phone.lineType().name())
                    .bind("status" + s, change.status().name()).bind("source" + s, change.source().name())
                    .bind("at" + s, Sql.instant(change.at())));
            return null;
        });
    }

    private static final String INSERT_CONSENT = "INSERT INTO followup_consent (practice_id, id, patient_id, phone_hash, key_id,"
            + " phone_enc, phone_line_type, status, source, changed_at) VALUES (:practice, :id, :patient, :phoneHash, :key, :phone,"
            + " :lineType, :status, :source, :at)";

    @Override
    public Optional<ConsentChange> latestConsentOf(PatientId patientId) {
        return guard("read consent of patient " + patientId, () -> query("SELECT * FROM followup_consent WHERE practice_id = :practice"
                + " AND patient_id = :patient ORDER BY changed_at DESC, seq DESC FETCH FIRST 1 ROWS ONLY")
                .bind("patient", patientId.value()).map(consentMapper()).findFirst());
    }

    @Override
    public Optional<ConsentChange> latestConsentOf(PhoneNumber phone) {
        return guard("read consent of a phone number", () -> query(Queries.LATEST_CONSENT_OF_PHONE)
                .bind("hash", ctx.index().phone(practiceId, phone)).map(consentMapper()).findFirst());
    }

    @Override
    public Optional<ConsentChange> consentOf(PatientId patientId, @Nullable PhoneNumber phone) {
        if (phone == null) {
            return latestConsentOf(patientId);
        }
        // Both latest entries in one round trip; which one applies is the domain's rule, not the query's.
        return guard("read consent of patient " + patientId, () -> {
            RowMapper<ConsentChange> mapper = consentMapper();
            return applyingConsent(query(Queries.CONSENT_OF_PATIENT_AND_PHONE)
                    .bind("patient", patientId.value()).bind("hash", ctx.index().phone(practiceId, phone))
                    .map((rs, sc) -> Map.entry(rs.getString("naming"), mapper.map(rs, sc))).list());
        });
    }

    /** @param rows {@link Queries#CONSENT_OF_PATIENT_AND_PHONE}'s rows, each with what it names @return the entry that applies */
    private static Optional<ConsentChange> applyingConsent(List<Map.Entry<String, ConsentChange>> rows) {
        Optional<ConsentChange> byPatient = Optional.empty();
        Optional<ConsentChange> byPhone = Optional.empty();
        for (Map.Entry<String, ConsentChange> row : rows) {
            if (row.getKey().equals("patient")) {
                byPatient = Optional.of(row.getValue());
            } else {
                byPhone = Optional.of(row.getValue());
            }
        }
        return ConsentChange.applying(byPatient, byPhone);
    }

    @Override
    public Map<PatientId, ConsentChange> latestConsentsOfPatients(Collection<PatientId> patientIds) {
        return guard("read consent of " + patientIds.size() + " patients", () -> {
            Map<PatientId, ConsentChange> found = new HashMap<>();
            bulkRead(Queries.LATEST_CONSENTS_OF_PATIENTS, patientIds.stream().map(PatientId::value).toList(), q -> q, consentMapper(),
                    c -> found.put(Objects.requireNonNull(c.patientId()), c));
            return found;
        });
    }

    @Override
    public Map<PhoneNumber, ConsentChange> latestConsentsOfPhones(Collection<PhoneNumber> phones) {
        return guard("read consent of " + phones.size() + " phone numbers", () -> {
            Map<String, List<PhoneNumber>> phonesByHash = phonesByHash(phones);
            Map<PhoneNumber, ConsentChange> found = new HashMap<>();
            RowMapper<ConsentChange> consents = consentMapper();
            bulkRead(Queries.LATEST_CONSENTS_OF_PHONES, phonesByHash.keySet(), q -> q,
                    (rs, sc) -> Map.entry(rs.getString("phone_hash"), consents.map(rs, sc)),
                    row -> phonesByHash.get(row.getKey()).forEach(phone -> found.put(phone, row.getValue())));
            return found;
        });
    }

    private RowMapper<ConsentChange> consentMapper() {
        return (rs, sc) -> {
            String patient = rs.getString("patient_id");
            String phone = ctx.cipher().decrypt(rs.getBytes("phone_enc"), place(CONSENT, "phone", rs.getString("id")));
            return new ConsentChange(practiceId, patient == null ? null : PatientId.of(patient),
                    phone == null ? null : new PhoneNumber(phone, PhoneNumber.LineType.valueOf(rs.getString("phone_line_type"))),
                    ConsentStatus.valueOf(rs.getString("status")), ConsentSource.valueOf(rs.getString("source")),
                    Sql.instant(rs, "changed_at"));
        };
    }

    @Override
    public void suppress(ChannelSuppression suppression) {
        requireOwn(suppression.practiceId(), "channel suppression");
        insert("INSERT INTO followup_suppression (practice_id, patient_id, channel, reason_code, suppressed_at)"
                + " VALUES (:practice, :patient, :channel, :reason, :at)", "suppress a channel of patient " + suppression.patientId(),
                (u, s) -> u.bind("practice" + s, practice).bind("patient" + s, suppression.patientId().value())
                        .bind("channel" + s, suppression.channel().name()).bind("reason" + s, suppression.reasonCode())
                        .bind("at" + s, Sql.instant(suppression.at())));
    }

    @Override
    public void liftSuppressions(Channel channel, Collection<PatientId> patientIds) {
        if (patientIds.isEmpty()) {
            return;
        }
        guard("lift " + channel + " suppressions of " + patientIds.size() + " patients", () -> handle().createUpdate(
                "DELETE FROM followup_suppression WHERE practice_id = :practice AND channel = :channel AND patient_id IN (<patients>)")
                .bind("practice", practice).bind("channel", channel.name())
                .bindList("patients", patientIds.stream().map(PatientId::value).distinct().toList()).execute());
    }

    @Override
    public Set<Channel> suppressedChannels(PatientId patientId) {
        return guard("read suppressions of patient " + patientId, () -> {
            Set<Channel> channels = EnumSet.noneOf(Channel.class);
            query("SELECT DISTINCT channel FROM followup_suppression WHERE practice_id = :practice AND patient_id = :patient")
                    .bind("patient", patientId.value()).mapTo(String.class).forEach(c -> channels.add(Channel.valueOf(c)));
            return channels;
        });
    }

    @Override
    public Map<PatientId, Set<Channel>> suppressedChannelsOf(Collection<PatientId> patientIds) {
        return guard("read suppressions of " + patientIds.size() + " patients", () -> {
            Map<PatientId, Set<Channel>> found = new HashMap<>();
            patientIds.forEach(id -> found.put(id, EnumSet.noneOf(Channel.class)));
            bulkRead(Queries.SUPPRESSIONS, patientIds.stream().map(PatientId::value).toList(), q -> q,
                    (rs, sc) -> Map.entry(PatientId.of(rs.getString("patient_id")), Channel.valueOf(rs.getString("channel"))),
                    row -> found.get(row.getKey()).add(row.getValue()));
            return found;
        });
    }

    // --- staff tasks ---

    @Override
    public void insertTask(StaffTask t) {
        requireOwn(t.practiceId(), "task " + t.id());
        insert("INSERT INTO followup_task (practice_id, id, follow_up_id, patient_id, kind, priority, reason, key_id, reply_enc,"
                + " state, assignee, outcome, created_at, updated_at, version) VALUES (:practice, :id, :followUp, :patient, :kind,"
                + " :priority, :reason, :key, :reply, :state, :assignee, :outcome, :createdAt, :updatedAt, :version)",
                "insert task " + t.id(), (u, s) -> bindTask(u, t, s));
    }

    @Override
    public void updateTask(StaffTask next) {
        requireOwn(next.practiceId(), "task " + next.id());
        guard("update task " + next.id(), () -> {
            Update update = handle().createUpdate("UPDATE followup_task SET follow_up_id = :followUp, patient_id = :patient,"
                    + " kind = :kind, priority = :priority, reason = :reason, key_id = :key, reply_enc = :reply, state = :state,"
                    + " assignee = :assignee, outcome = :outcome, created_at = :createdAt, updated_at = :updatedAt,"
                    + " version = :version WHERE practice_id = :practice AND id = :id AND version = :previousVersion");
            bindTask(update, next, "");
            if (update.bind("previousVersion", next.version() - 1).execute() == 0) {
                throw new ConcurrentUpdateException("task " + next.id() + " is not at version " + (next.version() - 1)
                        + " in practice " + practiceId);
            }
            return null;
        });
    }

    private void bindTask(SqlStatement<?> u, StaffTask t, String s) {
        String id = t.id().value();
        DataKey key = ctx.cipher().currentKey();
        byte[] reply = ctx.cipher().encrypt(t.replyText(), place(TASK, "reply_text", id), key);
        u.bind("practice" + s, practice).bind("id" + s, id)
                .bind("followUp" + s, t.followUpId() == null ? null : t.followUpId().value())
                .bind("patient" + s, t.patientId() == null ? null : t.patientId().value())
                .bind("kind" + s, t.kind().name()).bind("priority" + s, t.priority().name()).bind("reason" + s, t.reason())
                .bind("key" + s, reply == null ? null : key.id()).bind("reply" + s, Sql.bytes(reply))
                .bind("state" + s, t.state().name()).bind("assignee" + s, t.assignee()).bind("outcome" + s, name(t.outcome()))
                .bind("createdAt" + s, Sql.instant(t.createdAt())).bind("updatedAt" + s, Sql.instant(t.updatedAt()))
                .bind("version" + s, t.version());
    }

    private RowMapper<StaffTask> taskMapper() {
        return (rs, sc) -> {
            String id = rs.getString("id");
            String followUp = rs.getString("follow_up_id");
            String patient = rs.getString("patient_id");
            String outcome = rs.getString("outcome");
            return new StaffTask(TaskId.of(id), practiceId, followUp == null ? null : FollowUpId.of(followUp),
                    patient == null ? null : PatientId.of(patient), TaskKind.valueOf(rs.getString("kind")),
                    TaskPriority.valueOf(rs.getString("priority")), rs.getString("reason"),
                    ctx.cipher().decrypt(rs.getBytes("reply_enc"), place(TASK, "reply_text", id)),
                    TaskState.valueOf(rs.getString("state")), rs.getString("assignee"),
                    outcome == null ? null : TaskOutcome.valueOf(outcome), Sql.instant(rs, "created_at"),
                    Sql.instant(rs, "updated_at"), rs.getLong("version"));
        };
    }

    @Override
    public Optional<StaffTask> task(TaskId id) {
        return guard("read task " + id, () -> query("SELECT * FROM followup_task WHERE practice_id = :practice AND id = :id")
                .bind("id", id.value()).map(taskMapper()).findFirst());
    }

    @Override
    public List<StaffTask> tasks(Set<TaskState> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        return guard("list tasks", () -> query("SELECT * FROM followup_task WHERE practice_id = :practice AND state IN (<states>)"
                + " ORDER BY created_at, id").bindList("states", states.stream().map(Enum::name).toList()).map(taskMapper()).list());
    }

    // --- audit trail ---

    /**
     * {@inheritDoc}
     *
     * <p>Kept in memory until {@link #commitPending()}, which the store calls just before commit.
     */
    @Override
    public void appendAudit(AuditRecord record) {
        // The hash covers occurredAt as text, so it is chained at the precision it is stored with.
        pendingAudit.add(new AuditRecord(record.type(), record.actor(), record.followUpId(), record.patientId(),
                record.attributes(), Sql.stored(record.occurredAt())));
    }

    /**
     * The store's last call in a transaction: sends what the transaction still holds back. The
     * deferred updates go first (they may throw {@link ConcurrentUpdateException}). On PostgreSQL
     * the held writes, the audit chain and {@code COMMIT} then go as one statement list, in one round
     * trip, so the practice's trail head, which every writer of the practice needs, is locked only
     * while the server runs that list, never across a round trip to this JVM; the store's own commit
     * then finds nothing left to commit. An import chunk's hundreds of events go as a batch, and the
     * store commits.
     */
    public void commitPending() {
        sendDeferred();
        if (ctx.dialect() != Dialect.POSTGRESQL || pendingAudit.size() > EVENTS_PER_STATEMENT) {
            sendHeld();
            flushAudit();
            return;
        }
        if (held.isEmpty() && pendingAudit.isEmpty()) {
            return; // a read-only transaction: the store's commit is its one round trip left
        }
        // Inside a transaction of the caller's, the commit is the caller's.
        sendStatementList(true, ownsCommit);
    }

    /**
     * PostgreSQL: the held writes and, when {@code chain}, the pending audit events, chained by
     * {@link #chainInDatabaseSql}'s statement, as one statement list, with {@code COMMIT} last when
     * {@code commit}. The practice's trail head is created first in the same list unless this store
     * has seen it ({@link KnownTrailHeads}). A guarded update that matches no row fails the list
     * ({@link #guardedInList}), so that nothing after it, the commit included, runs.
     */
    private void sendStatementList(boolean chain, boolean commit) {
        sendDeferred();
        List<HeldWrite> writes = List.copyOf(held);
        held.clear();
        List<AuditRecord> records = chain ? List.copyOf(pendingAudit) : List.of();
        if (chain) {
            pendingAudit.clear();
        }
        boolean createHead = !records.isEmpty() && !ctx.trailHeads().contains(practiceId);
        boolean renamed = writes.size() > 1;
        List<String> statements = new ArrayList<>(writes.size() + 3);
        for (int i = 0; i < writes.size(); i++) {
            statements.add(LISTED_WRITES.computeIfAbsent(new ListedWrite(writes.get(i).sql(), renamed ? i : -1,
                    writes.get(i).ifUnchanged() != null), ListedWrite::sql));
        }
        if (createHead) {
            statements.add(CREATE_TRAIL_HEAD + ctx.dialect().onConflictDoNothing());
        }
        if (!records.isEmpty()) {
            statements.add(CHAIN_IN_DATABASE.get(records.size() - 1));
        }
        if (commit) {
            statements.add("COMMIT");
        }
        try (Update list = handle.createUpdate(STATEMENT_LISTS.computeIfAbsent(statements, k -> String.join(";\n", k)))) {
            for (int i = 0; i < writes.size(); i++) {
                writes.get(i).binder().bind(list, renamed ? ListedWrite.suffix(i) : "");
            }
            if (createHead) {
                list.bind("genesis", AuditEvent.GENESIS);
            }
            if (!records.isEmpty()) {
                bindChain(list, records);
            }
            // Jdbi executes on get(); the driver has then read every result and thrown the first error.
            list.execute((statement, context) -> statement.get().getUpdateCount());
        } catch (RuntimeException e) {
            ctx.trailHeads().forget(practiceId); // should the head have gone, the next transaction creates it again
            List<String> guards = writes.stream().map(HeldWrite::ifUnchanged).filter(Objects::nonNull).toList();
            if (!guards.isEmpty() && LOST_GUARD.equals(Failures.stateOf(e))) {
                throw new ConcurrentUpdateException(String.join(", or ", guards));
            }
            throw Failures.translate(describe(writes, records.size(), commit), e);
        }
        if (!records.isEmpty()) {
            ctx.trailHeads().add(practiceId);
        }
        committed = commit;
    }

    /** @return what a statement list did, for its failure's message: built then, not on every transaction */
    private static String describe(List<HeldWrite> writes, int events, boolean commit) {
        List<String> parts = new ArrayList<>(writes.size() + 1);
        writes.forEach(w -> parts.add(w.what()));
        if (events > 0) {
            parts.add("append " + events + " events to the audit trail");
        }
        return String.join(", ", parts) + (commit ? ", and commit" : "");
    }

    /**
     * A held write as it goes in a statement list: its parameters renamed with the write's place in
     * the list when there are several (two writes may both bind {@code :id}), and a guarded update
     * made to fail when it matches no row ({@link #guardedInList}).
     *
     * @param index the write's place in the list, or -1 for the only write, whose names stay
     */
    private record ListedWrite(String original, int index, boolean guarded) {
        static String suffix(int index) {
            return SUFFIXES[index];
        }

        String sql() {
            String named = index < 0 ? original : PARAMETER.matcher(original).replaceAll(":$1" + suffix(index));
            return guarded ? guardedInList(named) : named;
        }
    }

    /** A named parameter: a colon and a name, where the colon is not part of {@code ::} or of a word. */
    private static final java.util.regex.Pattern PARAMETER = java.util.regex.Pattern.compile("(?<![:\\w]):(\\w+)");
    private static final String[] SUFFIXES = java.util.stream.IntStream.range(0, MAX_HELD).mapToObj(i -> "_w" + i).toArray(String[]::new);
    private static final Map<ListedWrite, String> LISTED_WRITES = new java.util.concurrent.ConcurrentHashMap<>();
    /** PostgreSQL's division by zero: what {@link #guardedInList} raises for an update that matched no row. */
    private static final String LOST_GUARD = "22012";

    /**
     * A guarded update that divides by the number of rows it updated: when it matched none, the
     * statement fails, the server skips the rest of the list, the commit included, and the
     * transaction rolls back, as it would have after reading a row count of 0 before committing, but
     * without the round trip that reading the count before the commit would take. The count is not a
     * constant, so the planner cannot fold the division.
     */
    private static String guardedInList(String update) {
        return "WITH guarded AS (" + update + " RETURNING 1) SELECT 1 / COUNT(*) FROM guarded";
    }

    /**
     * Chains the transaction's pending audit records onto the trail: on PostgreSQL in one statement
     * ({@link #chainInDatabaseSql}) for up to {@value #EVENTS_PER_STATEMENT} events; else lock the head
     * row, insert them as one batch, move the head. Called last before commit, so the head row,
     * which every writer of the practice needs, is held only for the commit.
     */
    private void flushAudit() {
        if (pendingAudit.isEmpty()) {
            return;
        }
        if (ctx.dialect() == Dialect.POSTGRESQL && pendingAudit.size() <= EVENTS_PER_STATEMENT) {
            sendStatementList(true, false);
            return;
        }
        guard("append " + pendingAudit.size() + " events to the audit trail", () -> {
            Head head = lockTrailHead();
            List<AuditEvent> events = new ArrayList<>(pendingAudit.size());
            long sequence = head.sequence();
            String hash = head.hash();
            for (AuditRecord record : pendingAudit) {
                AuditEvent event = AuditEvent.chain(practiceId, sequence, hash, record);
                events.add(event);
                sequence = event.sequence();
                hash = event.hash();
            }
            if (ctx.dialect() == Dialect.POSTGRESQL) {
                Update insert = handle().createUpdate(INSERT_AUDIT_EVENT_ROWS);
                ColumnArrays.of(events, this::writeEvent).bindTo(insert);
                insert.execute();
            } else {
                PreparedBatch batch = handle().prepareBatch(INSERT_AUDIT_EVENT_VALUES);
                events.forEach(e -> {
                    writeEvent(ColumnWriter.to(batch, ""), e);
                    batch.add();
                });
                batch.execute();
            }
            handle().createUpdate(MOVE_AUDIT_HEAD).bind("practice", practice).bind("headSeq", sequence).bind("headHash", hash).execute();
            pendingAudit.clear();
            return null;
        });
    }

    private static final String INSERT_AUDIT_EVENT = "INSERT INTO followup_audit_event (practice_id, seq, type, actor, follow_up_id,"
            + " patient_id, attributes, occurred_at, previous_hash, hash)";
    private static final String CREATE_TRAIL_HEAD = "INSERT INTO followup_audit_head (practice_id, seq, hash) VALUES (:practice, 0, :genesis)";
    private static final String MOVE_AUDIT_HEAD = "UPDATE followup_audit_head SET seq = :headSeq, hash = :headHash"
            + " WHERE practice_id = :practice";
    /**
     * {@link #sendStatementList}'s SQL by its parts, joined once per combination (a few hundred at most: the held
     * writes' few statements, with or without the head's creation and the commit, by the number of events) rather
     * than on every transaction.
     */
    private static final Map<List<String>, String> STATEMENT_LISTS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Up to this many events are chained by PostgreSQL in one statement; an import chunk's hundreds go as a batch. */
    private static final int EVENTS_PER_STATEMENT = 50;
    /** {@link #chainInDatabaseSql}'s statement for 1, 2, … {@value #EVENTS_PER_STATEMENT} events, built once. */
    private static final List<String> CHAIN_IN_DATABASE = java.util.stream.IntStream.rangeClosed(1, EVENTS_PER_STATEMENT)
            .mapToObj(JdbiPracticeTransaction::chainInDatabaseSql).toList();

    /**
     * PostgreSQL: the events are chained by the database in one statement, so the trail head, which
     * every writer of the practice needs, is locked for that statement and the commit only (before,
     * a locking read, then the write: a round trip longer, and a round trip more on every engine
     * step and reply). The head is read under its lock as it is when the lock is granted (a
     * concurrent appender's move included: a row lock waits for the other transaction, then reads
     * its version), a recursive step chains the events from it, they are inserted, and the head
     * moves to the last. Each hash is {@link AuditEvent.HashInput}'s, SHA-256 of {@code before ||
     * sequence || after || previous hash}, computed from bytes so that the database's encoding plays
     * no part. Without a head the chain starts from null, and inserting an event without a
     * sequence fails: the statement never appends nothing, which would let a statement list commit
     * writes without their events.
     */
    private static String chainInDatabaseSql(int count) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String n = Integer.toString(i);
            events.append(i == 0 ? "(" : ", (").append(i + 1).append(", CAST(:before").append(n).append(" AS BYTEA), CAST(:after").append(n)
                    .append(" AS BYTEA), CAST(:type").append(n).append(" AS VARCHAR), CAST(:actor").append(n).append(" AS VARCHAR), CAST(:followUp")
                    .append(n).append(" AS VARCHAR), CAST(:patient").append(n).append(" AS VARCHAR), CAST(:attributes").append(n)
                    .append(" AS VARCHAR), CAST(:at").append(n).append(" AS TIMESTAMP WITH TIME ZONE))");
        }
        return "WITH RECURSIVE head AS (SELECT seq, hash FROM followup_audit_head WHERE practice_id = :practice"
                + " FOR UPDATE), start AS (SELECT head.seq, head.hash FROM (VALUES (0)) AS one (n) LEFT JOIN head ON TRUE),"
                + " events (n, before_sequence, after_sequence, type, actor, follow_up_id, patient_id, attributes, occurred_at)"
                + " AS (VALUES " + events + "), chain (n, seq, previous_hash, hash) AS (SELECT 0, seq, CAST(NULL AS TEXT), CAST(hash AS TEXT)"
                + " FROM start UNION ALL SELECT e.n, c.seq + 1, c.hash, encode(sha256(e.before_sequence || convert_to(CAST(c.seq + 1 AS TEXT),"
                + " 'UTF8') || e.after_sequence || convert_to(c.hash, 'UTF8')), 'hex') FROM chain c JOIN events e ON e.n = c.n + 1),"
                + " inserted AS (" + INSERT_AUDIT_EVENT + " SELECT :practice, c.seq, e.type, e.actor, e.follow_up_id, e.patient_id,"
                + " e.attributes, e.occurred_at, c.previous_hash, c.hash FROM chain c JOIN events e ON e.n = c.n)"
                + " UPDATE followup_audit_head SET seq = last.seq, hash = last.hash FROM (SELECT seq, hash FROM chain WHERE n = :count) last"
                + " WHERE practice_id = :practice";
    }

    /** Binds {@link #chainInDatabaseSql}'s statement for {@code records}. */
    private Update bindChain(Update chain, List<AuditRecord> records) {
        for (int i = 0; i < records.size(); i++) {
            AuditRecord record = records.get(i);
            AuditEvent.HashInput input = AuditEvent.HashInput.of(practiceId, record);
            String n = Integer.toString(i);
            chain.bind("before" + n, input.beforeSequence().getBytes(StandardCharsets.UTF_8))
                    .bind("after" + n, input.afterSequence().getBytes(StandardCharsets.UTF_8))
                    .bind("type" + n, record.type().name()).bind("actor" + n, record.actor())
                    .bind("followUp" + n, record.followUpId() == null ? null : record.followUpId().value())
                    .bind("patient" + n, record.patientId() == null ? null : record.patientId().value())
                    .bind("attributes" + n, TextCodecs.attributes(record.attributes())).bind("at" + n, Sql.instant(record.occurredAt()));
        }
        return chain.bind("practice", practice).bind("count", records.size());
    }

    private static final String INSERT_AUDIT_EVENT_VALUES = INSERT_AUDIT_EVENT
            + " VALUES (:practice, :seq, :type, :actor, :followUp, :patient, :attributes, :at, :previousHash, :hash)";
    private static final String INSERT_AUDIT_EVENT_ROWS = ColumnArrays.unnested(INSERT_AUDIT_EVENT_VALUES);

    private void writeEvent(ColumnWriter row, AuditEvent event) {
        row.text("practice", practice).bigint("seq", event.sequence()).text("type", event.type().name())
                .text("actor", event.actor())
                .text("followUp", event.followUpId() == null ? null : event.followUpId().value())
                .text("patient", event.patientId() == null ? null : event.patientId().value())
                .text("attributes", TextCodecs.attributes(event.attributes()))
                .instant("at", event.occurredAt())
                .text("previousHash", event.previousHash()).text("hash", event.hash());
    }

    /**
     * Locks the practice's trail head row until the transaction ends, creating it on first use.
     * Every appender of the practice queues on this one row, which is what keeps sequences gapless
     * and unique across nodes.
     */
    private Head lockTrailHead() {
        Optional<Head> head = lockedHead();
        if (head.isPresent()) {
            return head.get();
        }
        createTrailHead();
        return lockedHead().orElseThrow(() -> new ConcurrentUpdateException("audit trail head of practice " + practiceId
                + " could not be locked"));
    }

    /** Creates the practice's trail head unless another transaction did. */
    private void createTrailHead() {
        Update create = handle().createUpdate(CREATE_TRAIL_HEAD + ctx.dialect().onConflictDoNothing()).bind("practice", practice)
                .bind("genesis", AuditEvent.GENESIS);
        if (ctx.dialect() == Dialect.H2) {
            try {
                create.execute();
            } catch (RuntimeException e) {
                // Another transaction created the head meanwhile; H2 keeps this transaction usable.
                if (!Failures.UNIQUE_VIOLATION.equals(Failures.stateOf(e))) {
                    throw e;
                }
            }
        } else {
            create.execute();
        }
    }

    private Optional<Head> lockedHead() {
        return query("SELECT seq, hash FROM followup_audit_head WHERE practice_id = :practice FOR UPDATE")
                .map((rs, sc) -> new Head(rs.getLong("seq"), rs.getString("hash"))).findFirst();
    }

    private record Head(long sequence, String hash) {}

    private RowMapper<AuditEvent> auditMapper() {
        return (rs, sc) -> {
            String followUp = rs.getString("follow_up_id");
            String patient = rs.getString("patient_id");
            return new AuditEvent(practiceId, rs.getLong("seq"), AuditType.valueOf(rs.getString("type")), rs.getString("actor"),
                    followUp == null ? null : FollowUpId.of(followUp), patient == null ? null : PatientId.of(patient),
                    java.util.Collections.unmodifiableMap(TextCodecs.attributes(rs.getString("attributes"))),
                    Sql.instant(rs, "occurred_at"), rs.getString("previous_hash"), rs.getString("hash"));
        };
    }

    @Override
    public void forEachAuditEvent(Consumer<AuditEvent> sink) {
        flushAudit();
        guard("read the audit trail", () -> {
            stream(query(Queries.AUDIT_TRAIL)).map(auditMapper()).forEach(sink);
            return null;
        });
    }

    /** The head row, read without a lock: verification must not hold up the practice's writers. */
    @Override
    public AuditHead auditHead() {
        flushAudit();
        // Built outside the row mapper, so that a row no trail can have (tampered with) reaches the caller as what it is.
        Optional<Map.Entry<Long, String>> row = guard("read the audit trail's head", () -> query(
                "SELECT seq, hash FROM followup_audit_head WHERE practice_id = :practice")
                .map((rs, sc) -> Map.entry(rs.getLong("seq"), rs.getString("hash"))).findFirst());
        return row.map(head -> new AuditHead(head.getKey(), head.getValue())).orElse(AuditHead.EMPTY);
    }

    // --- reporting ---

    @Override
    public void forEachFollowUpTouched(Instant from, Instant to, Consumer<FollowUp> sink) {
        guard("report follow-ups", () -> {
            stream(query(Queries.REPORT_FOLLOW_UPS)).bind("from", Sql.instant(from)).bind("to", Sql.instant(to))
                    .map(followUpMapper()).forEach(sink);
            return null;
        });
    }

    @Override
    public void forEachAttemptCreated(Instant from, Instant to, Consumer<SendAttempt> sink) {
        guard("report send attempts", () -> {
            stream(query(Queries.REPORT_ATTEMPTS)).bind("from", Sql.instant(from)).bind("to", Sql.instant(to))
                    .map(attemptMapper()).forEach(sink);
            return null;
        });
    }

    @Override
    public void forEachTaskTouched(Instant from, Instant to, Consumer<StaffTask> sink) {
        guard("report tasks", () -> {
            stream(query(Queries.REPORT_TASKS))
                    .bind("from", Sql.instant(from)).bind("to", Sql.instant(to)).map(taskMapper()).forEach(sink);
            return null;
        });
    }

    /**
     * The figures in SQL, one aggregate per date column: no row is mapped and nothing is decrypted
     * (the report needs no PHI), so the cost grows with the period's index entries, not with the
     * rows' size.
     */
    @Override
    public WeeklyCounts weeklyCounts(Instant from, Instant to) {
        return guard("count the report's period", () -> {
            long ingested = periodQuery(Queries.REPORT_INGESTED, from, to).mapTo(Long.class).one();
            long contacted = periodQuery(Queries.REPORT_CONTACTED, from, to).mapTo(Long.class).one();
            Map<Channel, Long> responded = new EnumMap<>(Channel.class);
            periodQuery(Queries.REPORT_REPLIES, from, to)
                    .map((rs, sc) -> new Group(rs.getString("responded_channel"), null, rs.getLong("n"))).list()
                    .forEach(g -> responded.merge(Channel.valueOf(g.key()), g.count(), Long::sum));
            Closings closings = new Closings();
            periodQuery(Queries.REPORT_CLOSED, from, to).map((rs, sc) -> new Closed(rs.getString("state"), rs.getString("booked_via"),
                    rs.getString("booked_type"), rs.getString("booked_provider"), rs.getInt("without_staff") == 1, rs.getLong("n")))
                    .list().forEach(closings::add);
            long smsSent = 0;
            long smsSegments = 0;
            long emailsSent = 0;
            BigDecimal cost = BigDecimal.ZERO;
            for (Group g : periodQuery(Queries.REPORT_MESSAGES, from, to)
                    .map((rs, sc) -> new Group(rs.getString("channel"), rs.getString("cost"), rs.getLong("n"), rs.getLong("segments"))).list()) {
                if (Channel.valueOf(g.key()) == Channel.SMS) {
                    smsSent += g.count();
                    smsSegments += g.segments();
                } else {
                    emailsSent += g.count();
                }
                cost = cost.add(new BigDecimal(Objects.requireNonNull(g.cost())).multiply(BigDecimal.valueOf(g.count())));
            }
            Map<Channel, Long> reached = new EnumMap<>(Channel.class);
            periodQuery(Queries.REPORT_REACHED, from, to).map((rs, sc) -> new Group(rs.getString("channel"), null, rs.getLong("n"))).list()
                    .forEach(g -> reached.merge(Channel.valueOf(g.key()), g.count(), Long::sum));
            long handedToStaff = periodQuery(Queries.REPORT_HANDED_TO_STAFF, from, to).mapTo(Long.class).one();
            long[] staff = periodQuery(Queries.REPORT_STAFF_CALLS, from, to)
                    .map((rs, sc) -> new long[] {rs.getLong("calls"), rs.getLong("reached")}).one();
            return new WeeklyCounts(ingested, contacted, responded, closings.bookedVia, closings.bookedByType, closings.bookedByProvider,
                    closings.declined, closings.optedOut, closings.unreachable, closings.expired, smsSent, smsSegments, emailsSent, cost,
                    reached, handedToStaff, closings.resolvedWithoutStaff, staff[0], staff[1]);
        });
    }

    private Query periodQuery(String sql, Instant from, Instant to) {
        return query(sql).bind("from", Sql.instant(from)).bind("to", Sql.instant(to));
    }

    /** A row of a grouped report count. */
    private record Group(String key, @Nullable String cost, long count, long segments) {
        Group(String key, @Nullable String cost, long count) {
            this(key, cost, count, 0);
        }
    }

    /** A row of {@link Queries#REPORT_CLOSED}: the booking columns are null unless the state is BOOKED. */
    private record Closed(String state, @Nullable String via, @Nullable String type, @Nullable String provider, boolean withoutStaff,
            long count) {}

    /** Adds up the rows of {@link Queries#REPORT_CLOSED}. */
    private static final class Closings {
        final Map<Channel, Long> bookedVia = new EnumMap<>(Channel.class);
        final Map<String, Long> bookedByType = new HashMap<>();
        final Map<String, Long> bookedByProvider = new HashMap<>();
        long declined, optedOut, unreachable, expired, resolvedWithoutStaff;

        void add(Closed row) {
            if (row.withoutStaff()) {
                resolvedWithoutStaff += row.count();
            }
            switch (FollowUpState.valueOf(row.state())) {
                case BOOKED -> {
                    bookedVia.merge(Channel.valueOf(Objects.requireNonNull(row.via())), row.count(), Long::sum);
                    bookedByType.merge(Objects.requireNonNull(row.type()), row.count(), Long::sum);
                    bookedByProvider.merge(Objects.requireNonNull(row.provider()), row.count(), Long::sum);
                }
                case DECLINED -> declined += row.count();
                case OPTED_OUT -> optedOut += row.count();
                case UNREACHABLE -> unreachable += row.count();
                case EXPIRED -> expired += row.count();
                default -> {
                    // the query selects only the states counted above
                }
            }
        }
    }

    // --- retention ---

    @Override
    public int purgeBodiesBefore(Instant cutoff) {
        return guard("purge message bodies", () -> {
            int purged = handle().createUpdate("UPDATE followup_send_attempt SET body_enc = NULL, key_id = NULL"
                    + " WHERE practice_id = :practice AND created_at < :cutoff AND body_enc IS NOT NULL")
                    .bind("practice", practice).bind("cutoff", Sql.instant(cutoff)).execute();
            purged += handle().createUpdate("UPDATE followup_inbound_message SET body_enc = NULL, key_id = NULL"
                    + " WHERE practice_id = :practice AND received_at < :cutoff AND body_enc IS NOT NULL")
                    .bind("practice", practice).bind("cutoff", Sql.instant(cutoff)).execute();
            purged += handle().createUpdate("UPDATE followup_task SET reply_enc = NULL, key_id = NULL"
                    + " WHERE practice_id = :practice AND created_at < :cutoff AND reply_enc IS NOT NULL")
                    .bind("practice", practice).bind("cutoff", Sql.instant(cutoff)).execute();
            return purged;
        });
    }

    // --- provider copies owed a redaction ---

    @Override
    public List<ProviderCopy> providerCopiesOwedRedaction(Instant cutoff, Instant now, int limit) {
        if (limit < 1) {
            throw new InvalidInputException("limit must be at least 1, was " + limit);
        }
        return guard("list provider copies owed a redaction", () -> {
            handle().createUpdate(Queries.SETTLE_PROVIDER_COPIES).bind("practice", practice).bind("cutoff", Sql.instant(cutoff)).execute();
            List<ProviderCopy> owed = new ArrayList<>(owedCopies(Queries.OWED_OUTBOUND_COPIES, cutoff, now, limit, (rs, sc) -> copy(rs,
                    ProviderCopy.Direction.OUTBOUND, rs.getString("id"), "created_at")));
            owed.addAll(owedCopies(Queries.OWED_INBOUND_COPIES, cutoff, now, limit, (rs, sc) -> copy(rs,
                    ProviderCopy.Direction.INBOUND, null, "received_at")));
            owed.sort(ProviderCopy.OLDEST_FIRST);
            return List.copyOf(owed.subList(0, Math.min(limit, owed.size())));
        });
    }

    private List<ProviderCopy> owedCopies(String sql, Instant cutoff, Instant now, int limit, RowMapper<ProviderCopy> mapper) {
        return query(sql).bind("cutoff", Sql.instant(cutoff)).bind("now", Sql.instant(now)).bind("limit", limit).map(mapper).list();
    }

    private static ProviderCopy copy(java.sql.ResultSet rs, ProviderCopy.Direction direction, @Nullable String attemptId, String timeColumn)
            throws java.sql.SQLException {
        String followUp = rs.getString("follow_up_id");
        String patient = rs.getString("patient_id");
        return new ProviderCopy(rs.getString("provider_message_id"), direction, attemptId, followUp == null ? null : FollowUpId.of(followUp),
                patient == null ? null : PatientId.of(patient), Sql.instant(rs, timeColumn), rs.getInt("redaction_tries"));
    }

    @Override
    public boolean recordProviderRedaction(ProviderCopy copy, ProviderCopy.Outcome outcome, Instant at, @Nullable Instant retryAt) {
        copy.requireRetryTimeFor(outcome, retryAt);
        // A refused copy stays owed; the guard on the tries makes a second node's record of the same try a no-op.
        String sql = copy.direction() == ProviderCopy.Direction.OUTBOUND
                ? "UPDATE followup_send_attempt SET redaction = :redaction, redaction_tries = :tries, redaction_retry_at = :retryAt,"
                        + " redaction_at = :at WHERE practice_id = :practice AND id = :attemptId AND provider_message_id = :providerId"
                        + " AND (redaction = 'OWED' OR (redaction IS NULL AND channel = 'SMS')) AND redaction_tries = :expected"
                : "UPDATE followup_inbound_message SET redaction = :redaction, redaction_tries = :tries, redaction_retry_at = :retryAt,"
                        + " redaction_at = :at WHERE practice_id = :practice AND provider_message_id = :providerId"
                        + " AND redaction = 'OWED' AND redaction_tries = :expected";
        return guard("record the provider's redaction of a copy", () -> handle().createUpdate(sql).bind("practice", practice)
                .bind("redaction", outcome == ProviderCopy.Outcome.NOT_REDACTED ? "OWED" : outcome.name())
                .bind("tries", copy.tries() + 1).bind("expected", copy.tries())
                .bind("retryAt", outcome == ProviderCopy.Outcome.NOT_REDACTED ? Sql.instant(retryAt) : null)
                .bind("at", Sql.instant(at)).bind("attemptId", copy.attemptId()).bind("providerId", copy.providerMessageId())
                .execute() == 1);
    }

    // --- plumbing ---

    /**
     * The handle, for a statement to be run now: the deferred updates are sent first, so that the
     * statement, whatever it is, sees the transaction's writes in the order they were asked for.
     */
    private Handle handle() {
        if (committed) {
            throw new IllegalStateException("the transaction of practice " + practiceId + " is already committed");
        }
        sendPending();
        return handle;
    }

    /** Sends every write held back so far, in the order they were asked for. */
    private void sendPending() {
        sendDeferred();
        sendHeld();
    }

    /** Sends the held writes, if any, without the audit chain: a lone one as it is, several as one statement list. */
    private void sendHeld() {
        if (held.size() > 1) {
            sendStatementList(false, false);
            return;
        }
        if (held.size() == 1) {
            HeldWrite write = held.remove(0);
            guard(write.what(), () -> {
                try (Update update = handle.createUpdate(write.sql())) {
                    write.binder().bind(update, "");
                    write.check(update.execute());
                }
                return null;
            });
        }
    }

    /**
     * A write held back unsent: see {@link #held}.
     *
     * @param what the operation, for an error's message
     * @param batch what a batch of such updates is, should a long run of writes make it join one; null
     *     for an insert, which never does: batches run one statement after another, and a later update
     *     in one may be of the inserted row
     * @param ifUnchanged as for {@link #defer}
     * @param followUp for an update of a follow-up, the follow-up as it writes it; else null
     * @param binder binds its values to a statement, an update or a batch's entry
     */
    private record HeldWrite(String sql, String what, @Nullable String batch, @Nullable String row, @Nullable String ifUnchanged,
            @Nullable FollowUp followUp, Binder binder) {
        void check(int rows) {
            if (ifUnchanged != null && rows == 0) {
                throw new ConcurrentUpdateException(ifUnchanged);
            }
        }
    }

    /**
     * Asks for an update whose only answer is a row count. On PostgreSQL it is {@link #hold held}
     * (it may go with the audit chain at commit), unless {@value #MAX_HELD} updates are held already:
     * a run that long, a group's, goes as one batch per statement, {@link #defer deferred}, the held
     * ones first. Elsewhere it is deferred.
     */
    private void write(String sql, String batch, String operation, String row, @Nullable String ifUnchanged, Binder binder) {
        write(sql, batch, operation, row, ifUnchanged, null, binder);
    }

    /**
     * @param row the id of the row the update writes, so that two updates of it keep their order. Ids
     *     are UUIDs: a follow-up's is never an attempt's, and if one were, the batches would only go early
     * @param followUp the follow-up an update of one writes, so that a later update of it may replace this one
     */
    private void write(String sql, String batch, String operation, String row, @Nullable String ifUnchanged, @Nullable FollowUp followUp,
            Binder binder) {
        if (ctx.dialect() == Dialect.POSTGRESQL && deferred.isEmpty()) {
            if (held.size() < MAX_HELD || held.stream().anyMatch(w -> w.batch() == null)) {
                hold(new HeldWrite(sql, operation, batch, row, ifUnchanged, followUp, binder));
                return;
            }
            for (HeldWrite earlier : held) {
                PreparedBatch entries = defer(earlier.sql(), Objects.requireNonNull(earlier.batch()), Objects.requireNonNull(earlier.row()),
                        earlier.ifUnchanged());
                earlier.binder().bind(entries, "");
                entries.add();
            }
            held.clear();
        }
        PreparedBatch entries = defer(sql, batch, row, ifUnchanged);
        binder.bind(entries, "");
        entries.add();
    }

    /**
     * Asks for an insert whose answer nothing needs: on PostgreSQL it is {@link #hold held}, and a
     * failure (a duplicate) surfaces when it is sent; elsewhere it runs now.
     */
    private void insert(String sql, String operation, Binder binder) {
        if (ctx.dialect() == Dialect.POSTGRESQL) {
            hold(new HeldWrite(sql, operation, null, null, null, null, binder));
            return;
        }
        guard(operation, () -> {
            try (Update insert = handle().createUpdate(sql)) {
                binder.bind(insert, "");
                return insert.execute();
            }
        });
    }

    /**
     * Binds a write's values to a statement, or to a batch's entry, each under its parameter's name
     * followed by {@code suffix}: empty, but for a write among others in a statement list, whose SQL
     * names its parameters so ({@link ListedWrite}), since two writes there may both bind {@code :id}.
     */
    @FunctionalInterface
    private interface Binder {
        void bind(SqlStatement<?> statement, String suffix);
    }

    /** Adds a write to {@link #held}, after the deferred updates asked for before it, and after sending a full list. */
    private void hold(HeldWrite write) {
        sendDeferred();
        if (held.size() == MAX_HELD) {
            sendHeld();
        }
        held.add(write);
    }

    /**
     * Updates whose only answer is a row count are held back and sent when the transaction next
     * runs any statement or commits, as one JDBC batch per statement: recording a group's 25 sends
     * then costs two round trips, not fifty. A guarded update that matched no row fails there, with
     * the message it would have failed with at once, which rolls the transaction back as the SPI
     * asks.
     *
     * @param ifUnchanged the message of the {@link ConcurrentUpdateException} if this entry updates
     *     no row, or null when no row is not a failure
     * @return the statement's batch, to bind one entry and {@code add()} it
     */
    private PreparedBatch defer(String sql, String what, String row, @Nullable String ifUnchanged) {
        // The batches run one statement after another, in the order of each statement's first use: an update of a row
        // that waits in another statement's batch would run before it. Those go first.
        if (deferred.entrySet().stream().anyMatch(e -> !e.getKey().equals(sql) && e.getValue().rows().contains(row))) {
            sendDeferred();
        }
        DeferredUpdates updates = deferred.computeIfAbsent(sql,
                k -> new DeferredUpdates(what, handle.prepareBatch(k), new ArrayList<>(), new HashSet<>()));
        updates.ifUnchanged().add(ifUnchanged);
        updates.rows().add(row);
        return updates.batch();
    }

    private void sendDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        List<DeferredUpdates> pending = List.copyOf(deferred.values());
        deferred.clear();
        for (DeferredUpdates updates : pending) {
            int[] counts = guard("write " + updates.ifUnchanged().size() + " " + updates.what(), () -> updates.batch().execute());
            for (int i = 0; i < counts.length; i++) {
                String lost = updates.ifUnchanged().get(i);
                if (lost != null && counts[i] == 0) {
                    throw new ConcurrentUpdateException(lost);
                }
            }
        }
    }

    private record DeferredUpdates(String what, PreparedBatch batch, List<@Nullable String> ifUnchanged, Set<String> rows) {}

    private Query query(String sql) {
        return handle().createQuery(sql).bind("practice", practice);
    }

    /** Streams rows from the server in pages rather than loading a practice's whole history at once. */
    private static Query stream(Query q) {
        return q.setFetchSize(STREAM_FETCH_SIZE);
    }

    private boolean insertUnlessExists(Update insert) {
        if (ctx.dialect() == Dialect.POSTGRESQL) {
            return insert.execute() == 1;
        }
        try {
            return insert.execute() == 1;
        } catch (RuntimeException e) {
            if (Failures.UNIQUE_VIOLATION.equals(Failures.stateOf(e))) {
                return false;
            }
            throw e;
        }
    }

    private void requireOwn(PracticeId owner, String what) {
        if (!owner.equals(practiceId)) {
            throw new InvalidInputException(what + " belongs to practice " + owner + ", not to the transaction's practice " + practiceId);
        }
    }

    private Place place(String table, String column, String rowId) {
        return new Place(table, column, practice, rowId);
    }

    private static @Nullable String name(@Nullable Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static <T> T guard(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw Failures.translate(operation, e);
        }
    }
}
