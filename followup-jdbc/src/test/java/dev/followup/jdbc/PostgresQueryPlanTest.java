package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.audit.AuditRecord;
import dev.followup.audit.AuditType;
import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.followup.BatchId;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpState;
import dev.followup.followup.FollowUpType;
import dev.followup.jdbc.internal.BlindIndex;
import dev.followup.jdbc.internal.Queries;
import dev.followup.jdbc.internal.Sql;
import dev.followup.message.AttemptState;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.Language;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskId;
import dev.followup.task.TaskKind;
import dev.followup.task.TaskPriority;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of rows in twenty practices on PostgreSQL, analysed, and the plans of the statements
 * that run most often or over the most rows: each must read an index, never scan a whole table.
 * Ingestion goes through the store, chunked as the engine writes, and its rate is printed.
 */
class PostgresQueryPlanTest {
    private static final int PRACTICES = 20;
    private static final int PER_PRACTICE = 120;
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static final List<PracticeId> practices = new ArrayList<>();
    private static final BlindIndex index = new BlindIndex(java.util.Base64.getDecoder().decode(TestKeys.LOOKUP));

    @BeforeAll
    static void fill() {
        dataSource = SharedPostgres.newDatabase(4);
        jdbi = Jdbi.create(dataSource);
        JdbiFollowUpStore store = TestKeys.store(dataSource, TestKeys.k1());
        long started = System.nanoTime();
        int rows = 0;
        for (int p = 0; p < PRACTICES; p++) {
            PracticeId practice = PracticeId.of("plan-" + p);
            practices.add(practice);
            int base = p * PER_PRACTICE;
            rows += store.inTransaction(practice, tx -> {
                int written = 0;
                for (int i = 0; i < PER_PRACTICE; i++) {
                    int n = base + i;
                    Instant created = START.plus(Duration.ofMinutes(n * 13L % (60 * 24 * 60)));
                    Patient patient = new Patient(PatientId.of("p-" + n), practice, null, "First" + n, "Last" + n,
                            PhoneNumber.ofE164(String.format("+1415555%04d", n % 10_000)), null, Language.ENGLISH, null);
                    tx.savePatient(patient);
                    FollowUp f = FollowUp.open(FollowUpId.of("f-" + n), practice, patient.id(), new Provider("dr", "Dr. Who"),
                            FollowUpType.GENERAL, PreferredWindow.ANY, null, BatchId.of("b-" + practice.value()), "need-" + n, "standard",
                            created, created.plus(Duration.ofHours(2)));
                    if (n % 3 == 0) {
                        f = f.stepTaken(Channel.SMS, created.plusSeconds(600), 1, created.plus(Duration.ofDays(1)));
                    }
                    if (n % 5 == 0) {
                        f = f.closed(FollowUpState.EXPIRED, created.plus(Duration.ofDays(3)));
                    }
                    tx.insertFollowUp(f);
                    FollowUpId followUpId = f.id();
                    SendAttempt a = new SendAttempt("a-" + n, practice, followUpId, patient.id(), Channel.SMS, MessagePurpose.OUTREACH, 0, 1,
                            AttemptState.SENT, null, "SM" + n, null, "body " + n, 1, new BigDecimal("0.0079"), created, created);
                    tx.insertAttempt(a);
                    if (n % 2 == 0) {
                        tx.recordInbound(new dev.followup.conversation.InboundMessage(practice, "SMin" + n, patient.id(), followUpId,
                                dev.followup.conversation.ReplyKind.YES, "yes " + n, created.plusSeconds(900)));
                    }
                    if (n % 4 == 0) {
                        tx.insertTask(StaffTask.open(TaskId.of("t-" + n), practice, followUpId, patient.id(), TaskKind.CALL_PATIENT,
                                TaskPriority.NORMAL, "no reply", null, created));
                    }
                    tx.appendAudit(new AuditRecord(AuditType.FOLLOW_UP_CREATED, "engine", followUpId, patient.id(), Map.of(), created));
                    written += 5;
                }
                return written;
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("ingested %d rows (%d follow-ups with patient, attempt, audit) in %.1f s: %.0f rows/s%n", rows,
                PRACTICES * PER_PRACTICE, seconds, rows / seconds);
        jdbi.useHandle(h -> h.execute("ANALYZE"));
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void theClaimQueryReadsTheDueTimeIndex() {
        String plan = explain(Queries.CLAIM_DUE, q -> q.bind("now", Sql.instant(START.plus(Duration.ofHours(6))))
                .bind("limit", 50));
        assertIndexed(plan, "followup_follow_up");
        assertThat(plan).contains("followup_follow_up_due").contains("LockRows");
    }

    @Test
    void theOneStatementClaimReadsTheDueTimeIndexAndUpdatesByPrimaryKey() {
        String plan = explain(Queries.CLAIM_DUE_AND_LEASE, q -> q.bind("now", Sql.instant(START.plus(Duration.ofHours(6))))
                .bind("limit", 50).bind("owner", "node-plan").bind("leaseUntil", Sql.instant(START.plus(Duration.ofHours(7)))));
        assertIndexed(plan, "followup_follow_up");
        assertThat(plan).contains("followup_follow_up_due").contains("LockRows").contains("followup_follow_up_pkey");
    }

    @Test
    void inboundLookupsReadIndexes() {
        PracticeId practice = practices.get(7);
        assertIndexed(explain(Queries.PATIENTS_BY_PHONE, q -> q.bind("practice", practice.value())
                .bind("hash", index.phone(practice, PhoneNumber.ofE164("+14155551401")))), "followup_patient");
        assertIndexed(explain(Queries.ATTEMPT_BY_PROVIDER_ID, q -> q.bind("practice", practice.value()).bind("providerId", "SM1401")),
                "followup_send_attempt");
        assertIndexed(explain(Queries.FOLLOW_UP_BY_NEED, q -> q.bind("practice", practice.value())
                .bind("hash", index.need(practice, "need-1401"))), "followup_follow_up");
        assertIndexed(explain(Queries.AUDIT_TRAIL, q -> q.bind("practice", practice.value())), "followup_audit_event");
    }

    @Test
    void bulkImportLookupsReadIndexes() {
        PracticeId practice = practices.get(5);
        List<String> identities = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            identities.add(index.identity(practice, "identity-" + i));
            ids.add(java.util.UUID.randomUUID().toString());
        }
        assertIndexed(explain(Queries.PATIENTS_BY_IDENTITY.postgres(),
                q -> q.bind("practice", practice.value()).bindArray("values", String.class, identities)), "followup_patient");
        assertIndexed(explain(Queries.PATIENTS_BY_CONTACT.postgres(),
                q -> q.bind("practice", practice.value()).bindArray("values", String.class, identities)), "followup_patient");
        // Which follow-ups of a batch went in, when the driver hides the update counts.
        assertIndexed(explain(Queries.FOLLOW_UPS.postgres(),
                q -> q.bind("practice", practice.value()).bindArray("values", String.class, ids)), "followup_follow_up");
    }

    @Test
    void weeklyReportQueriesReadIndexes() {
        PracticeId practice = practices.get(3);
        Function<Query, Query> week = q -> q.bind("practice", practice.value())
                .bind("from", Sql.instant(START.plus(Duration.ofDays(14)))).bind("to", Sql.instant(START.plus(Duration.ofDays(21))));
        assertIndexed(explain(Queries.REPORT_FOLLOW_UPS, week), "followup_follow_up");
        assertIndexed(explain(Queries.REPORT_ATTEMPTS, week), "followup_send_attempt");
        assertIndexed(explain(Queries.REPORT_TASKS, week), "followup_task");
    }

    @Test
    void weeklyCountQueriesReadIndexes() {
        PracticeId practice = practices.get(3);
        // The week that holds this practice's rows (created 3 to 4.5 days after START), so the plans are of real work.
        Function<Query, Query> week = q -> q.bind("practice", practice.value())
                .bind("from", Sql.instant(START.plus(Duration.ofDays(2)))).bind("to", Sql.instant(START.plus(Duration.ofDays(9))));
        Map<String, String> tables = Map.of(Queries.REPORT_INGESTED, "followup_follow_up", Queries.REPORT_CONTACTED, "followup_follow_up",
                Queries.REPORT_REPLIES, "followup_follow_up", Queries.REPORT_CLOSED, "followup_follow_up",
                Queries.REPORT_MESSAGES, "followup_send_attempt", Queries.REPORT_REACHED, "followup_send_attempt",
                Queries.REPORT_HANDED_TO_STAFF, "followup_task", Queries.REPORT_STAFF_CALLS, "followup_task");
        tables.forEach((sql, table) -> assertIndexed(explain(sql, week), table));
        // The closings look up the tasks of each closed follow-up; the reached follow-ups include the week's repliers.
        assertIndexed(explain(Queries.REPORT_CLOSED, week), "followup_task");
        assertIndexed(explain(Queries.REPORT_REACHED, week), "followup_follow_up");
    }

    @Test
    void providerCopiesOwedARedactionAreReadThroughAnIndex() {
        PracticeId practice = practices.get(9);
        Function<Query, Query> run = q -> q.bind("practice", practice.value()).bind("cutoff", Sql.instant(START.plus(Duration.ofDays(30))))
                .bind("now", Sql.instant(START.plus(Duration.ofDays(31)))).bind("limit", 100);
        assertIndexed(explain(Queries.OWED_OUTBOUND_COPIES, run), "followup_send_attempt");
        assertIndexed(explain(Queries.OWED_INBOUND_COPIES, run), "followup_inbound_message");
        assertIndexed(explain(Queries.SETTLE_PROVIDER_COPIES, q -> q.bind("practice", practice.value())
                .bind("cutoff", Sql.instant(START.plus(Duration.ofDays(30))))), "followup_send_attempt");
    }

    /**
     * The bulk reads that decide a batch, on tables that have rows but no statistics yet (a fresh
     * database's first hours; autovacuum is off for these tables so that it cannot analyse them
     * meanwhile): each must still probe its index once per value, not scan the table.
     */
    @Test
    void bulkReadsProbeTheirIndexesBeforeTheTablesHaveStatistics() {
        List<String> tables = List.of("followup_patient", "followup_follow_up", "followup_send_attempt", "followup_consent",
                "followup_suppression");
        try (HikariDataSource fresh = SharedPostgres.newDatabase(2)) {
            JdbiFollowUpStore store = TestKeys.store(fresh, TestKeys.k1());
            Jdbi freshJdbi = Jdbi.create(fresh);
            freshJdbi.useHandle(h -> tables.forEach(t -> h.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = false)")));
            PracticeId practice = PracticeId.of("plan-fresh");
            int rows = 3_000;
            List<Patient> patients = new ArrayList<>();
            List<FollowUp> followUps = new ArrayList<>();
            for (int n = 0; n < rows; n++) {
                Patient patient = new Patient(PatientId.of("fresh-p-" + n), practice, null, "First" + n, "Last" + n,
                        PhoneNumber.ofE164(String.format("+1415556%04d", n)), null, Language.ENGLISH, null);
                patients.add(patient);
                followUps.add(FollowUp.open(FollowUpId.of("fresh-f-" + n), practice, patient.id(), new Provider("dr", "Dr. Who"),
                        FollowUpType.GENERAL, PreferredWindow.ANY, null, BatchId.of("b-fresh"), "need-fresh-" + n, "standard", START, START));
            }
            store.inTransaction(practice, tx -> {
                tx.savePatients(patients);
                tx.insertFollowUps(followUps);
                for (int n = 0; n < rows; n++) {
                    Patient p = patients.get(n);
                    tx.insertAttempt(new SendAttempt("fresh-a-" + n, practice, followUps.get(n).id(), p.id(), Channel.SMS,
                            MessagePurpose.OUTREACH, 0, 1, AttemptState.SENT, null, "SMf" + n, null, "body " + n, 1,
                            new BigDecimal("0.0079"), START, START));
                    tx.recordConsent(new ConsentChange(practice, p.id(), p.phone(), ConsentStatus.OPTED_IN, ConsentSource.STAFF, START));
                    tx.suppress(new ChannelSuppression(practice, p.id(), Channel.EMAIL, "bounce", START));
                }
                return null;
            });
            int statistics = freshJdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pg_stats WHERE tablename IN (<tables>)")
                    .bindList("tables", tables).mapTo(Integer.class).one());
            assertThat(statistics).as("statistics of the fresh tables").isZero();
            List<String> patientIds = patients.subList(0, 300).stream().map(p -> p.id().value()).toList();
            List<String> phoneHashes = patients.subList(0, 300).stream().map(p -> index.phone(practice, p.phone())).toList();
            List<String> followUpIds = followUps.subList(0, 300).stream().map(f -> f.id().value()).toList();
            Map<Queries.BulkRead, List<String>> values = new java.util.LinkedHashMap<>();
            values.put(Queries.PATIENTS, patientIds);
            values.put(Queries.PATIENTS_BY_PHONES, phoneHashes);
            values.put(Queries.FOLLOW_UPS, followUpIds);
            values.put(Queries.LEASED_FOLLOW_UPS, followUpIds);
            // Not the send-attempt reads: without statistics PostgreSQL reads their probes from the narrower
            // (practice_id, created_at) index and filters the practice's rows; see bulkAttemptReadsReadIndexes.
            values.put(Queries.LATEST_CONSENTS_OF_PATIENTS, patientIds);
            values.put(Queries.LATEST_CONSENTS_OF_PHONES, phoneHashes);
            values.put(Queries.SUPPRESSIONS, patientIds);
            Map<Queries.BulkRead, String> indexes = Map.of(Queries.PATIENTS, "followup_patient_pkey",
                    Queries.PATIENTS_BY_PHONES, "followup_patient_phone", Queries.FOLLOW_UPS, "followup_follow_up_pkey",
                    Queries.LEASED_FOLLOW_UPS, "followup_follow_up_pkey", Queries.LATEST_CONSENTS_OF_PATIENTS, "followup_consent_patient",
                    Queries.LATEST_CONSENTS_OF_PHONES, "followup_consent_phone", Queries.SUPPRESSIONS, "followup_suppression_patient");
            // The consent that applies to one patient: both branches read their index backwards, first row only.
            String consent = freshJdbi.withHandle(h -> String.join("\n", h.createQuery("EXPLAIN " + Queries.CONSENT_OF_PATIENT_AND_PHONE)
                    .bind("practice", practice.value()).bind("patient", patientIds.get(5)).bind("hash", phoneHashes.get(5))
                    .mapTo(String.class).list()));
            assertIndexed(consent, "followup_consent");
            assertThat(consent).as(consent).contains("followup_consent_patient").contains("followup_consent_phone");
            values.forEach((read, wanted) -> {
                String plan = freshJdbi.withHandle(h -> String.join("\n", h.createQuery("EXPLAIN " + read.postgres())
                        .bind("practice", practice.value()).bindArray("values", String.class, wanted)
                        .bindMap(parametersOf(read)).mapTo(String.class).list()));
                assertIndexed(plan, read.table());
                assertThat(plan).as(plan).contains(indexes.get(read));
            });
        }
    }

    /** The bulk reads of send attempts, on the analysed tables: each probes the index of its column per value. */
    @Test
    void bulkAttemptReadsReadIndexes() {
        PracticeId practice = practices.get(9);
        int base = 9 * PER_PRACTICE;
        List<String> attemptIds = new ArrayList<>();
        List<String> followUpIds = new ArrayList<>();
        List<String> patientIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            attemptIds.add("a-" + (base + i));
            followUpIds.add("f-" + (base + i));
            patientIds.add("p-" + (base + i));
        }
        Map<Queries.BulkRead, List<String>> values = Map.of(Queries.ATTEMPTS, attemptIds, Queries.ATTEMPTS_OF_FOLLOW_UPS, followUpIds,
                Queries.OUTREACH_SINCE, patientIds);
        Map<Queries.BulkRead, String> indexes = Map.of(Queries.ATTEMPTS, "followup_send_attempt_pkey",
                Queries.ATTEMPTS_OF_FOLLOW_UPS, "followup_send_attempt_follow_up", Queries.OUTREACH_SINCE, "followup_send_attempt_patient");
        values.forEach((read, wanted) -> {
            String plan = explain(read.postgres(), q -> q.bind("practice", practice.value()).bindArray("values", String.class, wanted)
                    .bindMap(parametersOf(read)));
            assertIndexed(plan, read.table());
            assertThat(plan).as(plan).contains(indexes.get(read));
        });
    }

    /** @return the parameters of a bulk read's condition, beyond the practice and the values */
    private static Map<String, Object> parametersOf(Queries.BulkRead read) {
        if (read == Queries.LEASED_FOLLOW_UPS) {
            return Map.of("owner", "node-a", "now", Sql.instant(START));
        }
        if (read == Queries.OUTREACH_SINCE) {
            return Map.of("since", Sql.instant(START), "purpose", MessagePurpose.OUTREACH.name());
        }
        return Map.of();
    }

    private static void assertIndexed(String plan, String table) {
        assertThat(plan).as(plan).doesNotContain("Seq Scan on " + table).containsPattern("Index (Only )?Scan|Bitmap Index Scan");
    }

    private static String explain(String sql, Function<Query, Query> binder) {
        return jdbi.withHandle((Handle h) -> String.join("\n", binder.apply(h.createQuery("EXPLAIN " + sql)).mapTo(String.class).list()));
    }
}
