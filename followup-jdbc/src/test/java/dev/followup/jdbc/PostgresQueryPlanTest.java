package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.audit.AuditRecord;
import dev.followup.audit.AuditType;
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
        assertIndexed(explain(Queries.inArray("*", "followup_patient", "identity_hash"),
                q -> q.bind("practice", practice.value()).bindArray("values", String.class, identities)), "followup_patient");
        // Which follow-ups of a batch went in, when the driver hides the update counts.
        assertIndexed(explain(Queries.inArray("id", "followup_follow_up", "id"),
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
    }

    @Test
    void providerCopiesOwedARedactionAreReadThroughAnIndex() {
        PracticeId practice = practices.get(9);
        Function<Query, Query> run = q -> q.bind("practice", practice.value()).bind("cutoff", Sql.instant(START.plus(Duration.ofDays(30))))
                .bind("now", Sql.instant(START.plus(Duration.ofDays(31)))).bind("limit", 100);
        assertIndexed(explain(Queries.OWED_OUTBOUND_COPIES, run), "followup_send_attempt");
        assertIndexed(explain(Queries.SETTLE_PROVIDER_COPIES, q -> q.bind("practice", practice.value())
                .bind("cutoff", Sql.instant(START.plus(Duration.ofDays(30))))), "followup_send_attempt");
    }

    private static void assertIndexed(String plan, String table) {
        assertThat(plan).as(plan).doesNotContain("Seq Scan on " + table).containsPattern("Index (Only )?Scan|Bitmap Index Scan");
    }

    private static String explain(String sql, Function<Query, Query> binder) {
        return jdbi.withHandle((Handle h) -> String.join("\n", binder.apply(h.createQuery("EXPLAIN " + sql)).mapTo(String.class).list()));
    }
}
