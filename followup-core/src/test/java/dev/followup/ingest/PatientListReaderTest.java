package dev.followup.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.followup.FollowUpType;
import dev.followup.patient.EmailAddress;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.PhoneNumber;
import dev.followup.scheduling.PreferredWindow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PatientListReaderTest {
    private static final PatientListReader READER = PatientListReader.builder().build();

    /** What one read produced. */
    record Read(ReadSummary summary, List<ParsedRow> rows) {
        ParsedRow.Accepted accepted(int line) {
            return rows.stream().filter(r -> r.line() == line).map(ParsedRow.Accepted.class::cast).findFirst().orElseThrow();
        }

        RowError rejected(int line) {
            return rows.stream().filter(r -> r.line() == line).map(r -> ((ParsedRow.Rejected) r).error()).findFirst().orElseThrow();
        }

        List<Integer> acceptedLines() {
            return rows.stream().filter(ParsedRow.Accepted.class::isInstance).map(ParsedRow::line).toList();
        }

        List<Integer> rejectedLines() {
            return rows.stream().filter(ParsedRow.Rejected.class::isInstance).map(ParsedRow::line).toList();
        }

        List<String> messages() {
            return rows.stream().flatMap(r -> r instanceof ParsedRow.Accepted a ? a.warnings().stream()
                    : Stream.of(((ParsedRow.Rejected) r).error().reason())).toList();
        }
    }

    private static Read read(PatientListReader reader, InputStream in) {
        List<ParsedRow> rows = new ArrayList<>();
        ReadSummary summary = reader.read(in, rows::add);
        return new Read(summary, rows);
    }

    private static Read readResource(PatientListReader reader, String name) throws IOException {
        try (InputStream in = PatientListReaderTest.class.getResourceAsStream("/ingest/" + name)) {
            assertThat(in).as(name).isNotNull();
            return read(reader, in);
        }
    }

    private static Read readText(PatientListReader reader, String csv) {
        return read(reader, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheGenericProfile() throws IOException {
        Read read = readResource(READER, "generic.csv");

        assertThat(read.summary().mapping()).isEqualTo("generic");
        assertThat(read.summary().encoding()).isEqualTo("UTF-8");
        assertThat(read.summary().rows()).isEqualTo(9);
        assertThat(read.summary().absentColumns()).contains("Provider ID", "Mobile Phone");
        assertThat(read.acceptedLines()).containsExactly(2, 3, 4, 7, 8, 9, 12);
        assertThat(read.rejectedLines()).containsExactly(10, 11);

        ParsedRow.Accepted sarah = read.accepted(2);
        assertThat(sarah.warnings()).isEmpty();
        PatientRecord r = sarah.record();
        assertThat(r.mrn()).isEqualTo(new Mrn("100234"));
        assertThat(r.firstName()).isEqualTo("Sarah");
        assertThat(r.lastName()).isEqualTo("Connor");
        assertThat(r.phone()).isEqualTo(PhoneNumber.parse("+14155550132", "US"));
        assertThat(r.email()).isEqualTo(EmailAddress.of("sarah.connor@example.com"));
        assertThat(r.provider().id()).isEqualTo("dr-maria-martinez");
        assertThat(r.provider().displayName()).isEqualTo("Dr. Maria Martinez");
        assertThat(r.type()).isEqualTo(FollowUpType.of("post-op"));
        assertThat(r.preferredWindow().days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        assertThat(r.preferredWindow().to()).isEqualTo(LocalTime.NOON);
        assertThat(r.language()).isEqualTo(Language.ENGLISH);
        assertThat(r.dueDate()).isEqualTo(LocalDate.of(2026, 12, 3));
        assertThat(r.timeZone()).isEqualTo(ZoneId.of("America/Los_Angeles"));

        PatientRecord john = read.accepted(3).record();
        assertThat(john.firstName()).isEqualTo("John");
        assertThat(john.lastName()).isEqualTo("Smith Jr.");
        assertThat(john.email()).isNull();
        assertThat(john.language()).isEqualTo(Language.SPANISH);
        assertThat(john.dueDate()).isEqualTo(LocalDate.of(2026, 12, 15));
        assertThat(john.type().code()).isEqualTo("annual-exam");

        PatientRecord ana = read.accepted(4).record();
        assertThat(ana.lastName()).isEqualTo("de la Cruz");
        assertThat(ana.phone()).isNull();
        assertThat(ana.provider().id()).isEqualTo("chen-david-md");
        assertThat(ana.preferredWindow()).isEqualTo(PreferredWindow.ANY);
        assertThat(ana.dueDate()).isEqualTo(LocalDate.of(2027, 1, 5));
        assertThat(ana.timeZone()).isNull();

        PatientRecord eve = read.accepted(12).record();
        assertThat(eve.mrn()).isNull();
        assertThat(eve.type().code()).isEqualTo("follow-up-6-wk");
        assertThat(eve.language()).isNull();
        assertThat(eve.dueDate()).isNull();
        assertThat(eve.timeZone()).isNull();
        assertThat(read.accepted(12).warnings()).containsExactly(
                "language (column 'Language') is not recognised: English applies",
                "due date (column 'Due Date') is not a date in the formats [yyyy-MM-dd, M/d/yyyy, MM/dd/yyyy, d-MMM-yyyy]: ignored",
                "time zone (column 'Time Zone') is not recognised: the practice's applies");
    }

    @Test
    void aLandlineIsAcceptedWithAWarning() throws IOException {
        ParsedRow.Accepted li = readResource(READER, "generic.csv").accepted(7);

        assertThat(li.record().phone().lineType()).isEqualTo(PhoneNumber.LineType.LANDLINE);
        assertThat(li.warnings()).containsExactly("phone in column 'Phone' is a landline: SMS skipped");
    }

    @Test
    void anInvalidPhoneIsAWarningWithAnEmailAndARejectionWithout() throws IOException {
        Read read = readResource(READER, "generic.csv");

        ParsedRow.Accepted tom = read.accepted(9);
        assertThat(tom.record().phone()).isNull();
        assertThat(tom.record().email()).isNotNull();
        assertThat(tom.warnings()).containsExactly("phone in column 'Phone' is not a valid number: email only");
        assertThat(read.rejected(10)).isEqualTo(new RowError(10,
                "phone in column 'Phone' is not a valid number, and there is no email address"));
        assertThat(read.rejected(11)).isEqualTo(new RowError(11, "provider (column 'Provider') is empty"));
    }

    @Test
    void aFormulaCellIsJustText() throws IOException {
        PatientRecord evil = readResource(READER, "generic.csv").accepted(8).record();

        assertThat(evil.firstName()).isEqualTo("=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(readText(READER, "First Name,Last Name,Phone,Provider\n+1 Plus,@At,(415) 555-0101,-Dash\n")
                .accepted(2).record().provider().displayName()).isEqualTo("-Dash");
    }

    @Test
    void readsTheEpicStyleProfileWithBomCrLfAndTrailingDelimiters() throws IOException {
        Read read = readResource(READER, "epic-style.csv");

        assertThat(read.summary().mapping()).isEqualTo("epic-style");
        assertThat(read.summary().encoding()).isEqualTo("UTF-8");
        assertThat(read.acceptedLines()).containsExactly(2, 3, 4);
        assertThat(read.rejected(5).reason()).isEqualTo("provider (column 'Referring Provider') is empty");

        PatientRecord sarah = read.accepted(2).record();
        assertThat(sarah.mrn()).isEqualTo(new Mrn("E1001"));
        assertThat(sarah.firstName()).isEqualTo("Sarah");
        assertThat(sarah.lastName()).isEqualTo("Connor");
        assertThat(sarah.phone().e164()).isEqualTo("+14155550132");
        assertThat(sarah.provider().id()).isEqualTo("martinez-maria-md");
        assertThat(sarah.type().code()).isEqualTo("post-op-check");
        assertThat(sarah.dueDate()).isEqualTo(LocalDate.of(2026, 12, 3));

        PatientRecord john = read.accepted(3).record();
        assertThat(john.firstName()).isEqualTo("John");
        assertThat(john.lastName()).isEqualTo("Smith Jr.");
        assertThat(john.phone().e164()).isEqualTo("+12125550100");
        assertThat(john.dueDate()).as("a time after the date is ignored").isEqualTo(LocalDate.of(2027, 1, 15));

        ParsedRow.Accepted maryKate = read.accepted(4);
        assertThat(maryKate.record().firstName()).isEqualTo("Mary-Kate");
        assertThat(maryKate.record().lastName()).isEqualTo("O'Brien");
        assertThat(maryKate.record().phone().lineType()).as("the mobile number wins over the higher-priority landline")
                .isEqualTo(PhoneNumber.LineType.MOBILE);
        assertThat(maryKate.record().language()).isEqualTo(new Language("fr"));
        assertThat(maryKate.warnings()).isEmpty();
    }

    @Test
    void readsTheAthenaStyleProfile() throws IOException {
        Read read = readResource(READER, "athena-style.csv");

        assertThat(read.summary().mapping()).isEqualTo("athena-style");
        assertThat(read.acceptedLines()).containsExactly(2, 3);
        assertThat(read.rejected(4).reason()).isEqualTo("neither a phone number nor an email address is given");

        PatientRecord sarah = read.accepted(2).record();
        assertThat(sarah.mrn()).isEqualTo(new Mrn("55501"));
        assertThat(sarah.type().code()).isEqualTo("post-op");
        assertThat(sarah.preferredWindow().to()).isEqualTo(LocalTime.NOON);
        assertThat(sarah.language()).isEqualTo(Language.ENGLISH);
        assertThat(sarah.dueDate()).isEqualTo(LocalDate.of(2026, 12, 3));

        PatientRecord jose = read.accepted(3).record();
        assertThat(jose.firstName()).isEqualTo("José");
        assertThat(jose.lastName()).isEqualTo("Muñoz");
        assertThat(jose.provider().id()).isEqualTo("david-chen");
        assertThat(jose.preferredWindow().from()).isEqualTo(LocalTime.NOON);
        assertThat(jose.dueDate()).isEqualTo(LocalDate.of(2027, 1, 20));
    }

    @Test
    void readsWindows1252Bytes() throws IOException {
        Read read = readResource(READER, "windows-1252.csv");

        assertThat(read.summary().encoding()).isEqualTo("windows-1252");
        assertThat(read.acceptedLines()).containsExactly(2, 3);
        PatientRecord jose = read.accepted(2).record();
        assertThat(jose.firstName()).isEqualTo("José");
        assertThat(jose.lastName()).isEqualTo("Muñoz");
        assertThat(jose.provider().displayName()).isEqualTo("Dr. Peña");
        assertThat(jose.provider().id()).isEqualTo("dr-pena");
        assertThat(jose.type().code()).isEqualTo("revision");
        assertThat(read.accepted(3).record().lastName()).isEqualTo("Bérubé");
        assertThat(read.accepted(2).warnings()).isEmpty();
    }

    @Test
    void aStrayWindows1252ByteInAUtf8FileWarnsOnItsRowOnly() {
        byte[] head = "First Name,Last Name,Phone,Provider\nZoë,Ok,(415) 555-0101,Dr. Chen\n".getBytes(StandardCharsets.UTF_8);
        byte[] filler = "Pad,Row,(415) 555-0102,Dr. Chen\n".repeat(3_000).getBytes(StandardCharsets.UTF_8);
        byte[] stray = "José,Late,(415) 555-0103,Dr. Chen\n".getBytes(Charset.forName("windows-1252"));
        byte[] all = new byte[head.length + filler.length + stray.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(filler, 0, all, head.length, filler.length);
        System.arraycopy(stray, 0, all, head.length + filler.length, stray.length);

        Read read = read(READER, new ByteArrayInputStream(all));

        assertThat(read.summary().encoding()).isEqualTo("UTF-8");
        ParsedRow.Accepted late = read.accepted(3_003);
        assertThat(late.record().firstName()).isEqualTo("José");
        assertThat(late.warnings()).containsExactly("row has bytes that are not valid UTF-8: they were read as Windows-1252");
        assertThat(read.accepted(2).record().firstName()).isEqualTo("Zoë");
        assertThat(read.messages()).hasSize(1);
    }

    @Test
    void aStrayWindows1252ByteNearTheStartOfAUtf8FileWarnsOnItsRowAndKeepsTheUtf8Rows() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("First Name,Last Name,Phone,Provider\nRen".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xE9);
        bytes.writeBytes(",Roy,(415) 555-0101,Dr. Chen\nJosé,Núñez,(415) 555-0102,Dr. Chen\n".getBytes(StandardCharsets.UTF_8));

        Read read = read(READER, new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(read.summary().encoding()).isEqualTo("UTF-8");
        assertThat(read.accepted(2).record().firstName()).isEqualTo("René");
        assertThat(read.accepted(2).warnings()).containsExactly("row has bytes that are not valid UTF-8: they were read as Windows-1252");
        assertThat(read.accepted(3).record().firstName()).isEqualTo("José");
        assertThat(read.accepted(3).record().lastName()).isEqualTo("Núñez");
        assertThat(read.accepted(3).warnings()).isEmpty();
    }

    @Test
    void badRowsAreReportedWithTheirLineAndGoodRowsAreKept() throws IOException {
        Read read = readResource(READER, "bad-rows.csv");

        assertThat(read.acceptedLines()).containsExactly(2, 6, 8, 10);
        assertThat(read.rows()).filteredOn(ParsedRow.Rejected.class::isInstance)
                .extracting(r -> ((ParsedRow.Rejected) r).error())
                .containsExactly(
                        new RowError(5, "row has 6 columns but the header has 7"),
                        new RowError(7, "row has 8 columns but the header has 7"),
                        new RowError(9, "column 2 ('First Name') has characters after its closing quote"));
        assertThat(read.summary().rows()).isEqualTo(7);
    }

    @Test
    void aHugeFieldRejectsItsRowOnly() {
        String huge = "x".repeat(PatientListReader.DEFAULT_MAX_FIELD_LENGTH + 1);
        String csv = "First Name,Last Name,Phone,Provider,Notes\n"
                + "Amy,A,(415) 555-0101,Dr. Chen," + huge + "\n"
                + "Ben,B,(415) 555-0102,Dr. Chen,\"" + huge + "\n"
                + "Cal,C,(415) 555-0103,Dr. Chen,ok\n";

        Read read = readText(READER, csv);

        assertThat(read.rejected(2).reason()).isEqualTo("column 5 ('Notes') is longer than the limit (a quote not closed?)");
        assertThat(read.rejected(3).reason()).isEqualTo("column 5 ('Notes') is longer than the limit (a quote not closed?)");
        assertThat(read.acceptedLines()).containsExactly(4);
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        assertThatThrownBy(() -> readResource(READER, "empty.csv"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the file is empty (no header row)");
        assertThatThrownBy(() -> read(READER, new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\r', '\n'})))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the file is empty (no header row)");
    }

    @Test
    void aHeaderOnlyFileHasNoRows() throws IOException {
        Read read = readResource(READER, "header-only.csv");

        assertThat(read.rows()).isEmpty();
        assertThat(read.summary().rows()).isZero();
        assertThat(read.summary().mapping()).isEqualTo("generic");
    }

    @Test
    void anUnknownLayoutIsRejectedBeforeAnyRow() {
        List<ParsedRow> rows = new ArrayList<>();
        assertThatThrownBy(() -> READER.read(new ByteArrayInputStream("Name,Doctor\nSarah,Chen\n".getBytes(StandardCharsets.UTF_8)), rows::add))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("matches no known export layout");
        assertThat(rows).isEmpty();
    }

    @Test
    void aSingleColumnHeaderHintsAtTheDelimiter() {
        assertThatThrownBy(() -> readText(READER, "First Name;Last Name;Phone;Provider\nA;B;(415) 555-0101;Dr. C\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("the header row has a single column: is the delimiter ',' right?");
    }

    @Test
    void readsSemicolonAndTabDelimitedFiles() {
        PatientListReader semicolons = PatientListReader.builder().delimiter(';').build();
        PatientListReader tabs = PatientListReader.builder().delimiter('\t').build();

        assertThat(readText(semicolons, "First Name;Last Name;Phone;Provider\nAmy;\"Lee; Jr\";(415) 555-0101;Dr. Chen\n")
                .accepted(2).record().lastName()).isEqualTo("Lee; Jr");
        assertThat(readText(tabs, "First Name\tLast Name\tPhone\tProvider\nAmy\tLee\t(415) 555-0101\tDr. Chen\n")
                .accepted(2).record().firstName()).isEqualTo("Amy");
    }

    @Test
    void usesAGivenCustomMapping() {
        CsvMapping mapping = CsvMapping.builder().name("clinic-x")
                .mrn("Chart #").fullName("Patient").phone("Home", "Cell").email("Mail")
                .provider("Clinician").providerId("Clinician Code").followUpType("Reason").dueDate("Recall")
                .dueDateFormats("d/M/yyyy").timeZone("TZ")
                .build();
        PatientListReader reader = PatientListReader.builder().mapping(mapping).region("CA").build();
        String csv = "Chart #,Patient,Home,Cell,Mail,Clinician,Clinician Code,Reason,Recall,TZ\n"
                + "C-9,\"Tremblay, Marie-Ève\",+44 20 7946 0958,(604) 555-0142,,Dr. Wong,W01,Post-Op,5/3/2027,America/Vancouver\n";

        Read read = readText(reader, csv);

        assertThat(read.summary().mapping()).isEqualTo("clinic-x");
        ParsedRow.Accepted marie = read.accepted(2);
        assertThat(marie.warnings()).isEmpty();
        assertThat(marie.record().firstName()).isEqualTo("Marie-Ève");
        assertThat(marie.record().phone().e164()).as("region CA, and the line that may take SMS wins").isEqualTo("+16045550142");
        assertThat(marie.record().provider().id()).isEqualTo("W01");
        assertThat(marie.record().dueDate()).isEqualTo(LocalDate.of(2027, 3, 5));
        assertThat(marie.record().timeZone()).isEqualTo(ZoneId.of("America/Vancouver"));
    }

    @Test
    void commonUsZoneNamesAndAbbreviationsMeanTheirRegionWithItsDaylightSaving() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("HST", "Pacific/Honolulu");
        expected.put("hawaii", "Pacific/Honolulu");
        expected.put("Hawaiian Standard Time", "Pacific/Honolulu");
        expected.put("EST", "America/New_York");
        expected.put("edt", "America/New_York");
        expected.put("Eastern Time", "America/New_York");
        expected.put("eastern  standard time", "America/New_York");
        expected.put("Eastern Time (US & Canada)", "America/New_York");
        expected.put("CST", "America/Chicago");
        expected.put("Central Standard Time", "America/Chicago");
        expected.put("MST", "America/Denver");
        expected.put("Arizona", "America/Phoenix");
        expected.put("PST", "America/Los_Angeles");
        expected.put("Pacific", "America/Los_Angeles");
        expected.put("AKST", "America/Anchorage");
        expected.put("AST", "America/Puerto_Rico");
        expected.put("ADT", "America/Halifax");
        expected.put("NST", "America/St_Johns");
        expected.put("US/Eastern", "US/Eastern");
        expected.put("america/chicago", "America/Chicago");
        StringBuilder csv = new StringBuilder("First Name,Last Name,Phone,Provider,Time Zone\n");
        expected.keySet().forEach(zone -> csv.append("Amy,Lee,(415) 555-0101,Dr. Chen,").append(zone).append('\n'));

        Read read = readText(READER, csv.toString());

        List<String> zones = expected.keySet().stream().toList();
        for (int i = 0; i < zones.size(); i++) {
            ParsedRow.Accepted row = read.accepted(i + 2);
            assertThat(row.record().timeZone()).as(zones.get(i)).isEqualTo(ZoneId.of(expected.get(zones.get(i))));
            assertThat(row.warnings()).as(zones.get(i)).isEmpty();
        }
    }

    @Test
    void atlanticStandardTimeIsHalifaxForACanadianPractice() {
        PatientListReader canadian = PatientListReader.builder().region("CA").build();

        Read read = readText(canadian, "First Name,Last Name,Phone,Provider,Time Zone\nAmy,Lee,(902) 555-0101,Dr. Chen,AST\n");

        assertThat(read.accepted(2).record().timeZone()).isEqualTo(ZoneId.of("America/Halifax"));
    }

    @Test
    void aFixedOffsetIsKeptWithAWarningThatItIgnoresDaylightSaving() {
        List<String> offsets = List.of("UTC-10", "GMT-5", "-05:00", "utc +5:30", "GMT\u22123", "Etc/GMT+10", "UTC");
        StringBuilder csv = new StringBuilder("First Name,Last Name,Phone,Provider,Time Zone\n");
        offsets.forEach(zone -> csv.append("Amy,Lee,(415) 555-0101,Dr. Chen,").append(zone).append('\n'));

        Read read = readText(READER, csv.toString());

        assertThat(read.acceptedLines()).hasSize(offsets.size());
        assertThat(read.rows()).map(r -> ((ParsedRow.Accepted) r).record().timeZone()).containsExactly(
                ZoneOffset.ofHours(-10), ZoneOffset.ofHours(-5), ZoneOffset.ofHours(-5), ZoneOffset.ofHoursMinutes(5, 30),
                ZoneOffset.ofHours(-3), ZoneOffset.ofHours(-10), ZoneOffset.UTC);
        assertThat(read.messages()).hasSize(offsets.size()).containsOnly(
                "time zone (column 'Time Zone') is a fixed offset: daylight saving is not followed");
    }

    @Test
    void anUnrecognisedZoneFallsBackToThePracticesWithAWarning() {
        Read read = readText(READER, "First Name,Last Name,Phone,Provider,Time Zone\n"
                + "Amy,Lee,(415) 555-0101,Dr. Chen,Mars/Olympus\n"
                + "Amy,Lee,(415) 555-0101,Dr. Chen,UTC-25\n"
                + "Amy,Lee,(415) 555-0101,Dr. Chen,Eastern Europe Lunch Time\n");

        assertThat(read.rows()).map(r -> ((ParsedRow.Accepted) r).record().timeZone()).containsOnlyNulls();
        assertThat(read.messages()).hasSize(3).containsOnly("time zone (column 'Time Zone') is not recognised: the practice's applies");
    }

    @Test
    void detectsAmongGivenCandidates() {
        CsvMapping mine = CsvMapping.builder().name("mine").fullName("Who").email("Mail").provider("Doc").build();
        PatientListReader reader = PatientListReader.builder().detectFrom(List.of(CsvMapping.generic(), mine)).build();

        Read read = readText(reader, "Who,Mail,Doc\nAmy Lee,amy@example.com,Dr. Chen\n");

        assertThat(read.summary().mapping()).isEqualTo("mine");
        assertThat(read.accepted(2).record().email()).isEqualTo(EmailAddress.of("amy@example.com"));
    }

    @Test
    void messagesNeverContainCellValues() throws IOException {
        List<String> phi = List.of("100234", "100239", "100240", "100241", "Sarah", "Connor", "Tom", "Jones", "Mary",
                "Poppins", "Bob", "Stone", "Eve", "Adams", "Li", "Wei", "not a phone", "12345", "0111", "0122", "7946",
                "example", "klingon", "2026-02-30", "Mars", "Olympus", "6 wk", "HYPERLINK");
        List<String> messages = new ArrayList<>(readResource(READER, "generic.csv").messages());
        messages.addAll(readResource(READER, "bad-rows.csv").messages());

        assertThat(messages).isNotEmpty().allSatisfy(message -> assertThat(phi).noneMatch(message::contains));
    }

    @Test
    void anExceptionFromTheConsumerStopsReadingAndPropagates() {
        IllegalStateException stop = new IllegalStateException("engine says stop");
        assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(
                "First Name,Last Name,Phone,Provider\nA,B,(415) 555-0101,C\nD,E,(415) 555-0102,F\n".getBytes(StandardCharsets.UTF_8)),
                row -> {
                    throw stop;
                }))
                .isSameAs(stop);
    }

    @Test
    void aFailingStreamIsReportedWithoutLosingTheCause() {
        InputStream broken = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served < 200) {
                    return "First Name,Last Name,Phone,Provider\n".charAt(served++ % 36);
                }
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> READER.read(broken, row -> { }))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the file could not be read")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void theReaderBuilderChecksItsSettings() {
        assertThatThrownBy(() -> PatientListReader.builder().region("XX"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("region 'XX'");
        assertThatThrownBy(() -> PatientListReader.builder().delimiter('"')).isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> PatientListReader.builder().maxFieldLength(10)).isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> PatientListReader.builder().mapping(CsvMapping.generic()).detectFrom(CsvMapping.profiles()))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void readsTwoHundredThousandRowsAsAStream() {
        GeneratedCsv csv = new GeneratedCsv(200_000);
        long[] servedAtFirstRow = {-1};
        int[] counts = new int[2];

        ReadSummary summary = READER.read(csv, row -> {
            if (servedAtFirstRow[0] < 0) {
                servedAtFirstRow[0] = csv.served;
            }
            counts[row instanceof ParsedRow.Accepted ? 0 : 1]++;
        });

        assertThat(summary.rows()).isEqualTo(200_000);
        assertThat(counts[0]).isEqualTo(199_800);
        assertThat(counts[1]).as("every thousandth row has a bad phone and no email").isEqualTo(200);
        assertThat(csv.served).isGreaterThan(12_000_000);
        assertThat(servedAtFirstRow[0]).as("the first row is handed over before the file is read")
                .isLessThan(TextSource.SNIFF_BYTES + 64 * 1024);
    }

    /** A large CSV made up on the fly, never held in memory or written to disk. */
    private static final class GeneratedCsv extends InputStream {
        private final int rows;
        private int nextRow;
        private byte[] current = "MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Due Date\n"
                .getBytes(StandardCharsets.US_ASCII);
        private int position;
        long served;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        private boolean advance() {
            if (position < current.length) {
                return true;
            }
            if (nextRow >= rows) {
                return false;
            }
            int i = nextRow++;
            // Mostly email: phone parsing (libphonenumber) costs ~20 µs a row and this test is about memory.
            String contact = i % 1000 == 999 ? "555,"
                    : i % 10 == 0 ? "(415) 555-01" + (i / 10 % 90 + 10) + ","
                    : ",p" + i + "@example.com";
            current = (i + ",First" + i + ",Last" + i + "," + contact + ",Dr. Chen,post-op,2026-12-0" + (1 + i % 9) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            position = 0;
            return true;
        }

        @Override
        public int read() {
            if (!advance()) {
                return -1;
            }
            served++;
            return current[position++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && advance()) {
                int chunk = Math.min(len - n, current.length - position);
                System.arraycopy(current, position, b, off + n, chunk);
                position += chunk;
                n += chunk;
            }
            served += n;
            return n == 0 ? -1 : n;
        }
    }

}
