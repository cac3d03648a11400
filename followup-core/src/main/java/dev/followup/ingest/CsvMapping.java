package dev.followup.ingest;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * How the columns of one EHR's export map to the fields of a {@link PatientRecord}.
 *
 * <p>Every EHR names its columns differently ({@code Patient Name} vs {@code First Name} and
 * {@code Last Name}, {@code Cell Phone} vs {@code Mobile}), so a mapping names, for each field,
 * the column that holds it. Three profiles come built in ({@link #generic()}, {@link #epicStyle()},
 * {@link #athenaStyle()}) and {@link #detect(List)} picks one from a file's header; any other
 * layout is described with {@link #builder()}.
 *
 * <p>Column names match a header case-insensitively, ignoring surrounding white space, runs of
 * inner white space and the difference between underscores and spaces: {@code "PATIENT_MRN "}
 * matches {@code "Patient MRN"}.
 *
 * <p>A mapping needs a name (one full-name column, or first-name and last-name columns), a provider
 * column and at least one phone or email column; these are the columns a file must have. Every
 * other mapped column is optional: when a file lacks it, the field is simply empty.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CsvMapping {
    /**
     * The date formats tried, in order, when a mapping names none: ISO {@code yyyy-MM-dd}, US
     * {@code M/d/yyyy} and {@code MM/dd/yyyy}, and {@code d-MMM-yyyy} ({@code 5-Mar-2026}). Day-first
     * dates ({@code 05/03/2026} for 5 March) need a mapping that lists {@code d/M/yyyy}.
     */
    public static final List<String> DEFAULT_DATE_FORMATS = List.of("yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy", "d-MMM-yyyy");

    /** The fields a column can be mapped to; the label is the builder method's name. */
    enum Field {
        MRN("mrn"), FULL_NAME("fullName"), FIRST_NAME("firstName"), LAST_NAME("lastName"), PHONE("phone"),
        EMAIL("email"), PROVIDER("provider"), PROVIDER_ID("providerId"), FOLLOW_UP_TYPE("followUpType"),
        PREFERRED_WINDOW("preferredWindow"), LANGUAGE("language"), DUE_DATE("dueDate"), TIME_ZONE("timeZone");

        final String label;

        Field(String label) {
            this.label = label;
        }
    }

    private static final CsvMapping GENERIC = builder().name("generic")
            .mrn("MRN").firstName("First Name").lastName("Last Name")
            .phone("Mobile Phone", "Cell Phone", "Phone", "Home Phone").email("Email")
            .provider("Provider").providerId("Provider ID").followUpType("Follow-Up Type")
            .preferredWindow("Preferred Window").language("Language").dueDate("Due Date").timeZone("Time Zone")
            .build();

    private static final CsvMapping EPIC_STYLE = builder().name("epic-style")
            .mrn("Patient MRN").fullName("Patient Name")
            .phone("Mobile Phone", "Home Phone").email("E-mail")
            .provider("Referring Provider").providerId("Referring Provider ID").followUpType("Recall Type")
            .preferredWindow("Appt Preference").language("Preferred Language").dueDate("Recall Due")
            .dueDateFormats("M/d/yyyy", "yyyy-MM-dd", "d-MMM-yyyy")
            .build();

    private static final CsvMapping ATHENA_STYLE = builder().name("athena-style")
            .mrn("patientid").firstName("patient firstname").lastName("patient lastname")
            .phone("patient mobile no", "patient homephone").email("patient email")
            .provider("provider name").providerId("providerid").followUpType("recall reason")
            .preferredWindow("preferred time").language("language").dueDate("recall date")
            .build();

    private final String name;
    private final Map<Field, List<String>> columns;
    private final List<String> dueDateFormats;
    private final List<DateTimeFormatter> dueDateFormatters;

    private CsvMapping(Builder builder) {
        this.name = builder.name;
        this.columns = Collections.unmodifiableMap(new EnumMap<>(builder.columns));
        this.dueDateFormats = List.copyOf(builder.dueDateFormats);
        this.dueDateFormatters = builder.dueDateFormats.stream().map(CsvMapping::formatter).toList();
    }

    /** @return a builder for a mapping of some other export layout, named {@code custom} unless renamed */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The layout the library documents for hand-made lists: {@code MRN, First Name, Last Name, Phone,
     * Email, Provider, Follow-Up Type, Preferred Window, Language, Due Date, Time Zone}. Phones are
     * also read from {@code Mobile Phone}, {@code Cell Phone} and {@code Home Phone}, in that order
     * before {@code Phone}; an optional {@code Provider ID} column gives providers stable ids.
     *
     * @return the generic profile, named {@code generic}
     */
    public static CsvMapping generic() {
        return GENERIC;
    }

    /**
     * A layout modelled on Epic-style recall reports: {@code Patient MRN, Patient Name} (as
     * {@code LAST,FIRST}), {@code Mobile Phone, Home Phone, E-mail, Referring Provider} (and
     * optionally {@code Referring Provider ID}), {@code Recall Type, Appt Preference, Preferred
     * Language, Recall Due} (US dates first).
     *
     * @return the profile, named {@code epic-style}
     */
    public static CsvMapping epicStyle() {
        return EPIC_STYLE;
    }

    /**
     * A layout modelled on athenahealth-style report exports, with lower-case run-together names:
     * {@code patientid, patient firstname, patient lastname, patient mobile no, patient homephone,
     * patient email, provider name} (and optionally {@code providerid}), {@code recall reason,
     * preferred time, language, recall date}.
     *
     * @return the profile, named {@code athena-style}
     */
    public static CsvMapping athenaStyle() {
        return ATHENA_STYLE;
    }

    /** @return the built-in profiles, in the order {@link #detect(List)} tries them */
    public static List<CsvMapping> profiles() {
        return List.of(GENERIC, EPIC_STYLE, ATHENA_STYLE);
    }

    /**
     * Picks the built-in profile that fits a file's header.
     *
     * @param headers the file's header row
     * @return the profile whose required columns are all present
     * @throws InvalidInputException if none fits; the message lists what each profile misses
     * @see #detect(List, List)
     */
    public static CsvMapping detect(List<String> headers) {
        return detect(headers, profiles());
    }

    /**
     * Picks, among candidates, the mapping that fits a file's header: of those whose required
     * columns are all present, the one that finds the most of its columns (the first on a tie).
     *
     * @param headers the file's header row
     * @param candidates the mappings to choose from, e.g. the built-in {@link #profiles()} plus one's own
     * @return the best fitting mapping
     * @throws InvalidInputException if none fits; the message lists, per candidate, the missing
     *     columns (the mapping's column names, never the file's header cells)
     */
    public static CsvMapping detect(List<String> headers, List<CsvMapping> candidates) {
        if (candidates.isEmpty()) {
            throw new InvalidConfigurationException("detecting a mapping needs at least one candidate mapping");
        }
        CsvMapping best = null;
        int bestFound = -1;
        StringJoiner misses = new StringJoiner("; ");
        for (CsvMapping candidate : candidates) {
            List<String> missing = candidate.missingColumns(headers);
            if (missing.isEmpty()) {
                int found = candidate.presentColumnCount(headers);
                if (found > bestFound) {
                    best = candidate;
                    bestFound = found;
                }
            } else {
                misses.add(candidate.name + " misses " + String.join(", ", missing));
            }
        }
        if (best == null) {
            throw new InvalidInputException("the header row matches no known export layout (" + misses
                    + "); describe the layout with CsvMapping.builder()");
        }
        return best;
    }

    /** @return the mapping's name, e.g. {@code generic} or {@code custom} */
    public String name() {
        return name;
    }

    /** @return the date formats tried in order for the due date, as {@link DateTimeFormatter} patterns */
    public List<String> dueDateFormats() {
        return dueDateFormats;
    }

    /**
     * Lists the required columns a header lacks.
     *
     * @param headers a file's header row
     * @return the mapping's names of the missing columns, e.g. {@code [Provider, one of 'Phone', 'Email']};
     *     empty when the header has every required column
     */
    public List<String> missingColumns(List<String> headers) {
        Map<String, Integer> index = indexOf(headers);
        List<String> missing = new ArrayList<>();
        for (Field field : List.of(Field.FULL_NAME, Field.FIRST_NAME, Field.LAST_NAME, Field.PROVIDER)) {
            for (String column : columns(field)) {
                if (!index.containsKey(normalize(column))) {
                    missing.add(column);
                }
            }
        }
        List<String> contact = new ArrayList<>(columns(Field.PHONE));
        contact.addAll(columns(Field.EMAIL));
        if (contact.stream().noneMatch(column -> index.containsKey(normalize(column)))) {
            missing.add(contact.size() == 1 ? contact.get(0) : "one of '" + String.join("', '", contact) + "'");
        }
        return missing;
    }

    /**
     * Resolves the mapping against a file's header.
     *
     * @throws InvalidInputException if a required column is missing or a mapped column appears twice
     */
    BoundMapping bind(List<String> headers, String region) {
        List<String> missing = missingColumns(headers);
        if (!missing.isEmpty()) {
            throw new InvalidInputException("the header row lacks required columns of mapping '" + name + "': "
                    + String.join(", ", missing));
        }
        Map<String, Integer> index = indexOf(headers);
        Map<Field, List<BoundMapping.Column>> bound = new EnumMap<>(Field.class);
        List<String> absent = new ArrayList<>();
        for (Map.Entry<Field, List<String>> entry : columns.entrySet()) {
            List<BoundMapping.Column> found = new ArrayList<>();
            for (String column : entry.getValue()) {
                Integer position = index.get(normalize(column));
                if (position == null) {
                    absent.add(column);
                } else if (position < 0) {
                    throw new InvalidInputException("the header row has the column '" + column + "' more than once");
                } else {
                    found.add(new BoundMapping.Column(column, position));
                }
            }
            bound.put(entry.getKey(), List.copyOf(found));
        }
        return new BoundMapping(this, headers, bound, absent, region);
    }

    /** @return the mapped columns of a field in priority order; empty when the field is not mapped */
    List<String> columns(Field field) {
        return columns.getOrDefault(field, List.of());
    }

    List<DateTimeFormatter> dueDateFormatters() {
        return dueDateFormatters;
    }

    private int presentColumnCount(List<String> headers) {
        Map<String, Integer> index = indexOf(headers);
        return (int) columns.values().stream().flatMap(List::stream)
                .filter(column -> index.containsKey(normalize(column)))
                .count();
    }

    /** Maps each normalised header to its position, or to -1 when it occurs more than once. */
    private static Map<String, Integer> indexOf(List<String> headers) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            String key = normalize(headers.get(i));
            if (!key.isEmpty()) {
                index.merge(key, i, (first, again) -> -1);
            }
        }
        return index;
    }

    /**
     * The form in which a column name and a header cell are compared.
     *
     * @param header a column name or header cell
     * @return it lower-cased, with underscores as spaces and white space collapsed and trimmed
     */
    static String normalize(String header) {
        // A BOM can survive into the first header when a file was saved with two of them.
        return header.replace("\uFEFF", "").replace('_', ' ').strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static DateTimeFormatter formatter(String pattern) {
        // 'u' (proleptic year) instead of 'y' (year of era) so that strict resolution needs no era;
        // strict, so that 2/30/2026 is rejected instead of quietly becoming 2/28.
        StringBuilder proleptic = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            quoted ^= c == '\'';
            proleptic.append(!quoted && c == 'y' ? 'u' : c);
        }
        try {
            return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(proleptic.toString())
                    .toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("due date format '" + pattern + "' is not a valid date pattern", e);
        }
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "CsvMapping[" + name + ": ", "]");
        columns.forEach((field, names) -> text.add(field.label + "=" + names));
        return text.toString();
    }

    /**
     * Describes an export layout column by column. Every setter checks its input at once, so a
     * mistake is reported where it is made; {@link #build()} checks that the mapping is complete.
     */
    public static final class Builder {
        private String name = "custom";
        private final Map<Field, List<String>> columns = new EnumMap<>(Field.class);
        private List<String> dueDateFormats = DEFAULT_DATE_FORMATS;
        private boolean dueDateFormatsSet;

        private Builder() {
        }

        /**
         * @param name a short name for the layout, shown in import summaries and errors
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new InvalidConfigurationException("mapping name must not be blank");
            }
            this.name = name.strip();
            return this;
        }

        /**
         * @param column the column holding the EHR's medical record number
         * @return this builder
         */
        public Builder mrn(String column) {
            return set(Field.MRN, column);
        }

        /**
         * Maps one column that holds the whole name, either {@code Last, First Middle} or
         * {@code First Middle Last}; middle names and initials are dropped, a suffix such as
         * {@code Jr.} stays with the last name. Excludes {@link #firstName} and {@link #lastName}.
         *
         * @param column the column holding the full name
         * @return this builder
         */
        public Builder fullName(String column) {
            if (columns.containsKey(Field.FIRST_NAME) || columns.containsKey(Field.LAST_NAME)) {
                throw new InvalidConfigurationException("set either 'fullName' or 'firstName' and 'lastName', not both");
            }
            return set(Field.FULL_NAME, column);
        }

        /**
         * @param column the column holding the given name; needs {@link #lastName} too
         * @return this builder
         */
        public Builder firstName(String column) {
            requireNoFullName();
            return set(Field.FIRST_NAME, column);
        }

        /**
         * @param column the column holding the family name; needs {@link #firstName} too
         * @return this builder
         */
        public Builder lastName(String column) {
            requireNoFullName();
            return set(Field.LAST_NAME, column);
        }

        /**
         * Maps the phone columns, in priority order. Of a row's valid numbers, a mobile one is
         * preferred, then one of unknown line type, then a landline; columns break ties.
         *
         * @param column the first-choice phone column, e.g. {@code Cell Phone}
         * @param fallbacks further phone columns, e.g. {@code Mobile}, {@code Home Phone}
         * @return this builder
         */
        public Builder phone(String column, String... fallbacks) {
            List<String> all = new ArrayList<>();
            all.add(column);
            all.addAll(List.of(fallbacks));
            return set(Field.PHONE, all.toArray(String[]::new));
        }

        /**
         * @param column the column holding the email address
         * @return this builder
         */
        public Builder email(String column) {
            return set(Field.EMAIL, column);
        }

        /**
         * @param column the column holding the provider's display name, e.g. {@code Dr. Martinez}
         * @return this builder
         */
        public Builder provider(String column) {
            return set(Field.PROVIDER, column);
        }

        /**
         * Maps an optional provider id column. Without one (or when a row's id is empty), the id is
         * derived from the display name: a lower-case slug such as {@code dr-maria-martinez}, stable
         * across imports as long as the EHR spells the name the same way.
         *
         * @param column the column holding the EHR's provider id
         * @return this builder
         */
        public Builder providerId(String column) {
            return set(Field.PROVIDER_ID, column);
        }

        /**
         * @param column the column holding the follow-up type ({@code Post-Op}, {@code Annual Exam})
         * @return this builder
         */
        public Builder followUpType(String column) {
            return set(Field.FOLLOW_UP_TYPE, column);
        }

        /**
         * @param column the column holding the preferred appointment window ({@code Mornings})
         * @return this builder
         */
        public Builder preferredWindow(String column) {
            return set(Field.PREFERRED_WINDOW, column);
        }

        /**
         * @param column the column holding the patient's language ({@code es}, {@code Spanish})
         * @return this builder
         */
        public Builder language(String column) {
            return set(Field.LANGUAGE, column);
        }

        /**
         * @param column the column holding the date the follow-up is due
         * @return this builder
         */
        public Builder dueDate(String column) {
            return set(Field.DUE_DATE, column);
        }

        /**
         * Replaces {@link #DEFAULT_DATE_FORMATS}. Formats are tried in order and the first that
         * parses wins, so put the export's own format first; a time after the date
         * ({@code 3/5/2026 0:00}) is ignored.
         *
         * @param patterns {@link DateTimeFormatter} patterns such as {@code d/M/yyyy}
         * @return this builder
         */
        public Builder dueDateFormats(String... patterns) {
            if (dueDateFormatsSet) {
                throw new InvalidConfigurationException("due date formats were already set to " + dueDateFormats);
            }
            if (patterns.length == 0) {
                throw new InvalidConfigurationException("due date formats need at least one pattern");
            }
            for (String pattern : patterns) {
                if (pattern == null || pattern.isBlank()) {
                    throw new InvalidConfigurationException("due date format must not be blank");
                }
                formatter(pattern);
            }
            this.dueDateFormats = List.of(patterns);
            this.dueDateFormatsSet = true;
            return this;
        }

        /**
         * @param column the column holding the patient's time zone: an IANA id ({@code America/Chicago}),
         *     a common North American name ({@code EST}, {@code Central Time}, {@code Hawaii}) or a
         *     fixed offset ({@code UTC-10}, {@code -05:00}); anything else falls back to the practice's zone
         * @return this builder
         */
        public Builder timeZone(String column) {
            return set(Field.TIME_ZONE, column);
        }

        /**
         * @return the mapping
         * @throws InvalidConfigurationException if a name, provider or contact column is missing
         */
        public CsvMapping build() {
            List<String> problems = new ArrayList<>();
            boolean first = columns.containsKey(Field.FIRST_NAME);
            boolean last = columns.containsKey(Field.LAST_NAME);
            if (!columns.containsKey(Field.FULL_NAME) && !first && !last) {
                problems.add("needs a column for 'fullName', or for 'firstName' and 'lastName'");
            } else if (first != last) {
                problems.add("needs a column for '" + (first ? "lastName" : "firstName") + "' as well");
            }
            if (!columns.containsKey(Field.PROVIDER)) {
                problems.add("needs a column for 'provider'");
            }
            if (!columns.containsKey(Field.PHONE) && !columns.containsKey(Field.EMAIL)) {
                problems.add("needs a column for 'phone' or 'email'");
            }
            if (dueDateFormatsSet && !columns.containsKey(Field.DUE_DATE)) {
                problems.add("has due date formats but no column for 'dueDate'");
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException("mapping '" + name + "' " + String.join("; ", problems));
            }
            return new CsvMapping(this);
        }

        private void requireNoFullName() {
            if (columns.containsKey(Field.FULL_NAME)) {
                throw new InvalidConfigurationException("set either 'fullName' or 'firstName' and 'lastName', not both");
            }
        }

        private Builder set(Field field, String... names) {
            List<String> existing = columns.get(field);
            if (existing != null) {
                throw new InvalidConfigurationException("column for '" + field.label + "' was already set to '"
                        + String.join("', '", existing) + "'");
            }
            List<String> accepted = new ArrayList<>();
            for (String column : names) {
                if (column == null || normalize(column).isEmpty()) {
                    throw new InvalidConfigurationException("column for '" + field.label + "' must not be blank");
                }
                @Nullable Field owner = ownerOf(column);
                if (owner != null || accepted.stream().anyMatch(c -> normalize(c).equals(normalize(column)))) {
                    throw new InvalidConfigurationException("column '" + column + "' is already mapped to '"
                            + (owner != null ? owner.label : field.label) + "'");
                }
                accepted.add(column.strip());
            }
            columns.put(field, List.copyOf(accepted));
            return this;
        }

        private @Nullable Field ownerOf(String column) {
            String key = normalize(column);
            for (Map.Entry<Field, List<String>> entry : columns.entrySet()) {
                if (entry.getValue().stream().anyMatch(c -> normalize(c).equals(key))) {
                    return entry.getKey();
                }
            }
            return null;
        }
    }
}
