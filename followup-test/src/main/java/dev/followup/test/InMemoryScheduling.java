package dev.followup.test;

import dev.followup.scheduling.BookingResult;
import dev.followup.scheduling.Slot;
import dev.followup.spi.AppointmentBooker;
import dev.followup.spi.SlotProvider;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scheduling system in memory: every provider has 30-minute slots on weekdays from 09:00 to
 * 16:00 in a given zone; booked slots are taken, and offered slots are held (never offered to a
 * second patient), as scheduling systems with offer holds do. Tests can take a slot "by someone
 * else" or make bookings fail. Thread-safe. Also the demo's scheduling system.
 */
public final class InMemoryScheduling implements SlotProvider, AppointmentBooker {
    private final ZoneId zone;
    private final Set<String> taken = new HashSet<>();
    private final Set<String> held = new HashSet<>();
    private final Map<String, java.util.NavigableMap<java.time.Instant, Slot>> freeByProvider = new HashMap<>();
    private static final int HORIZON_DAYS = 120;
    private final Map<String, String> bookings = new HashMap<>();
    private final Set<String> takenBeforeBooking = new HashSet<>();
    private boolean failBookings;

    /** @param zone the zone the practice's opening hours are in */
    public InMemoryScheduling(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public synchronized List<Slot> openSlots(SlotQuery q) {
        // Free slots are generated once per provider and removed as they are offered or booked, so a
        // query never walks past the slots held for other patients.
        java.util.NavigableMap<java.time.Instant, Slot> free = freeByProvider.computeIfAbsent(q.providerId(), p -> generate(p, q.notBefore()));
        List<Slot> inWindow = new ArrayList<>();
        List<Slot> others = new ArrayList<>();
        for (Slot slot : free.tailMap(q.notBefore(), true).values()) {
            if (taken.contains(slot.id())) {
                continue;
            }
            if (q.preferredWindow().contains(slot, q.patientZone())) {
                inWindow.add(slot);
                if (inWindow.size() >= q.count()) {
                    break;
                }
            } else if (others.size() < q.count()) {
                others.add(slot);
            }
        }
        List<Slot> result = new ArrayList<>(inWindow);
        for (Slot s : others) {
            if (result.size() >= q.count()) {
                break;
            }
            result.add(s);
        }
        result.sort(java.util.Comparator.comparing(Slot::start));
        for (Slot s : result) {
            held.add(s.id());
            free.remove(s.start());
        }
        return List.copyOf(result);
    }

    private java.util.NavigableMap<java.time.Instant, Slot> generate(String providerId, java.time.Instant from) {
        java.util.NavigableMap<java.time.Instant, Slot> slots = new java.util.TreeMap<>();
        LocalDate day = from.atZone(zone).toLocalDate();
        for (int d = 0; d < HORIZON_DAYS; d++, day = day.plusDays(1)) {
            if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                continue;
            }
            for (LocalTime t = LocalTime.of(9, 0); t.isBefore(LocalTime.of(16, 0)); t = t.plusMinutes(30)) {
                java.time.Instant at = ZonedDateTime.of(day, t, zone).toInstant();
                slots.put(at, new Slot(providerId + "@" + at, providerId, at, at.plus(Duration.ofMinutes(30))));
            }
        }
        return slots;
    }

    @Override
    public synchronized BookingResult book(BookingRequest request) {
        String existing = bookings.get(request.followUpId().value());
        if (existing != null && existing.equals(request.slot().id())) {
            return new BookingResult.Booked("conf-" + Math.abs(existing.hashCode()));
        }
        if (failBookings) {
            return new BookingResult.Failed("scheduling system unavailable");
        }
        if (takenBeforeBooking.remove(request.slot().id()) || taken.contains(request.slot().id())) {
            taken.add(request.slot().id());
            return new BookingResult.SlotTaken();
        }
        taken.add(request.slot().id());
        bookings.put(request.followUpId().value(), request.slot().id());
        return new BookingResult.Booked("conf-" + Math.abs(request.slot().id().hashCode()));
    }

    /** @param slotId a slot another patient books first (the next booking of it finds it taken) */
    public synchronized void takeBySomeoneElse(String slotId) {
        takenBeforeBooking.add(slotId);
    }

    /** @param fail whether bookings fail (the scheduling system is down) */
    public synchronized void failBookings(boolean fail) {
        this.failBookings = fail;
    }

    /** @return how many appointments were booked */
    public synchronized int bookingCount() {
        return bookings.size();
    }
}
