package dev.followup.scheduling;

import dev.followup.InvalidInputException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * When a patient prefers to be seen, as the EHR export says it ("Mornings", "Weekday afternoons",
 * "Any"). Slots offered to the patient are chosen inside it where possible.
 *
 * @param days the days of the week the patient prefers
 * @param from earliest local start time, inclusive
 * @param to latest local start time, exclusive
 */
public record PreferredWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    /** Any day, any time. */
    public static final PreferredWindow ANY = new PreferredWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.MIN, LocalTime.MAX);

    /** Validates the window. */
    public PreferredWindow {
        if (days == null || days.isEmpty() || from == null || to == null || !from.isBefore(to)) {
            throw new InvalidInputException("preferred window needs days and a start before its end");
        }
        days = Set.copyOf(days);
    }

    /**
     * Reads the usual wording of EHR exports: {@code any}, {@code morning(s)}, {@code afternoon(s)},
     * {@code evening(s)}, optionally prefixed with {@code weekday} or {@code weekend}, or a day
     * name such as {@code Tuesday mornings}; an empty value means any time.
     *
     * @param text the exported value
     * @return the window
     * @throws InvalidInputException if the wording is not recognised
     */
    public static PreferredWindow parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").replaceAll("\\s+", " ").strip();
        if (t.isEmpty() || t.equals("any") || t.equals("anytime") || t.equals("any time") || t.equals("no preference")) {
            return ANY;
        }
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        LocalTime from = LocalTime.MIN;
        LocalTime to = LocalTime.MAX;
        boolean understood = false;
        for (String word : t.split(" ")) {
            String w = word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word;
            switch (w) {
                case "weekday" -> { days = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY); understood = true; }
                case "weekend" -> { days = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY); understood = true; }
                case "morning", "am" -> { from = LocalTime.of(7, 0); to = LocalTime.NOON; understood = true; }
                case "afternoon", "pm" -> { from = LocalTime.NOON; to = LocalTime.of(17, 0); understood = true; }
                case "evening" -> { from = LocalTime.of(17, 0); to = LocalTime.of(21, 0); understood = true; }
                case "any", "anytime", "time", "day" -> understood = true;
                default -> {
                    DayOfWeek day = dayOf(w);
                    if (day == null) {
                        throw new InvalidInputException("preferred window is not recognised (use e.g. 'Mornings', 'Weekday afternoons', 'Any')");
                    }
                    days = understood && days.size() < 7 ? days : EnumSet.noneOf(DayOfWeek.class);
                    days.add(day);
                    understood = true;
                }
            }
        }
        return new PreferredWindow(days, from, to);
    }

    private static DayOfWeek dayOf(String word) {
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            if (name.equals(word) || name.substring(0, 3).equals(word)) {
                return d;
            }
        }
        return null;
    }

    /**
     * @param slot a slot
     * @param zone the zone the preference is meant in (the patient's)
     * @return whether the slot starts inside the window
     */
    public boolean contains(Slot slot, ZoneId zone) {
        ZonedDateTime local = slot.start().atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
}
