package dev.followup.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.followup.BatchId;
import dev.followup.followup.FollowUpType;
import dev.followup.patient.EmailAddress;
import dev.followup.patient.Language;
import dev.followup.patient.Mrn;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.practice.Provider;
import dev.followup.scheduling.PreferredWindow;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestValuesTest {

    static PatientRecord sampleRecord() {
        return new PatientRecord(new Mrn("MRN-778812"), "Sarah", "Connor",
                PhoneNumber.parse("(415) 555-0132", "US"), EmailAddress.of("sarah.connor@example.com"),
                new Provider("dr-martinez", "Dr. Martinez"), FollowUpType.of("post-op"), PreferredWindow.ANY,
                Language.SPANISH, LocalDate.of(2026, 12, 3), ZoneId.of("America/Los_Angeles"));
    }

    @Test
    void patientRecordToStringShowsNoPhi() {
        String text = sampleRecord().toString();

        assertThat(text).doesNotContainIgnoringCase("sarah").doesNotContainIgnoringCase("connor")
                .doesNotContain("778812").doesNotContain("415").doesNotContain("0132")
                .doesNotContain("example.com").doesNotContain("2026").doesNotContain("12-03")
                .contains("dr-martinez").contains("post-op");
        ParsedRow.Accepted row = new ParsedRow.Accepted(2, sampleRecord(), List.of("phone is a landline: SMS skipped"));
        assertThat(row.toString()).doesNotContainIgnoringCase("sarah").doesNotContain("0132").doesNotContain("778812");
    }

    @Test
    void patientRecordNeedsFirstNameAndAContactPoint() {
        Provider provider = new Provider("p", "Dr. P");
        assertThatThrownBy(() -> new PatientRecord(null, " ", "Connor", null, EmailAddress.of("a@b.org"), provider,
                FollowUpType.GENERAL, PreferredWindow.ANY, null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("first name");
        assertThatThrownBy(() -> new PatientRecord(null, "Sarah", "Connor", null, null, provider,
                FollowUpType.GENERAL, PreferredWindow.ANY, null, null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("phone number or an email");
    }

    @Test
    void patientRecordBecomesAPatientWithTheDefaultLanguageWhenItHasNone() {
        PatientRecord record = new PatientRecord(null, "Sarah", "", null, EmailAddress.of("s@example.org"),
                new Provider("p", "Dr. P"), FollowUpType.GENERAL, PreferredWindow.ANY, null, null, null);

        Patient patient = record.toPatient(PatientId.of("pat-1"), PracticeId.of("prac-1"), Language.ENGLISH);

        assertThat(patient.language()).isEqualTo(Language.ENGLISH);
        assertThat(patient.firstName()).isEqualTo("Sarah");
        assertThat(sampleRecord().toPatient(PatientId.of("pat-2"), PracticeId.of("prac-1"), Language.ENGLISH).language())
                .isEqualTo(Language.SPANISH);
    }

    @Test
    void rowErrorValidatesLineAndReason() {
        assertThat(new RowError(3, "provider is empty")).hasToString("line 3: provider is empty");
        assertThatThrownBy(() -> new RowError(0, "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new RowError(2, " ")).isInstanceOf(InvalidInputException.class);
        assertThat(new ParsedRow.Rejected(new RowError(7, "x")).line()).isEqualTo(7);
    }

    @Test
    void importResultCountsEveryRowOnceAndSummarisesWithoutPhi() {
        ParsedRow.Accepted clean = new ParsedRow.Accepted(2, sampleRecord(), List.of());
        ParsedRow.Accepted warned = new ParsedRow.Accepted(3, sampleRecord(), List.of("a", "b"));
        ImportResult result = ImportResult.builder(BatchId.of("batch-7"))
                .addAccepted(clean).addAccepted(warned).addAlreadyKnown(warned)
                .addRejected(new RowError(5, "provider is empty"))
                .build();

        assertThat(result.rowsRead()).isEqualTo(4);
        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.alreadyKnown()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(result.warnings()).isEqualTo(4);
        assertThat(result.errors()).containsExactly(new RowError(5, "provider is empty"));
        assertThat(result.summary()).isEqualTo("Batch batch-7: 4 rows read: 2 accepted, 1 already known, 1 rejected; "
                + "4 warnings. Rejected: line 5: provider is empty. Warnings: line 3: a; line 3: b; line 3: a; line 3: b.");
        assertThat(result.summary()).doesNotContainIgnoringCase("sarah").doesNotContain("0132");
    }

    @Test
    void importResultListsTheWarningsOfUsedRowsWithTheirLines() {
        ParsedRow.Accepted landline = new ParsedRow.Accepted(4, sampleRecord(), List.of("phone in column 'Home' is a landline: SMS skipped"));
        ParsedRow.Accepted doubtful = new ParsedRow.Accepted(9, sampleRecord(), List.of(
                "due date (column 'Recall') is not a date in the formats [yyyy-MM-dd]: ignored",
                "time zone (column 'TZ') is not recognised: the practice's applies"));
        ImportResult result = ImportResult.builder(BatchId.of("b")).addAccepted(landline).addAlreadyKnown(doubtful).build();

        assertThat(result.warnings()).isEqualTo(3);
        assertThat(result.rowWarnings()).containsExactly(
                new RowWarning(4, "phone in column 'Home' is a landline: SMS skipped"),
                new RowWarning(9, "due date (column 'Recall') is not a date in the formats [yyyy-MM-dd]: ignored"),
                new RowWarning(9, "time zone (column 'TZ') is not recognised: the practice's applies"));
        assertThat(result.warningsNotListed()).isZero();
        assertThat(result.summary()).endsWith("3 warnings. Warnings: line 4: phone in column 'Home' is a landline: SMS skipped; "
                + "line 9: due date (column 'Recall') is not a date in the formats [yyyy-MM-dd]: ignored; "
                + "line 9: time zone (column 'TZ') is not recognised: the practice's applies.");
        assertThat(result.summary()).doesNotContainIgnoringCase("sarah").doesNotContain("0132").doesNotContain("2026");
    }

    @Test
    void importResultKeepsOnlyTheFirstWarningsButCountsAll() {
        ImportResult.Builder builder = ImportResult.builder(BatchId.of("b")).maxListedWarnings(3);
        for (int line = 2; line < 12; line++) {
            builder.addAccepted(new ParsedRow.Accepted(line, sampleRecord(), List.of("phone in column 'Phone' is a landline: SMS skipped")));
        }
        ImportResult result = builder.build();

        assertThat(result.warnings()).isEqualTo(10);
        assertThat(result.rowWarnings()).extracting(RowWarning::line).containsExactly(2, 3, 4);
        assertThat(result.warningsNotListed()).isEqualTo(7);
        assertThat(ImportResult.builder(BatchId.of("b")).build().rowWarnings()).isEmpty();
        assertThatThrownBy(() -> ImportResult.builder(BatchId.of("b")).maxListedWarnings(-1))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void aHugeListOfWarnedRowsKeepsTheDefaultNumberOfWarnings() {
        ImportResult.Builder builder = ImportResult.builder(BatchId.of("b"));
        List<String> two = List.of("language (column 'Language') is not recognised: English applies",
                "phone in column 'Phone' is a landline: SMS skipped");
        for (int line = 2; line < 100_002; line++) {
            builder.addAccepted(new ParsedRow.Accepted(line, sampleRecord(), two));
        }
        ImportResult result = builder.build();

        assertThat(result.warnings()).isEqualTo(200_000);
        assertThat(result.rowWarnings()).hasSize(ImportResult.DEFAULT_MAX_LISTED_WARNINGS);
        assertThat(result.summary()).endsWith("; and 199995 more.");
    }

    @Test
    void rowWarningValidatesLineAndReason() {
        assertThat(new RowWarning(3, "phone in column 'Phone' is a landline: SMS skipped"))
                .hasToString("line 3: phone in column 'Phone' is a landline: SMS skipped");
        assertThatThrownBy(() -> new RowWarning(0, "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new RowWarning(2, " ")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void importResultKeepsOnlyTheFirstErrorsButCountsAll() {
        ImportResult.Builder builder = ImportResult.builder(BatchId.of("b")).maxListedErrors(3);
        for (int line = 2; line < 12; line++) {
            builder.addRejected(new RowError(line, "provider is empty"));
        }
        ImportResult result = builder.build();

        assertThat(result.rejected()).isEqualTo(10);
        assertThat(result.errors()).hasSize(3);
        assertThat(result.errorsNotListed()).isEqualTo(7);
        assertThat(result.summary()).endsWith("line 4: provider is empty; and 7 more.");
    }

    @Test
    void importResultCanBeRestoredFromItsCounts() {
        ImportResult result = ImportResult.of(BatchId.of("b"), 5, 2, 1, 3, List.of(new RowError(4, "provider is empty")));

        assertThat(result.rowsRead()).isEqualTo(8);
        assertThat(result.errorsNotListed()).isZero();
        assertThatThrownBy(() -> ImportResult.of(BatchId.of("b"), -1, 0, 0, 0, List.of()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ImportResult.of(BatchId.of("b"), 0, 0, 0, 0, List.of(new RowError(2, "x"))))
                .isInstanceOf(InvalidInputException.class);
        ImportResult withWarnings = ImportResult.of(BatchId.of("b"), 5, 2, 1, 3, List.of(), List.of(new RowWarning(6, "x")));
        assertThat(withWarnings.rowWarnings()).containsExactly(new RowWarning(6, "x"));
        assertThat(withWarnings.warningsNotListed()).isEqualTo(2);
        assertThatThrownBy(() -> ImportResult.of(BatchId.of("b"), 1, 0, 0, 0, List.of(), List.of(new RowWarning(2, "x"))))
                .isInstanceOf(InvalidInputException.class);
    }
}
