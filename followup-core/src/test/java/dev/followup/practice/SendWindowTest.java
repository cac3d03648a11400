package dev.followup.practice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SendWindowTest {
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private final SendWindow window = SendWindow.defaultWindow();

    private static Instant local(String dateTime, ZoneId zone) {
        return java.time.LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    @Test
    void defaultWindowIsWeekdaysTenToTwoLocal() {
        assertThat(window.permits(local("2026-03-02T10:00", CHICAGO), CHICAGO, BusinessCalendar.none())).isTrue(); // Monday
        assertThat(window.permits(local("2026-03-02T13:59:59", CHICAGO), CHICAGO, BusinessCalendar.none())).isTrue();
        assertThat(window.permits(local("2026-03-02T14:00", CHICAGO), CHICAGO, BusinessCalendar.none())).isFalse();
        assertThat(window.permits(local("2026-03-02T09:59", CHICAGO), CHICAGO, BusinessCalendar.none())).isFalse();
        assertThat(window.permits(local("2026-03-07T11:00", CHICAGO), CHICAGO, BusinessCalendar.none())).isFalse(); // Saturday
    }

    @Test
    void windowIsCheckedInThePatientsZoneNotTheServers() {
        Instant noonInChicago = local("2026-03-02T12:00", CHICAGO); // 10:00 in Los Angeles
        assertThat(window.permits(noonInChicago, LOS_ANGELES, BusinessCalendar.none())).isTrue();
        Instant onePmChicago = local("2026-03-02T09:30", CHICAGO); // 07:30 in Los Angeles
        assertThat(window.permits(onePmChicago, LOS_ANGELES, BusinessCalendar.none())).isFalse();
        assertThat(window.nextOpening(onePmChicago, LOS_ANGELES, BusinessCalendar.none())).isEqualTo(local("2026-03-02T10:00", LOS_ANGELES));
    }

    @Test
    void nextOpeningSkipsWeekendsAndClosedDays() {
        Instant fridayAfternoon = local("2026-03-06T15:00", CHICAGO);
        BusinessCalendar closedMonday = BusinessCalendar.closedOn(Set.of(LocalDate.of(2026, 3, 9)));
        assertThat(window.nextOpening(fridayAfternoon, CHICAGO, closedMonday)).isEqualTo(local("2026-03-10T10:00", CHICAGO));
    }

    @Test
    void springForwardKeepsTheLocalOpeningTime() {
        // US DST starts Sunday 2026-03-08: Monday's opening is 10:00 CDT (15:00Z), not 10:00 CST (16:00Z).
        Instant saturday = local("2026-03-07T12:00", CHICAGO);
        Instant opening = window.nextOpening(saturday, CHICAGO, BusinessCalendar.none());
        assertThat(opening.atZone(CHICAGO).toLocalTime()).isEqualTo(LocalTime.of(10, 0));
        assertThat(opening).isEqualTo(Instant.parse("2026-03-09T15:00:00Z"));
    }

    @Test
    void fallBackKeepsTheLocalOpeningTime() {
        Instant saturday = local("2026-10-31T12:00", CHICAGO); // DST ends Sunday 2026-11-01
        Instant opening = window.nextOpening(saturday, CHICAGO, BusinessCalendar.none());
        assertThat(opening).isEqualTo(Instant.parse("2026-11-02T16:00:00Z"));
    }

    @Test
    void daylightSavingStartingAtMidnightStillOpensAtTheLocalStartTime() {
        ZoneId havana = ZoneId.of("America/Havana"); // DST starts at 00:00 -> 01:00 on 2026-03-08
        SendWindow everyDay = SendWindow.of(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(21, 0));
        Instant lateSaturday = ZonedDateTime.of(2026, 3, 7, 22, 0, 0, 0, havana).toInstant();
        Instant opening = everyDay.nextOpening(lateSaturday, havana, BusinessCalendar.none());
        assertThat(opening.atZone(havana).toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(opening.atZone(havana).toLocalDate()).isEqualTo(LocalDate.of(2026, 3, 8));
    }

    @Test
    void windowsOutsideQuietHoursAreRefused() {
        assertThatThrownBy(() -> SendWindow.weekdays(7, 12)).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("08:00-21:00");
        assertThatThrownBy(() -> SendWindow.of(EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(9, 0), LocalTime.of(21, 30)))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> SendWindow.weekdays(14, 10)).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("before it ends");
        assertThatThrownBy(() -> SendWindow.of(Set.of(), LocalTime.of(9, 0), LocalTime.of(10, 0))).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void aCalendarClosedForMoreThanAYearIsAConfigurationError() {
        java.util.List<LocalDate> every = new java.util.ArrayList<>();
        for (LocalDate d = LocalDate.of(2026, 1, 1); d.isBefore(LocalDate.of(2027, 6, 1)); d = d.plusDays(1)) {
            every.add(d);
        }
        assertThatThrownBy(() -> window.nextOpening(local("2026-01-01T00:00", CHICAGO), CHICAGO, BusinessCalendar.closedOn(every)))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}
