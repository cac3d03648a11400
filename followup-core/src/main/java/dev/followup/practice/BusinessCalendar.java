package dev.followup.practice;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The days a practice does not message patients on (public holidays, closures), on top of the
 * send window's days of the week.
 */
public final class BusinessCalendar {
    private static final BusinessCalendar NONE = new BusinessCalendar(Set.of());
    private final Set<LocalDate> closedDays;

    private BusinessCalendar(Collection<LocalDate> closedDays) {
        this.closedDays = Set.copyOf(closedDays);
    }

    /** @return a calendar without closed days */
    public static BusinessCalendar none() {
        return NONE;
    }

    /**
     * @param closedDays the dates on which nothing is sent
     * @return a calendar closed on those dates
     */
    public static BusinessCalendar closedOn(Collection<LocalDate> closedDays) {
        return new BusinessCalendar(closedDays);
    }

    /**
     * @param date a date in the patient's local time zone
     * @return whether the practice is closed that day
     */
    public boolean isClosed(LocalDate date) {
        return closedDays.contains(date);
    }

    /** @return the closed days, in order */
    public Set<LocalDate> closedDays() {
        return new TreeSet<>(closedDays);
    }
}
