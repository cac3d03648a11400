package dev.followup.jdbc.internal;

import dev.followup.StorageException;
import dev.followup.scheduling.PreferredWindow;
import dev.followup.scheduling.Slot;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Small values stored in one column each: offered slots, preferred-window days and audit
 * attributes. Plain text so that an operator can read them; length-prefixed where a value may
 * contain any character.
 */
public final class TextCodecs {
    private TextCodecs() {}

    /** @param days days of the week @return a bit per day, Monday = bit 0 */
    public static int days(Set<DayOfWeek> days) {
        int bits = 0;
        for (DayOfWeek d : days) {
            bits |= 1 << d.ordinal();
        }
        return bits;
    }

    /** @param bits a bit per day @param from start @param to end @return the window */
    public static PreferredWindow window(int bits, long from, long to) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if ((bits & (1 << d.ordinal())) != 0) {
                days.add(d);
            }
        }
        return new PreferredWindow(days, LocalTime.ofNanoOfDay(from), LocalTime.ofNanoOfDay(to));
    }

    /**
     * Slots keep their instants exactly (nanoseconds included): they are text, not timestamps.
     *
     * @param slots slots
     * @return one line per slot: {@code <len>:<id><len>:<provider><start> <end>}
     */
    public static String slots(List<Slot> slots) {
        StringBuilder out = new StringBuilder();
        for (Slot s : slots) {
            out.append(s.id().length()).append(':').append(s.id())
                    .append(s.providerId().length()).append(':').append(s.providerId())
                    .append(s.start()).append(' ').append(s.end()).append('\n');
        }
        return out.toString();
    }

    /** @param text what {@link #slots(List)} wrote @return the slots */
    public static List<Slot> slots(String text) {
        List<Slot> slots = new ArrayList<>();
        int[] at = {0};
        try {
            while (at[0] < text.length()) {
                String id = prefixed(text, at);
                String provider = prefixed(text, at);
                int end = text.indexOf('\n', at[0]);
                String[] times = text.substring(at[0], end).split(" ");
                at[0] = end + 1;
                slots.add(new Slot(id, provider, Instant.parse(times[0]), Instant.parse(times[1])));
            }
        } catch (RuntimeException e) {
            throw new StorageException("offered slots column is malformed (" + e.getClass().getSimpleName() + ")");
        }
        return slots;
    }

    private static String prefixed(String text, int[] at) {
        int colon = text.indexOf(':', at[0]);
        int length = Integer.parseInt(text.substring(at[0], colon));
        String value = text.substring(colon + 1, colon + 1 + length);
        at[0] = colon + 1 + length;
        return value;
    }

    /**
     * Audit attributes are tokens without '=' or line breaks ({@link dev.followup.audit.AuditRecord}
     * refuses anything else), so one {@code key=value} line each is unambiguous.
     *
     * @param attributes attributes
     * @return their text
     */
    public static String attributes(Map<String, String> attributes) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(attributes).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** @param text what {@link #attributes(Map)} wrote @return the attributes, sorted */
    public static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                attributes.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return attributes;
    }
}
