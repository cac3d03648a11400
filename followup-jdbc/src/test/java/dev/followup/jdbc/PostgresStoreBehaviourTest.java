package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.jdbc.internal.BlindIndex;
import dev.followup.jdbc.internal.Queries;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
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
                + Queries.inArray("*", "followup_patient", "identity_hash"))
                .bind("practice", practice.value()).bindArray("values", String.class, hashes).mapTo(String.class).list()));
        assertThat(plan).as(plan).doesNotContain("Seq Scan on followup_patient").contains("followup_patient_identity");
    }
}
