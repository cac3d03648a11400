package dev.followup.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.followup.jdbc.ConfiguredKeyProvider;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.BusinessCalendar;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.practice.SendWindow;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * What every fault test shares: one synthetic practice (open every day 08:00-21:00, so that only
 * the fault under test decides when a step runs), synthetic patients, fixed keys, and a store on a
 * PostgreSQL database. Both JVMs of the SIGKILL test build their engines from here.
 */
final class Fixtures {
    static final PracticeId PRACTICE = PracticeId.of("faults");
    static final String SMS_FROM = "+13125550100";
    static final String ZONE = "America/Chicago";
    /** Monday 2 March 2026, 10:00 in Chicago: inside the send window. */
    static final Instant MONDAY_10 = Instant.parse("2026-03-02T16:00:00Z");

    private Fixtures() {}

    static Practice practice() {
        return Practice.builder(PRACTICE).name("Fault Clinic").callbackPhone("(312) 555-0199").timeZone(ZONE).smsFrom(SMS_FROM)
                .emailFrom("care@faultclinic.example")
                .sendWindow(SendWindow.of(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(21, 0)))
                .calendar(BusinessCalendar.none()).build();
    }

    /** @return the synthetic mobile number of patient i (555 exchange, never a real subscriber) */
    static PhoneNumber phone(int i) {
        return PhoneNumber.ofE164("+1312555" + String.format("%04d", 1000 + i));
    }

    /** @return a CSV of n synthetic patients with phone and email */
    static InputStream csv(int n) {
        StringBuilder s = new StringBuilder("MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type\n");
        for (int i = 0; i < n; i++) {
            s.append("F").append(i).append(",Pat,Fault").append(i).append(',').append(phone(i).e164()).append(",pat").append(i)
                    .append("@patients.example,Dr. Stub,annual\n");
        }
        return new ByteArrayInputStream(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return the active follow-up of the patient with this phone, read through the store as the engine reads it */
    static dev.followup.followup.FollowUp activeFollowUp(dev.followup.spi.FollowUpStore store, PhoneNumber phone) {
        return store.inTransaction(PRACTICE, tx -> tx.activeFollowUps(tx.patientsByPhone(phone).get(0).id()).get(0));
    }

    static HikariDataSource pool(String jdbcUrl, int size, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        // Lets the pool start while the database is down (the restart test builds it before stopping PostgreSQL).
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    static JdbiFollowUpStore store(DataSource dataSource) {
        ConfiguredKeyProvider keys = ConfiguredKeyProvider.of("k1", Map.of("k1", key(1), "lookup", key(9)));
        return JdbiFollowUpStore.builder(dataSource).keys(keys).lookupKeyId("lookup").migrateOnBuild(true).build();
    }

    private static String key(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    static long count(DataSource dataSource, String sql) {
        return Jdbi.create(dataSource).withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
