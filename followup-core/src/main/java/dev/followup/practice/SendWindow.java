package dev.followup.practice;

import dev.followup.InvalidConfigurationException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * The hours in which patients may be messaged, in the patient's local time: some days of the week,
 * from a start time (inclusive) to an end time (exclusive).
 *
 * <p>A window always lies within the quiet-hours limit of 08:00 to 21:00 local time that US rules
 * set for texts; one reaching outside it is refused when built. Checks are made on local wall-clock
 * time, so daylight-saving changes never move a send out of the window.
 */
public final class SendWindow {
    /** The earliest local time any message may be sent. */
    public static final LocalTime QUIET_HOURS_END = LocalTime.of(8, 0);
    /** The latest local time (exclusive) any message may be sent. */
    public static final LocalTime QUIET_HOURS_START = LocalTime.of(21, 0);
    private static final int SEARCH_DAYS = 400;

    private final Set<DayOfWeek> days;
    private final LocalTime start;
    private final LocalTime end;

    private SendWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        if (days.isEmpty()) {
            throw new InvalidConfigurationException("a send window needs at least one day of the week");
        }
        if (!start.isBefore(end)) {
            throw new InvalidConfigurationException("a send window must start before it ends (start " + start + ", end " + end + ")");
        }
        if (start.isBefore(QUIET_HOURS_END) || end.isAfter(QUIET_HOURS_START)) {
            throw new InvalidConfigurationException("a send window must lie within 08:00-21:00 local time (quiet hours), was "
                    + start + "-" + end);
        }
        this.days = Set.copyOf(days);
        this.start = start;
        this.end = end;
    }

    /** @return the default window: Monday to Friday, 10:00 to 14:00 */
    public static SendWindow defaultWindow() {
        return weekdays(10, 14);
    }

    /**
     * @param startHour first hour (inclusive), at least 8
     * @param endHour last hour (exclusive), at most 21
     * @return a window on Monday to Friday
     */
    public static SendWindow weekdays(int startHour, int endHour) {
        return of(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(startHour, 0), LocalTime.of(endHour, 0));
    }

    /**
     * @param days the days of the week
     * @param start local start time, inclusive
     * @param end local end time, exclusive
     * @return the window
     * @throws InvalidConfigurationException if it is empty or reaches outside 08:00-21:00
     */
    public static SendWindow of(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        return new SendWindow(days, start, end);
    }

    /**
     * @param instant the moment of sending
     * @param zone the patient's time zone
     * @param calendar the practice's closed days
     * @return whether a message may be sent at that moment
     */
    public boolean permits(Instant instant, ZoneId zone, BusinessCalendar calendar) {
        ZonedDateTime local = instant.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek())
                && !calendar.isClosed(local.toLocalDate())
                && !time.isBefore(start)
                && time.isBefore(end);
    }

    /**
     * The first moment at or after {@code from} at which the window is open.
     *
     * @param from the earliest moment wanted
     * @param zone the patient's time zone
     * @param calendar the practice's closed days
     * @return {@code from} itself if the window is open then, else the next opening
     * @throws InvalidConfigurationException if the calendar closes every day for more than a year
     */
    public Instant nextOpening(Instant from, ZoneId zone, BusinessCalendar calendar) {
        if (permits(from, zone, calendar)) {
            return from;
        }
        LocalDate date = from.atZone(zone).toLocalDate();
        for (int i = 0; i <= SEARCH_DAYS; i++, date = date.plusDays(1)) {
            // A start time that falls in a daylight-saving gap resolves to the first valid instant after it.
            Instant opening = ZonedDateTime.of(date, start, zone).toInstant();
            if (opening.isAfter(from) && permits(opening, zone, calendar)) {
                return opening;
            }
        }
        throw new InvalidConfigurationException("the send window never opens within " + SEARCH_DAYS + " days: check the closed days");
    }

    /** @return the days of the week the window is open */
    public Set<DayOfWeek> days() {
        return EnumSet.copyOf(days);
    }

    /** @return the local opening time, inclusive */
    public LocalTime start() {
        return start;
    }

    /** @return the local closing time, exclusive */
    public LocalTime end() {
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SendWindow w && w.days.equals(days) && w.start.equals(start) && w.end.equals(end);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(days, start, end);
    }

    @Override
    public String toString() {
        return "SendWindow" + days() + " " + start + "-" + end;
    }
}
