package dev.followup.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.followup.FollowUpState;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.message.SendRate;
import dev.followup.patient.PatientId;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The host clock is stepped (NTP correcting a drifted VM): forward by days, then back by hours.
 * Every follow-up still takes each step of the ladder exactly once and in order: one SMS, one
 * email, one staff task. Due times are stored instants, so a step back only postpones what is
 * not yet due, and a step forward runs what became due, one rung per run and never a rung twice.
 */
class ClockJumpTest {
    private static final int PATIENTS = 20;

    @Test
    void aClockSteppedForwardByDaysThenBackByHoursNeitherDoublesNorSkipsAStep() {
        MutableClock clock = MutableClock.at(Fixtures.MONDAY_10);
        Map<String, List<String>> timeline = new ConcurrentHashMap<>();
        InMemorySmsSender sms = new InMemorySmsSender();
        InMemoryEmailSender email = new InMemoryEmailSender();
        try (HikariDataSource dataSource = Fixtures.pool(Postgres.shared().newDatabase(), 4, Duration.ofSeconds(5))) {
            JdbiFollowUpStore store = Fixtures.store(dataSource);
            FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(store)
                    .smsSender(m -> {
                        timeline.computeIfAbsent(m.to().e164(), k -> new ArrayList<>()).add("SMS@" + clock.instant());
                        return sms.send(m);
                    })
                    .emailSender(m -> {
                        timeline.computeIfAbsent(phoneOfEmail(m.to().value()), k -> new ArrayList<>()).add("EMAIL@" + clock.instant());
                        return email.send(m);
                    })
                    .taskSink(t -> timeline.computeIfAbsent(phoneOf(store, t.patientId()), k -> new ArrayList<>()).add("TASK@" + t.createdAt()))
                    .practice(Fixtures.practice()).sendRate(Fixtures.SMS_FROM, SendRate.perSecond(10_000)).pacingSleeper(d -> { }).build();
            engine.ingest(Fixtures.PRACTICE, Fixtures.csv(PATIENTS), null);

            RunSummary first = engine.runDueWork();
            assertThat(first.messagesSent()).isEqualTo(PATIENTS);

            // NTP steps forward three days: the email rung (due after 24 h) runs, the task rung does not yet.
            clock.advance(Duration.ofDays(3));
            RunSummary afterForward = engine.runDueWork();
            assertThat(afterForward.messagesSent()).isEqualTo(PATIENTS);
            assertThat(afterForward.tasksOpened()).isZero();
            assertThat(engine.runDueWork().claimed()).as("nothing else is due right after").isZero();

            // Then back six hours (before the emails just sent): nothing is sent again.
            clock.advance(Duration.ofHours(-6));
            RunSummary afterBack = engine.runDueWork();
            assertThat(afterBack.messagesSent()).isZero();
            assertThat(afterBack.tasksOpened()).isZero();

            // Time runs on normally, hour by hour, to well past the task rung (24 h after the email).
            Instant end = clock.instant().plus(Duration.ofDays(3));
            while (clock.instant().isBefore(end)) {
                clock.advance(Duration.ofHours(1));
                engine.runDueWork();
            }

            assertThat(timeline).hasSize(PATIENTS);
            timeline.forEach((phone, events) -> {
                assertThat(events).as(phone).hasSize(3);
                assertThat(events.get(0)).startsWith("SMS@");
                assertThat(events.get(1)).startsWith("EMAIL@");
                assertThat(events.get(2)).startsWith("TASK@");
                Instant smsAt = Instant.parse(events.get(0).substring(4));
                Instant emailAt = Instant.parse(events.get(1).substring(6));
                Instant taskAt = Instant.parse(events.get(2).substring(5));
                assertThat(emailAt).isAfter(smsAt);
                // The rung after the email is due 24 h after it: taken on the first hourly run from then, not before.
                assertThat(taskAt).isBetween(emailAt.plus(Duration.ofHours(24)), emailAt.plus(Duration.ofHours(25)));
            });
            assertThat(sms.sent()).hasSize(PATIENTS);
            assertThat(email.sent()).hasSize(PATIENTS);
            assertThat(engine.openTasks(Fixtures.PRACTICE)).hasSize(PATIENTS);
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_follow_up WHERE state <> '"
                    + FollowUpState.HANDED_TO_STAFF + "'")).isZero();
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt")).isEqualTo(2L * PATIENTS);
            assertThat(engine.verifyAuditTrail(Fixtures.PRACTICE).isIntact()).isTrue();
        }
    }

    private static String phoneOfEmail(String address) {
        int i = Integer.parseInt(address.substring(3, address.indexOf('@')));
        return Fixtures.phone(i).e164();
    }

    private static String phoneOf(JdbiFollowUpStore store, PatientId patientId) {
        return store.inTransaction(Fixtures.PRACTICE, tx -> tx.patient(patientId).orElseThrow().phone().e164());
    }
}
