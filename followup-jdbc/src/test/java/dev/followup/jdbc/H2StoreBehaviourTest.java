package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.consent.ChannelSuppression;
import dev.followup.consent.ConsentChange;
import dev.followup.consent.ConsentSource;
import dev.followup.consent.ConsentStatus;
import dev.followup.followup.BatchId;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpId;
import dev.followup.followup.FollowUpType;
import dev.followup.jdbc.internal.Queries;
import dev.followup.jdbc.internal.Sql;
import dev.followup.message.AttemptState;
import dev.followup.message.MessagePurpose;
import dev.followup.message.SendAttempt;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.Test;

/** The JDBC store's own promises on H2 in files of a temporary directory (the raw files are scanned too). */
class H2StoreBehaviourTest extends JdbcStoreBehaviour {
    @Override
    DatabaseFixture newDatabase() {
        return new DatabaseFixture.H2();
    }

    @Override
    List<String> indexNames(Jdbi jdbi) {
        return strings(jdbi, "SELECT LOWER(index_name) FROM information_schema.indexes");
    }

    /**
     * With a few thousand rows in each table, H2 reads each bulk form from the index of its column, by practice and value, never by practice
     * alone: a plain IN list after {@code practice_id = ?} made H2 2.5 read the whole practice, and
     * so does a row-value IN on an index with a third column.
     */
    @Test
    void bulkReadsUseTheirIndexesOnH2() {
        JdbiFollowUpStore store = TestKeys.store(db.dataSource(), TestKeys.k1());
        List<Patient> patients = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            patients.add(new Patient(PatientId.random(), practice, new Mrn("MRN-h2-" + i), "Plan", "H2" + i,
                    PhoneNumber.ofE164("+1415557" + String.format("%04d", i)), null, Language.ENGLISH, null));
        }
        store.inTransaction(practice, tx -> {
            tx.savePatients(patients);
            for (int i = 0; i < patients.size(); i++) {
                Patient p = patients.get(i);
                FollowUp f = FollowUp.open(FollowUpId.random(), practice, p.id(), new Provider("dr-m", "Dr. Martinez"), FollowUpType.GENERAL,
                        PreferredWindow.ANY, null, BatchId.random(), "need-h2-" + i, "standard", T0, T0);
                tx.insertFollowUp(f);
                tx.insertAttempt(new SendAttempt("att-h2-" + i, practice, f.id(), p.id(), Channel.SMS, MessagePurpose.OUTREACH, 0, 1,
                        AttemptState.SENT, null, null, null, "plan " + i, 1, new BigDecimal("0.0079"), T0, T0));
                tx.recordConsent(new ConsentChange(practice, p.id(), p.phone(), ConsentStatus.OPTED_IN, ConsentSource.STAFF, T0));
                tx.suppress(new ChannelSuppression(practice, p.id(), Channel.EMAIL, "bounce", T0));
            }
            return null;
        });
        Map<Queries.BulkRead, String> indexes = Map.of(Queries.PATIENTS, "public.primary_key",
                Queries.PATIENTS_BY_PHONES, "followup_patient_phone", Queries.FOLLOW_UPS, "public.primary_key",
                Queries.LEASED_FOLLOW_UPS, "public.primary_key", Queries.ATTEMPTS, "public.primary_key",
                Queries.ATTEMPTS_OF_FOLLOW_UPS, "followup_send_attempt_follow_up", Queries.OUTREACH_SINCE, "followup_send_attempt_patient",
                Queries.LATEST_CONSENTS_OF_PATIENTS, "followup_consent_patient", Queries.LATEST_CONSENTS_OF_PHONES, "followup_consent_phone",
                Queries.SUPPRESSIONS, "followup_suppression_patient");
        indexes = new java.util.HashMap<>(indexes); // Map.of takes ten pairs at most
        indexes.put(Queries.PATIENTS_BY_IDENTITY, "followup_patient_identity");
        indexes.put(Queries.PATIENTS_BY_CONTACT, "followup_patient_contact");
        indexes.put(Queries.FOLLOW_UPS_BY_NEED, "followup_follow_up_need");
        Jdbi jdbi = Jdbi.create(db.dataSource());
        indexes.forEach((read, index) -> {
            String plan = jdbi.withHandle(h -> {
                Query q = h.createQuery("EXPLAIN " + read.h2(3)).bind("practice", practice.value())
                        .bind("v0", "a").bind("v1", "b").bind("v2", "c");
                if (read == Queries.LEASED_FOLLOW_UPS) {
                    q.bind("owner", "node-a").bind("now", Sql.instant(T0));
                } else if (read == Queries.OUTREACH_SINCE) {
                    q.bind("since", Sql.instant(T0)).bind("purpose", MessagePurpose.OUTREACH.name());
                }
                return q.mapTo(String.class).one();
            }).toLowerCase(java.util.Locale.ROOT);
            assertThat(plan).as(plan).doesNotContain(read.table() + ".tablescan").doesNotContain("practice_id in(").contains(index);
            if (!read.wideIndex().isEmpty()) {
                // the index is probed by practice and value, the values read first
                assertThat(plan).as(plan).contains("and " + read.column() + " = wanted.wanted_value");
            }
        });
    }
}
