package dev.followup.engine;

import static dev.followup.engine.EngineFixture.CHICAGO;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.local;
import static dev.followup.engine.EngineFixture.localTime;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.engine.EngineFixture.Mail;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.followup.FollowUpState;
import dev.followup.practice.BusinessCalendar;
import dev.followup.practice.SendWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The send window in the patient's time zone, checked when the message is actually sent; holidays,
 * daylight-saving weekends and the 08:00-21:00 quiet-hours limit.
 */
class SendWindowEngineTest {
    static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

    @Test
    void aLosAngelesPatientOfAChicagoPracticeIsTextedAtTenLosAngelesTime() {
        EngineFixture fx = EngineFixture.create();
        Row la = patient(1).zone("America/Los_Angeles");
        Row local = patient(2);
        fx.ingestNew(la, local);

        fx.runUntil(chicago(2026, 4, 13, 18, 0));

        assertThat(fx.textsTo(local)).extracting(Text::at).containsExactly(chicago(2026, 4, 13, 10, 0));
        assertThat(fx.textsTo(la)).extracting(Text::at).containsExactly(local(LOS_ANGELES, 2026, 4, 13, 10, 0));
        assertThat(local(LOS_ANGELES, 2026, 4, 13, 10, 0)).isEqualTo(chicago(2026, 4, 13, 12, 0));
    }

    @Test
    void aHawaiiPatientWrittenAsHstOfAChicagoPracticeIsTextedInsideQuietHoursHonoluluTime() {
        ZoneId honolulu = ZoneId.of("Pacific/Honolulu");
        EngineFixture fx = EngineFixture.create();
        Row hawaii = patient(1).zone("HST");
        Row offset = patient(2).zone("UTC-10");
        fx.ingestNew(hawaii, offset);

        fx.runUntil(chicago(2026, 4, 14, 9, 0));

        for (Row row : List.of(hawaii, offset)) {
            assertThat(fx.textsTo(row)).extracting(t -> localTime(t, honolulu).toLocalTime())
                    .singleElement().satisfies(time -> assertThat(time).isBetween(LocalTime.of(8, 0), LocalTime.of(20, 59)));
            assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(local(honolulu, 2026, 4, 13, 10, 0));
        }
    }

    @Test
    void aPatientWithoutATimeZoneGetsThePractices() {
        EngineFixture fx = EngineFixture.builder().practice(b -> b.timeZone("America/New_York")).build();
        Row row = patient(3);
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 13, 18, 0));

        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(local(ZoneId.of("America/New_York"), 2026, 4, 13, 10, 0));
    }

    @Test
    void anIngestionOnFridayAfternoonIsTextedOnMondayAtTen() {
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 17, 15, 0)).build();
        Row row = patient(4);
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 20, 9, 59));
        assertThat(fx.textsTo(row)).isEmpty();
        fx.runUntil(chicago(2026, 4, 20, 23, 0));

        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(chicago(2026, 4, 20, 10, 0));
    }

    @Test
    void aHolidayIsSkipped() {
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 17, 15, 0))
                .practice(b -> b.calendar(BusinessCalendar.closedOn(List.of(LocalDate.of(2026, 4, 20))))).build();
        Row row = patient(5);
        fx.ingestNew(row);

        fx.runUntil(chicago(2026, 4, 21, 23, 0));

        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(chicago(2026, 4, 21, 10, 0));
    }

    @Test
    void overTheSpringForwardWeekendTheTextGoesAtTenLocalOnMondayExactlyOnce() {
        // DST began on Sunday 8 March 2026 in the US.
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 3, 6, 17, 0)).build();
        Row chicagoan = patient(6);
        Row angeleno = patient(7).zone("America/Los_Angeles");
        fx.ingestNew(chicagoan, angeleno);

        fx.runUntil(chicago(2026, 3, 9, 23, 0));

        assertThat(fx.textsTo(chicagoan)).extracting(Text::at).containsExactly(Instant.parse("2026-03-09T15:00:00Z"));
        assertThat(fx.textsTo(angeleno)).extracting(Text::at).containsExactly(Instant.parse("2026-03-09T17:00:00Z"));
    }

    @Test
    void overTheFallBackWeekendTheTextGoesAtTenLocalOnMondayExactlyOnce() {
        // DST ended on Sunday 1 November 2026 in the US.
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 10, 30, 17, 0)).build();
        Row chicagoan = patient(8);
        Row angeleno = patient(9).zone("America/Los_Angeles");
        fx.ingestNew(chicagoan, angeleno);

        fx.runUntil(chicago(2026, 11, 2, 23, 0));

        assertThat(fx.textsTo(chicagoan)).extracting(Text::at).containsExactly(Instant.parse("2026-11-02T16:00:00Z"));
        assertThat(fx.textsTo(angeleno)).extracting(Text::at).containsExactly(Instant.parse("2026-11-02T18:00:00Z"));
    }

    @Test
    void aStepDueInsideTheWindowButProcessedAfterItClosesWaitsForTheNextOpening() {
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 13, 13, 30)).build();
        Row row = patient(10);
        fx.ingestNew(row);
        assertThat(fx.followUpOf(row).nextActionAt()).as("due inside the window").isEqualTo(chicago(2026, 4, 13, 13, 30));

        // The scheduler was late: it only runs after the window closed.
        fx.clock.set(chicago(2026, 4, 13, 14, 30));
        fx.run();

        assertThat(fx.textsTo(row)).isEmpty();
        assertThat(fx.followUpOf(row).nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));
        fx.runUntil(chicago(2026, 4, 14, 12, 0));
        assertThat(fx.textsTo(row)).extracting(Text::at).containsExactly(chicago(2026, 4, 14, 10, 0));
    }

    @Test
    void anEmailStepProcessedAfterTheWindowClosedWaitsForTheNextOpeningToo() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(11);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 12, 0));
        assertThat(fx.followUpOf(row).nextActionAt()).isEqualTo(chicago(2026, 4, 14, 10, 0));

        fx.clock.set(chicago(2026, 4, 14, 20, 0)); // inside quiet-hours limits, outside the send window
        fx.run();

        assertThat(fx.mailsTo(row)).isEmpty();
        fx.runUntil(chicago(2026, 4, 15, 11, 0));
        assertThat(fx.mailsTo(row)).extracting(Mail::at).containsExactly(chicago(2026, 4, 15, 10, 0));
    }

    /**
     * Many random ingestion times (over a year, both DST changes included), patient zones, send
     * windows and scheduler lags: no text or email ever goes outside the practice's window or the
     * 08:00-21:00 quiet-hours limit in the patient's local time, and no patient gets the same
     * outreach step twice.
     */
    @Test
    void noMessageIsEverSentOutsideTheWindowOrQuietHours() {
        Random random = new Random(20261101L);
        String[] zones = {"America/Chicago", "America/New_York", "America/Los_Angeles", "America/Denver", "America/Phoenix",
                "America/Anchorage", "Pacific/Honolulu", ""};
        List<SendWindow> windows = List.of(SendWindow.defaultWindow(), SendWindow.weekdays(8, 21),
                SendWindow.of(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(21, 0)), SendWindow.weekdays(9, 17),
                SendWindow.of(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(12, 0), LocalTime.of(14, 0)));
        Instant yearStart = Instant.parse("2026-01-01T00:00:00Z");
        int checked = 0;
        for (int trial = 0; trial < 120; trial++) {
            Instant start = yearStart.plusSeconds((long) (random.nextDouble() * 365 * 24 * 3600));
            SendWindow window = windows.get(random.nextInt(windows.size()));
            EngineFixture fx = EngineFixture.builder().start(start).practice(b -> b.sendWindow(window)).build();
            Map<String, ZoneId> zoneByPhone = new HashMap<>();
            Map<String, ZoneId> zoneByMail = new HashMap<>();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String zone = zones[random.nextInt(zones.length)];
                Row row = patient(trial % 30 * 3 + i).zone(zone);
                rows.add(row);
                ZoneId z = zone.isEmpty() ? CHICAGO : ZoneId.of(zone);
                zoneByPhone.put(row.phone(), z);
                zoneByMail.put(row.mail(), z);
            }
            fx.ingestNew(rows.toArray(Row[]::new));
            Instant end = start.plus(Duration.ofDays(28));
            while (fx.clock.instant().isBefore(end)) {
                fx.run();
                // The scheduler runs when work falls due, often late (up to four hours).
                Instant next = fx.nextActionAt().orElse(end);
                Instant late = next.plus(Duration.ofMinutes(random.nextInt(3) == 0 ? random.nextInt(240) : 0));
                fx.clock.set(late.isAfter(fx.clock.instant()) ? late : fx.clock.instant().plus(Duration.ofMinutes(1)));
            }
            for (Text t : fx.texts) {
                ZonedDateTime at = t.at().atZone(zoneByPhone.get(t.to()));
                assertSendable(at, window, "text trial " + trial + " from " + start);
                checked++;
            }
            for (Mail m : fx.mails) {
                ZonedDateTime at = m.at().atZone(zoneByMail.get(m.to()));
                assertSendable(at, window, "email trial " + trial + " from " + start);
                checked++;
            }
            for (Row row : rows) {
                assertThat(fx.textsTo(row)).as("one invitation, trial %d", trial).hasSize(1);
                assertThat(fx.mailsTo(row)).as("one reminder, trial %d", trial).hasSize(1);
                assertThat(fx.followUpOf(row).state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
            }
        }
        assertThat(checked).isEqualTo(120 * 3 * 2);
    }

    private static void assertSendable(ZonedDateTime at, SendWindow window, String what) {
        LocalTime time = at.toLocalTime();
        assertThat(time).as(what + ": quiet hours at " + at).isBetween(LocalTime.of(8, 0), LocalTime.of(20, 59, 59, 999_999_999));
        assertThat(window.days()).as(what + ": day of " + at).contains(at.getDayOfWeek());
        assertThat(time).as(what + ": window at " + at).isBetween(window.start(), window.end().minusNanos(1));
    }
}
