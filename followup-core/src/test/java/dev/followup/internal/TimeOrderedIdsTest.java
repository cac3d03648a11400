package dev.followup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    private static final long NOV_27_2026 = 1_795_737_600_000L;

    @Test
    void anIdIsAVersion7UuidWhoseFirst48BitsAreItsMillisecond() {
        String id = TimeOrderedIds.at(NOV_27_2026, new Random(1));
        UUID uuid = UUID.fromString(id);
        assertThat(id).hasSize(36).isEqualTo(uuid.toString());
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(NOV_27_2026);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        Random random = new Random(7);
        String previous = TimeOrderedIds.at(NOV_27_2026, random);
        // Across the byte boundaries of the timestamp: each later millisecond sorts after, as text too,
        // which is how the stores' VARCHAR keys compare.
        for (long step : new long[] {1, 255, 256, 65_535, 65_536, 86_400_000L, 365L * 86_400_000L}) {
            String later = TimeOrderedIds.at(NOV_27_2026 + step, random);
            assertThat(later).as("+%d ms", step).isGreaterThan(previous);
            previous = later;
        }
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomBits() {
        Set<String> ids = new HashSet<>();
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedIds.at(NOV_27_2026, random));
        }
        assertThat(ids).hasSize(10_000).allMatch(id -> id.startsWith(TimeOrderedIds.at(NOV_27_2026, random).substring(0, 13)));
    }

    @Test
    void newIdsTakeTheirMillisecondFromTheGivenClock() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(NOV_27_2026 + 123), ZoneOffset.UTC);
        UUID uuid = UUID.fromString(TimeOrderedIds.next(clock));
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(NOV_27_2026 + 123);
        assertThat(TimeOrderedIds.next(clock)).isNotEqualTo(TimeOrderedIds.next(clock));
    }
}
