package dev.followup.ingest;

import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpType;
import dev.followup.ingest.CsvMapping.Field;
import dev.followup.ingest.CsvTokenizer.RawRecord;
import dev.followup.patient.EmailAddress;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CsvMapping} resolved against one file's header: which position holds which field. It
 * turns each record into a {@link ParsedRow}, normalising every value.
 *
 * <p>Every reason and warning it writes names a field and its column, never a cell's value.
 */
final class BoundMapping {
    /**
     * A mapped column found in the header.
     *
     * @param name the column's name as the mapping gives it (used in messages)
     * @param index its 0-based position in the file
     */
    record Column(String name, int index) {
    }

    static final String FALLBACK_WARNING = "row has bytes that are not valid UTF-8: they were read as Windows-1252";

    private static final Pattern TIME_AFTER_DATE = Pattern.compile("(\\S+)[ T]\\d{1,2}:\\d{2}.*");
    private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]+");
    private static final int MAX_TYPE_LENGTH = 48;
    private static final int MAX_PROVIDER_ID_LENGTH = 64;

    private final CsvMapping mapping;
    private final List<String> headers;
    private final int width;
    private final Map<Field, List<Column>> columns;
    private final List<String> absentColumns;
    private final String region;

    // Values that repeat across rows and carry no PHI (providers, visit types, windows, languages,
    // zones) are interpreted once per distinct text: a list of a million rows names a few dozen.
    private final Map<String, Provider> providers = lru();
    private final Map<String, Optional<FollowUpType>> types = lru();
    private final Map<String, Optional<PreferredWindow>> windows = lru();
    private final Map<String, Optional<Language>> languages = lru();
    private final Map<String, Optional<ZoneId>> zones = lru();

    BoundMapping(CsvMapping mapping, List<String> headers, Map<Field, List<Column>> columns,
            List<String> absentColumns, String region) {
        this.mapping = mapping;
        this.headers = List.copyOf(headers);
        this.columns = Map.copyOf(columns);
        this.absentColumns = List.copyOf(absentColumns);
        this.region = region;
        this.width = CsvTokenizer.width(headers);
    }

    CsvMapping mapping() {
        return mapping;
    }

    /** @return the mapped optional columns the header does not have, by the mapping's names */
    List<String> absentColumns() {
        return absentColumns;
    }

    /**
     * @param raw a record of the file
     * @return the record as an accepted patient record or as a rejection, never both
     */
    ParsedRow interpret(RawRecord raw) {
        if (raw.problem() != null) {
            return rejected(raw.line(), describe(raw.problem(), raw.problemColumn()));
        }
        int used = CsvTokenizer.usedColumns(raw.fields(), width);
        if (used != width) {
            return rejected(raw.line(), "row has " + used + (used == 1 ? " column" : " columns")
                    + " but the header has " + width);
        }
        try {
            return new Row(raw).interpret();
        } catch (InvalidInputException e) {
            // A safety net: the domain types' messages carry no values, by their contract.
            return rejected(raw.line(), "row is invalid: " + e.getMessage());
        }
    }

    private String describe(CsvTokenizer.Problem problem, int column) {
        return switch (problem) {
            case FIELD_TOO_LONG -> columnLabel(column) + " is longer than the limit (a quote not closed?)";
            case ROW_TOO_LONG -> "row is longer than the limit (a quote not closed?)";
            case TEXT_AFTER_QUOTE -> columnLabel(column) + " has characters after its closing quote";
            case UNCLOSED_QUOTE -> columnLabel(column) + " opens a quote that is not closed before the end of the file";
        };
    }

    private String columnLabel(int index) {
        String header = index < headers.size() ? headers.get(index).strip() : "";
        return "column " + (index + 1) + (header.isEmpty() ? "" : " ('" + header + "')");
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > 512;
            }
        };
    }

    private static ParsedRow rejected(int line, String reason) {
        return new ParsedRow.Rejected(new RowError(line, reason));
    }

    /**
     * Derives a provider id from a display name, for exports without a provider id column.
     *
     * @param displayName the provider's name as exported
     * @return a lower-case slug ({@code dr-maria-martinez}); for a name without Latin letters or
     *     digits, {@code provider-} and a digest of the name. Stable for the same spelling.
     */
    static String providerIdFor(String displayName) {
        String name = displayName.strip().replaceAll("\\s+", " ");
        String slug = trimDashes(NOT_SLUG.matcher(fold(name)).replaceAll("-"), MAX_PROVIDER_ID_LENGTH);
        if (!slug.isEmpty()) {
            return slug;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "provider-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every Java platform", e);
        }
    }

    /** Lower-cases and removes accents, so that "José" and "Jose" give the same key. */
    private static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }

    private static String trimDashes(String text, int max) {
        String t = text.replaceAll("^-+|-+$", "");
        if (t.length() > max) {
            t = t.substring(0, max).replaceAll("-+$", "");
        }
        return t;
    }

    /** The interpretation of one well-formed record. */
    private final class Row {
        private final RawRecord raw;
        private final List<String> warnings = new ArrayList<>();

        Row(RawRecord raw) {
            this.raw = raw;
            if (raw.fallbackDecoded()) {
                warnings.add(FALLBACK_WARNING);
            }
        }

        ParsedRow interpret() {
            int line = raw.line();
            PersonName name;
            Column full = single(Field.FULL_NAME);
            if (full != null) {
                String text = cell(full);
                if (text.isEmpty()) {
                    return rejected(line, "patient name (column '" + full.name() + "') is empty");
                }
                name = PersonName.fromFull(text);
                if (name.first().isEmpty()) {
                    return rejected(line, "patient name (column '" + full.name() + "') has no first name");
                }
            } else {
                Column first = single(Field.FIRST_NAME);
                Column last = single(Field.LAST_NAME);
                name = PersonName.of(first == null ? "" : cell(first), last == null ? "" : cell(last));
                if (name.first().isEmpty()) {
                    return rejected(line, "first name (column '" + (first == null ? "?" : first.name()) + "') is empty");
                }
            }

            Mrn mrn = null;
            Column mrnColumn = single(Field.MRN);
            if (mrnColumn != null && !cell(mrnColumn).isEmpty()) {
                if (cell(mrnColumn).length() > 64) {
                    return rejected(line, "MRN (column '" + mrnColumn.name() + "') is longer than 64 characters");
                }
                mrn = new Mrn(cell(mrnColumn));
            }

            Column providerColumn = single(Field.PROVIDER);
            String providerName = providerColumn == null ? "" : PersonName.collapse(cell(providerColumn));
            if (providerColumn == null || providerName.isEmpty()) {
                return rejected(line, "provider (column '" + mapping.columns(Field.PROVIDER).get(0) + "') is empty");
            }
            if (providerName.length() > 80) {
                return rejected(line, "provider (column '" + providerColumn.name() + "') is longer than 80 characters");
            }
            Column idColumn = single(Field.PROVIDER_ID);
            String providerId = idColumn == null ? "" : cell(idColumn);
            if (providerId.length() > MAX_PROVIDER_ID_LENGTH) {
                return rejected(line, "provider id (column '" + idColumn.name() + "') is longer than 64 characters");
            }
            Provider provider = providers.computeIfAbsent(providerId + '\u0000' + providerName,
                    key -> new Provider(providerId.isEmpty() ? providerIdFor(providerName) : providerId, providerName));

            PhoneChoice phone = choosePhone();
            EmailAddress email = null;
            boolean emailInvalid = false;
            Column emailColumn = single(Field.EMAIL);
            if (emailColumn != null && !cell(emailColumn).isEmpty()) {
                try {
                    email = EmailAddress.of(cell(emailColumn));
                } catch (InvalidInputException e) {
                    emailInvalid = true;
                }
            }
            if (phone.number == null && email == null) {
                return rejected(line, noContactReason(phone, emailInvalid, emailColumn));
            }
            for (String column : phone.invalidColumns) {
                warnings.add("phone in column '" + column + "' is not a valid number: "
                        + (phone.number == null ? "email only" : "ignored"));
            }
            if (phone.number != null && phone.number.lineType() == PhoneNumber.LineType.LANDLINE) {
                warnings.add("phone in column '" + phone.column + "' is a landline: SMS skipped");
            }
            if (emailInvalid) {
                warnings.add("email (column '" + emailColumn.name() + "') is not a valid address: ignored");
            }

            PatientRecord record = new PatientRecord(mrn, name.first(), name.last(), phone.number, email, provider,
                    followUpType(), preferredWindow(), language(), dueDate(), timeZone());
            return new ParsedRow.Accepted(line, record, warnings);
        }

        private String noContactReason(PhoneChoice phone, boolean emailInvalid, @Nullable Column emailColumn) {
            List<String> parts = new ArrayList<>();
            for (String column : phone.invalidColumns) {
                parts.add("phone in column '" + column + "' is not a valid number");
            }
            if (emailInvalid) {
                parts.add("email (column '" + emailColumn.name() + "') is not a valid address");
            }
            if (parts.isEmpty()) {
                return "neither a phone number nor an email address is given";
            }
            if (phone.invalidColumns.isEmpty()) {
                parts.add("there is no phone number");
            } else if (!emailInvalid) {
                parts.add("there is no email address");
            }
            return String.join(", and ", parts);
        }

        /** Of the valid numbers, the first mobile one, else the first of unknown type, else the first landline. */
        private PhoneChoice choosePhone() {
            PhoneChoice choice = new PhoneChoice();
            int bestRank = Integer.MAX_VALUE;
            for (Column column : columns.getOrDefault(Field.PHONE, List.of())) {
                String text = cell(column);
                if (text.isEmpty()) {
                    continue;
                }
                PhoneNumber number;
                try {
                    number = PhoneNumber.parse(text, region);
                } catch (InvalidInputException e) {
                    choice.invalidColumns.add(column.name());
                    continue;
                }
                int rank = switch (number.lineType()) {
                    case MOBILE -> 0;
                    case UNKNOWN -> 1;
                    case LANDLINE -> 2;
                };
                if (rank < bestRank) {
                    bestRank = rank;
                    choice.number = number;
                    choice.column = column.name();
                }
            }
            return choice;
        }

        private FollowUpType followUpType() {
            Column column = single(Field.FOLLOW_UP_TYPE);
            if (column == null || cell(column).isEmpty()) {
                return FollowUpType.GENERAL;
            }
            // Exports say "Post-Op (6 wk)" or "Annual Exam"; the code keeps letters and digits only.
            Optional<FollowUpType> type = types.computeIfAbsent(cell(column), text -> {
                String code = trimDashes(NOT_SLUG.matcher(fold(text)).replaceAll("-"), MAX_TYPE_LENGTH);
                return code.isEmpty() ? Optional.empty() : Optional.of(FollowUpType.of(code));
            });
            if (type.isEmpty()) {
                warnings.add("follow-up type (column '" + column.name() + "') has no letters or digits: 'general' used");
            }
            return type.orElse(FollowUpType.GENERAL);
        }

        private PreferredWindow preferredWindow() {
            Column column = single(Field.PREFERRED_WINDOW);
            if (column == null || cell(column).isEmpty()) {
                return PreferredWindow.ANY;
            }
            Optional<PreferredWindow> window = windows.computeIfAbsent(cell(column), text -> {
                try {
                    return Optional.of(PreferredWindow.parse(text));
                } catch (InvalidInputException e) {
                    return Optional.empty();
                }
            });
            if (window.isEmpty()) {
                warnings.add("preferred window (column '" + column.name() + "') is not recognised: any time assumed");
            }
            return window.orElse(PreferredWindow.ANY);
        }

        private @Nullable Language language() {
            Column column = single(Field.LANGUAGE);
            if (column == null || cell(column).isEmpty()) {
                return null;
            }
            Optional<Language> language = languages.computeIfAbsent(cell(column), text -> {
                try {
                    return Optional.of(Language.parse(text));
                } catch (InvalidInputException e) {
                    return Optional.empty();
                }
            });
            if (language.isEmpty()) {
                warnings.add("language (column '" + column.name() + "') is not recognised: English applies");
            }
            return language.orElse(null);
        }

        private @Nullable LocalDate dueDate() {
            Column column = single(Field.DUE_DATE);
            if (column == null || cell(column).isEmpty()) {
                return null;
            }
            String text = cell(column);
            LocalDate date = parseDate(text);
            if (date == null) {
                Matcher withTime = TIME_AFTER_DATE.matcher(text);
                if (withTime.matches()) {
                    date = parseDate(withTime.group(1));
                }
            }
            if (date == null) {
                warnings.add("due date (column '" + column.name() + "') is not a date in the formats "
                        + mapping.dueDateFormats() + ": ignored");
            }
            return date;
        }

        private @Nullable LocalDate parseDate(String text) {
            for (DateTimeFormatter format : mapping.dueDateFormatters()) {
                // A cheap look first: a thrown exception per failed format and row adds up over a million rows.
                ParsePosition position = new ParsePosition(0);
                if (format.parseUnresolved(text, position) == null || position.getIndex() != text.length()) {
                    continue;
                }
                try {
                    return LocalDate.parse(text, format);
                } catch (DateTimeException e) {
                    // e.g. February 30: try the next format
                }
            }
            return null;
        }

        private @Nullable ZoneId timeZone() {
            Column column = single(Field.TIME_ZONE);
            if (column == null || cell(column).isEmpty()) {
                return null;
            }
            Optional<ZoneId> zone = zones.computeIfAbsent(cell(column), text -> ZoneNames.parse(text, region));
            if (zone.isEmpty()) {
                warnings.add("time zone (column '" + column.name() + "') is not recognised: the practice's applies");
            } else if (zone.get() instanceof ZoneOffset) {
                warnings.add("time zone (column '" + column.name() + "') is a fixed offset: daylight saving is not followed");
            }
            return zone.orElse(null);
        }

        private @Nullable Column single(Field field) {
            List<Column> found = columns.getOrDefault(field, List.of());
            return found.isEmpty() ? null : found.get(0);
        }

        private String cell(Column column) {
            return raw.fields().get(column.index()).strip();
        }
    }

    private static final class PhoneChoice {
        private @Nullable PhoneNumber number;
        private @Nullable String column;
        private final List<String> invalidColumns = new ArrayList<>();
    }
}
