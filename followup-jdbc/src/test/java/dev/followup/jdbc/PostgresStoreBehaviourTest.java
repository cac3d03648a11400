package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.followup.BatchId;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpType;
import dev.followup.jdbc.internal.BlindIndex;
import dev.followup.jdbc.internal.Queries;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The JDBC store's own promises on the shared embedded PostgreSQL. */
class PostgresStoreBehaviourTest extends JdbcStoreBehaviour {
    @Override
    DatabaseFixture newDatabase() {
        return new DatabaseFixture.Postgres();
    }

    @Override
    List<String> indexNames(Jdbi jdbi) {
        return strings(jdbi, "SELECT indexname FROM pg_indexes");
    }

    /**
     * With {@code reWriteBatchedInserts=true} (a common pgjdbc tuning) the driver folds a batch into
     * multi-row INSERTs and reports no per-row counts: the store must still tell new follow-ups from
     * known needs and repeats.
     */
    @Test
    void aBulkInsertTellsWhichRowsWentInWhenTheDriverRewritesTheBatch() {
        com.zaxxer.hikari.HikariDataSource plain = (com.zaxxer.hikari.HikariDataSource) db.dataSource();
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(plain.getJdbcUrl());
        config.setUsername(plain.getUsername());
        config.setMaximumPoolSize(2);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        try (com.zaxxer.hikari.HikariDataSource rewriting = new com.zaxxer.hikari.HikariDataSource(config)) {
            JdbiFollowUpStore store = TestKeys.store(rewriting, TestKeys.k1());
            Patient p = new Patient(PatientId.random(), practice, new Mrn("MRN-rewrite"), "Re", "Write",
                    PhoneNumber.ofE164("+14155550191"), null, Language.ENGLISH, null);
            FollowUp known = followUpOf(p, "need-rewrite-known");
            store.inTransaction(practice, tx -> {
                tx.savePatient(p);
                return tx.insertFollowUp(known);
            });
            FollowUp again = followUpOf(p, "need-rewrite-known");
            FollowUp fresh = followUpOf(p, "need-rewrite-fresh");
            FollowUp repeat = followUpOf(p, "need-rewrite-fresh");
            FollowUp other = followUpOf(p, "need-rewrite-other");

            List<Boolean> inserted = store.inTransaction(practice, tx -> tx.insertFollowUps(List.of(again, fresh, repeat, other)));

            assertThat(inserted).containsExactly(false, true, false, true);
        }
    }

    private FollowUp followUpOf(Patient p, String needKey) {
        return FollowUp.open(FollowUpId.random(), practice, p.id(), new Provider("dr-m", "Dr. Martinez"), FollowUpType.GENERAL,
                PreferredWindow.ANY, null, BatchId.random(), needKey, "standard", T0, T0);
    }

    /**
     * A fresh database's first import: the table has rows but no statistics yet. The bulk lookup must
     * still probe the index for each value; a plain IN list of parameters was planned as a scan of
     * the practice then, comparing every row with 500 values (about 0.2 s per chunk at 20,000 rows).
     */
    @Test
    void theBulkIdentityLookupReadsTheIndexBeforeTheTableHasStatistics() {
        JdbiFollowUpStore store = TestKeys.store(db.dataSource(), TestKeys.k1());
        List<Patient> patients = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            patients.add(new Patient(PatientId.random(), practice, new Mrn("MRN-" + i), "Stat", "Less" + i,
                    PhoneNumber.ofE164("+1415555" + String.format("%04d", i % 10_000)), null, Language.ENGLISH, null));
        }
        store.inTransaction(practice, tx -> {
            tx.savePatients(patients);
            return null;
        });
        BlindIndex index = new BlindIndex(TestKeys.k1().key("lookup").orElseThrow().material());
        List<String> hashes = patients.subList(0, 500).stream().map(p -> index.identity(practice, p.identityKey())).toList();
        Jdbi jdbi = Jdbi.create(db.dataSource());
        assertThat(strings(jdbi, "SELECT CAST(last_analyze AS VARCHAR) FROM pg_stat_user_tables WHERE relname = 'followup_patient'"
                + " AND last_analyze IS NOT NULL")).isEmpty();
        String plan = jdbi.withHandle(h -> String.join("\n", h.createQuery("EXPLAIN "
                + Queries.PATIENTS_BY_IDENTITY.postgres())
                .bind("practice", practice.value()).bindArray("values", String.class, hashes).mapTo(String.class).list()));
        assertThat(plan).as(plan).doesNotContain("Seq Scan on followup_patient").contains("followup_patient_identity");
    }

    /**
     * A statement whose nullable timestamps alternate (a follow-up's next action set one time, its
     * closing time the next) stays one server-prepared statement: with nulls bound without their
     * type's name the driver prepared it again on every execution, which PostgreSQL then parsed and
     * planned each time.
     */
    @Test
    void nullsOfAlternatingParametersKeepOnePreparedStatement() {
        Jdbi jdbi = Jdbi.create(db.dataSource());
        long executions = jdbi.withHandle(h -> {
            h.execute("CREATE TEMPORARY TABLE alternating (id INTEGER PRIMARY KEY, a TIMESTAMP WITH TIME ZONE, b TIMESTAMP WITH TIME ZONE,"
                    + " d DATE, x BYTEA)");
            h.execute("INSERT INTO alternating (id) VALUES (1)");
            java.time.Instant now = java.time.Instant.parse("2026-03-02T16:30:00Z");
            for (int i = 0; i < 20; i++) {
                boolean even = i % 2 == 0;
                h.createUpdate("UPDATE alternating SET a = :a, b = :b, d = :d, x = :x WHERE id = 1")
                        .bind("a", dev.followup.jdbc.internal.Sql.instant(even ? now : null))
                        .bind("b", dev.followup.jdbc.internal.Sql.instant(even ? null : now))
                        .bind("d", dev.followup.jdbc.internal.Sql.date(even ? null : java.time.LocalDate.of(2026, 3, 2)))
                        .bind("x", dev.followup.jdbc.internal.Sql.bytes(even ? new byte[] {1} : null)).execute();
            }
            return h.createQuery("SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE 'UPDATE alternating%'")
                    .mapTo(Long.class).list().stream().mapToLong(Long::longValue).max().orElse(0);
        });
        // The driver runs the first four unprepared (its prepareThreshold is 5), then prepares once.
        assertThat(executions).as("executions of the one prepared statement").isGreaterThanOrEqualTo(15);
    }

    /**
     * A transaction's lone follow-up update is held back and sent in the statement list that
     * commits, guarded so that it fails the list when it matches no row, as a reply's is: it must
     * still be one server-prepared statement, not parsed and planned on every reply. On one
     * connection, twenty such transactions use one prepared statement.
     */
    @Test
    void aLoneDeferredUpdateStaysAPreparedStatement() {
        try (com.zaxxer.hikari.HikariDataSource migrated = SharedPostgres.newDatabase(2);
                com.zaxxer.hikari.HikariDataSource one = new com.zaxxer.hikari.HikariDataSource()) {
            TestKeys.store(migrated, TestKeys.k1()); // migrates the schema, which takes two connections
            one.setJdbcUrl(migrated.getJdbcUrl());
            one.setUsername(migrated.getUsername());
            one.setPassword(migrated.getPassword());
            one.setMaximumPoolSize(1);
            JdbiFollowUpStore store = JdbiFollowUpStore.builder(one).keys(TestKeys.k1()).lookupKeyId("lookup").build();
            Patient p = new Patient(PatientId.random(), practice, null, "Lone", "Update", PhoneNumber.ofE164("+14155550199"), null,
                    Language.ENGLISH, null);
            FollowUp first = followUpOf(p, "need-lone-update");
            store.inTransaction(practice, tx -> {
                tx.savePatient(p);
                return tx.insertFollowUp(first);
            });
            FollowUp current = first;
            for (int i = 1; i <= 20; i++) {
                FollowUp next = current.rescheduled(T0.plusSeconds(i));
                store.inTransaction(practice, tx -> {
                    tx.updateFollowUp(next);
                    return null;
                });
                current = next;
            }
            long executions = Jdbi.create(one).withHandle(h -> h.createQuery("SELECT generic_plans + custom_plans FROM pg_prepared_statements"
                    + " WHERE statement LIKE 'WITH guarded AS (UPDATE followup_follow_up SET patient_id%'").mapTo(Long.class).list().stream()
                    .mapToLong(Long::longValue).max().orElse(0));
            // The driver runs the first four unprepared (its prepareThreshold is 5), then prepares once.
            assertThat(executions).as("executions of the one prepared follow-up update").isGreaterThanOrEqualTo(15);
        }
    }
}
