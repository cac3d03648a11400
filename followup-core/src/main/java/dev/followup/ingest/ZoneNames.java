package dev.followup.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the time zone an EHR export writes into a {@link ZoneId}.
 *
 * <p>Exports seldom hold IANA ids: they write {@code EST}, {@code Eastern Time}, Windows names such
 * as {@code Hawaiian Standard Time}, or offsets such as {@code UTC-10}. A zone that is not
 * recognised falls back to the practice's, which for a patient in another zone moves every text by
 * hours (a Hawaii patient of a Chicago practice was texted at 05:00), so the common North American
 * names are mapped here to the region that keeps its daylight-saving rules.
 *
 * <p>A fixed offset is returned as a {@link ZoneOffset}: it cannot follow daylight saving, but it is
 * off by at most an hour half the year, where the practice's zone can be off by several hours all
 * year. Callers warn about it.
 */
final class ZoneNames {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final ZoneId DENVER = ZoneId.of("America/Denver");
    private static final ZoneId PHOENIX = ZoneId.of("America/Phoenix");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private static final ZoneId ANCHORAGE = ZoneId.of("America/Anchorage");
    private static final ZoneId HONOLULU = ZoneId.of("Pacific/Honolulu");
    private static final ZoneId HALIFAX = ZoneId.of("America/Halifax");
    private static final ZoneId PUERTO_RICO = ZoneId.of("America/Puerto_Rico");
    private static final ZoneId ST_JOHNS = ZoneId.of("America/St_Johns");

    /** Names by their {@linkplain #key key}; standard and daylight names alike, since exports mix them up all year. */
    private static final Map<String, ZoneId> NAMES = names();

    /** Atlantic standard time without more: Puerto Rico's (no daylight saving) in the US, Halifax's in Canada. */
    private static final Set<String> ATLANTIC_STANDARD = Set.of("ast", "atlantic", "atlantictime", "atlanticstandardtime");

    private static final Map<String, String> REGION_IDS_BY_LOWER_CASE = regionIds();

    private static final Pattern OFFSET = Pattern.compile(
            "(?i)(?:UTC|GMT|UT)?\\s*([+\\-\u2212])\\s*(\\d{1,2})(?:\\s*:?\\s*(\\d{2}))?");

    private ZoneNames() {
    }

    /**
     * @param text the cell as exported, stripped and not empty
     * @param region the ISO 3166 region the reader assumes (decides {@code AST}: Puerto Rico or Halifax)
     * @return the zone: a region with its daylight-saving rules, or a {@link ZoneOffset} for an
     *     offset; empty if the text is not recognised
     */
    static Optional<ZoneId> parse(String text, String region) {
        String key = key(text);
        if (ATLANTIC_STANDARD.contains(key)) {
            return Optional.of("CA".equals(region) ? HALIFAX : PUERTO_RICO);
        }
        ZoneId named = NAMES.get(key);
        if (named != null) {
            return Optional.of(named);
        }
        Matcher offset = OFFSET.matcher(text);
        if (offset.matches()) {
            return offset(offset);
        }
        ZoneId zone = zoneId(text);
        if (zone == null) {
            String id = REGION_IDS_BY_LOWER_CASE.get(text.toLowerCase(Locale.ROOT));
            zone = id == null ? null : ZoneId.of(id);
        }
        if (zone == null) {
            return Optional.empty();
        }
        // "UTC", "Etc/GMT+10" and "UTC-10" are regions only in name: one offset, no rules to follow.
        if (zone.getRules().isFixedOffset()) {
            return Optional.of(zone.getRules().getOffset(Instant.EPOCH));
        }
        return Optional.of(zone);
    }

    private static Optional<ZoneId> offset(Matcher offset) {
        int hours = Integer.parseInt(offset.group(2));
        int minutes = offset.group(3) == null ? 0 : Integer.parseInt(offset.group(3));
        int sign = offset.group(1).equals("+") ? 1 : -1;
        try {
            return Optional.of(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
        } catch (DateTimeException e) {
            return Optional.empty(); // beyond ±18:00, or minutes past 59
        }
    }

    private static @Nullable ZoneId zoneId(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Case, spaces and punctuation do not matter: "Eastern Time (US & Canada)" is "easterntimeuscanada". */
    private static String key(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
    }

    private static Map<String, ZoneId> names() {
        Map<String, ZoneId> names = new HashMap<>();
        // The abbreviations, the plain names, and the names Windows and Rails give their zones.
        put(names, NEW_YORK, "EST", "EDT", "ET", "Eastern", "Eastern Time", "Eastern Standard Time",
                "Eastern Daylight Time", "Eastern Time (US & Canada)");
        put(names, CHICAGO, "CST", "CDT", "CT", "Central", "Central Time", "Central Standard Time",
                "Central Daylight Time", "Central Time (US & Canada)");
        // MST alone is taken for Denver: most who write it live with daylight saving; Arizona is named.
        put(names, DENVER, "MST", "MDT", "MT", "Mountain", "Mountain Time", "Mountain Standard Time",
                "Mountain Daylight Time", "Mountain Time (US & Canada)");
        put(names, PHOENIX, "Arizona", "Arizona Time", "US Mountain Standard Time");
        put(names, LOS_ANGELES, "PST", "PDT", "PT", "Pacific", "Pacific Time", "Pacific Standard Time",
                "Pacific Daylight Time", "Pacific Time (US & Canada)");
        put(names, ANCHORAGE, "AKST", "AKDT", "AKT", "Alaska", "Alaska Time", "Alaska Standard Time",
                "Alaska Daylight Time", "Alaskan Standard Time");
        put(names, HONOLULU, "HST", "Hawaii", "Hawaii Time", "Hawaii Standard Time", "Hawaiian Standard Time");
        put(names, HALIFAX, "ADT", "Atlantic Daylight Time", "Atlantic Time (Canada)");
        put(names, PUERTO_RICO, "Puerto Rico");
        put(names, ST_JOHNS, "NST", "NDT", "Newfoundland", "Newfoundland Time", "Newfoundland Standard Time",
                "Newfoundland Daylight Time");
        return Map.copyOf(names);
    }

    private static void put(Map<String, ZoneId> names, ZoneId zone, String... spellings) {
        for (String spelling : spellings) {
            names.put(key(spelling), zone);
        }
    }

    private static Map<String, String> regionIds() {
        Map<String, String> ids = new HashMap<>();
        for (String id : ZoneId.getAvailableZoneIds()) {
            ids.put(id.toLowerCase(Locale.ROOT), id);
        }
        return Map.copyOf(ids);
    }
}
