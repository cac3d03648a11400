package dev.followup.engine;

import static dev.followup.engine.EngineFixture.PRACTICE_ID;
import static dev.followup.engine.EngineFixture.chicago;
import static dev.followup.engine.EngineFixture.local;
import static dev.followup.engine.EngineFixture.patient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import dev.followup.NotFoundException;
import dev.followup.audit.AuditType;
import dev.followup.engine.EngineFixture.Row;
import dev.followup.engine.EngineFixture.Text;
import dev.followup.followup.FollowUp;
import dev.followup.followup.FollowUpState;
import dev.followup.ingest.ImportResult;
import dev.followup.ingest.RowError;
import dev.followup.ingest.RowWarning;
import dev.followup.patient.Patient;
import dev.followup.patient.PatientId;
import dev.followup.practice.PracticeId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Patient lists through the engine: the three export profiles, re-imports, and bad rows that do not stop good ones. */
class IngestionEngineTest {

    private static byte[] resource(String name) {
        try (InputStream in = IngestionEngineTest.class.getResourceAsStream("/ingest/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImportResult ingest(EngineFixture fx, String name) {
        return fx.engine.ingest(PRACTICE_ID, new ByteArrayInputStream(resource(name)), null);
    }

    private static Row mrn(String value) {
        return patient(0).mrn(value);
    }

    /** Nothing ingested is lost: after a week every follow-up was contacted and ended with staff. */
    private static void assertEveryoneReached(EngineFixture fx, int followUps) {
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.followUps()).hasSize(followUps).allSatisfy(f -> {
            assertThat(f.firstContactAt()).isNotNull();
            assertThat(f.state()).isEqualTo(FollowUpState.HANDED_TO_STAFF);
        });
    }

    @Test
    void theGenericProfile() {
        EngineFixture fx = EngineFixture.create();

        ImportResult result = ingest(fx, "generic.csv");

        assertThat(result.accepted()).isEqualTo(7);
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(result.errors()).extracting(RowError::line).containsExactly(10, 11);
        assertThat(result.errors().get(1).reason()).isEqualTo("provider (column 'Provider') is empty");
        assertThat(result.rowWarnings()).containsExactly(
                new RowWarning(7, "phone in column 'Phone' is a landline: SMS skipped"),
                new RowWarning(9, "phone in column 'Phone' is not a valid number: email only"),
                new RowWarning(12, "language (column 'Language') is not recognised: English applies"),
                new RowWarning(12, "due date (column 'Due Date') is not a date in the formats "
                        + "[yyyy-MM-dd, M/d/yyyy, MM/dd/yyyy, d-MMM-yyyy]: ignored"),
                new RowWarning(12, "time zone (column 'Time Zone') is not recognised: the practice's applies"));
        assertThat(result.summary()).contains("5 warnings.", "is empty. Warnings: line 7: phone in column 'Phone' is a landline");
        assertThat(fx.followUps()).hasSize(7);

        // Sarah lives in Los Angeles: texted at 10:00 her time. Ana has no phone: emailed. Li has a landline: emailed.
        fx.runUntil(chicago(2026, 4, 13, 13, 0));
        Patient sarah = fx.patient(mrn("100234"));
        assertThat(sarah.timeZone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
        assertThat(fx.textsTo(sarah.phone().e164())).extracting(Text::at)
                .containsExactly(local(ZoneId.of("America/Los_Angeles"), 2026, 4, 13, 10, 0));
        assertThat(fx.mails).extracting(EngineFixture.Mail::to).contains("ana.delacruz@example.org", "li.wei@example.com");
        assertThat(fx.textsTo(fx.patient(mrn("100237")).phone().e164())).as("landline").isEmpty();
        assertEveryoneReached(fx, 7);
    }

    @Test
    void theEpicStyleProfile() {
        EngineFixture fx = EngineFixture.create();

        ImportResult result = ingest(fx, "epic-style.csv");

        assertThat(result.accepted()).isEqualTo(3);
        assertThat(result.errors()).containsExactly(new RowError(5, "provider (column 'Referring Provider') is empty"));
        Patient sarah = fx.patient(mrn("E1001"));
        assertThat(sarah.firstName()).isEqualTo("Sarah");
        assertThat(sarah.lastName()).isEqualTo("Connor");
        assertThat(fx.followUpOf(mrn("E1001")).type().code()).isEqualTo("post-op-check");
        assertEveryoneReached(fx, 3);
    }

    @Test
    void theAthenaStyleProfile() {
        EngineFixture fx = EngineFixture.create();

        ImportResult result = ingest(fx, "athena-style.csv");

        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.errors()).containsExactly(new RowError(4, "neither a phone number nor an email address is given"));
        assertThat(fx.patient(mrn("55502")).firstName()).isEqualTo("José");
        assertEveryoneReached(fx, 2);
    }

    @Test
    void aWindows1252ExportKeepsItsAccents() {
        EngineFixture fx = EngineFixture.create();

        assertThat(ingest(fx, "windows-1252.csv").accepted()).isEqualTo(2);

        assertThat(fx.patient(mrn("200002")).lastName()).isEqualTo("Bérubé");
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.textsTo(fx.patient(mrn("200001")).phone().e164())).singleElement()
                .satisfies(t -> assertThat(t.body()).startsWith("Hi José,"));
    }

    @Test
    void reImportingTheSameOrAnOverlappingListAddsNothingTwice() {
        EngineFixture fx = EngineFixture.create();
        ingest(fx, "generic.csv");
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        ImportResult again = ingest(fx, "generic.csv");

        assertThat(again.accepted()).isZero();
        assertThat(again.alreadyKnown()).isEqualTo(7);
        assertThat(again.rejected()).isEqualTo(2);
        assertThat(fx.memoryStore.followUpCount()).isEqualTo(7);

        Row a = patient(1);
        Row b = patient(2);
        fx.ingestNew(a);
        ImportResult overlapping = fx.ingest(a, b);
        assertThat(overlapping.accepted()).isEqualTo(1);
        assertThat(overlapping.alreadyKnown()).isEqualTo(1);
        fx.runUntil(chicago(2026, 4, 13, 13, 0));
        assertThat(fx.textsTo(a)).hasSize(1);
        assertThat(fx.textsTo(b)).hasSize(1);
        assertThat(fx.texts).as("one invitation per number").extracting(Text::to).doesNotHaveDuplicates().hasSize(4 + 2);
    }

    /**
     * Without an MRN, a patient is known by number and name: a father and son of one name who share
     * a family email address, with a number each, are two patients, each texted at his own number.
     */
    @Test
    void twoPeopleOfOneNameSharingAnEmailAddressWithANumberEachAreTwoPatients() {
        EngineFixture fx = EngineFixture.create();
        Row father = patient(43).mrn("").name("John", "Smith").email("smiths@example.com");
        Row son = patient(44).mrn("").name("John", "Smith").email("smiths@example.com").type("Lab Review");

        assertThat(fx.ingest(father, son).accepted()).isEqualTo(2);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));

        assertThat(fx.followUps()).extracting(FollowUp::patientId).doesNotHaveDuplicates();
        assertThat(fx.textsTo(father)).hasSize(1);
        assertThat(fx.textsTo(son)).hasSize(1);
    }

    /**
     * Changed patients are saved in id order, whatever the list's: the order in which a text's
     * recipient lock takes a family's rows on H2, so that an import and a text never wait on each
     * other in a cycle.
     */
    @Test
    void changedPatientsAreSavedInIdOrder() {
        List<List<PatientId>> saved = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        EngineFixture fx = EngineFixture.builder().storeWrapper(EngineFixture.beforeEachCall((method, args) -> {
            if (method.getName().equals("savePatients")) {
                @SuppressWarnings("unchecked")
                List<Patient> patients = (List<Patient>) args[0];
                saved.add(patients.stream().map(Patient::id).toList());
            }
        })).build();
        fx.ingestNew(patient(46), patient(47));
        saved.clear();

        fx.ingest(patient(47).phone("+13125550981"), patient(46).phone("+13125550980"));

        List<PatientId> ids = saved.stream().filter(list -> !list.isEmpty()).findFirst().orElseThrow();
        assertThat(ids).hasSize(2).isSortedAccordingTo(java.util.Comparator.comparing(PatientId::value));
    }

    @Test
    void aClosedNeedIsNotReopenedByAReImport() {
        EngineFixture fx = EngineFixture.create();
        Row row = patient(3);
        fx.ingestNew(row);
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        fx.reply(row, "no thanks");

        ImportResult again = fx.ingest(row);

        assertThat(again.alreadyKnown()).isEqualTo(1);
        assertThat(fx.followUpsOf(row)).extracting(FollowUp::state).containsExactly(FollowUpState.DECLINED);
        fx.runFor(Duration.ofDays(7));
        assertThat(fx.textsTo(row)).hasSize(2);
    }

    @Test
    void rejectedRowsAreReportedWithTheirLinesAndGoodRowsGoOn() {
        EngineFixture fx = EngineFixture.create();

        ImportResult result = ingest(fx, "bad-rows.csv");

        assertThat(result.accepted()).isEqualTo(4);
        assertThat(result.errors()).containsExactly(
                new RowError(5, "row has 6 columns but the header has 7"),
                new RowError(7, "row has 8 columns but the header has 7"),
                new RowError(9, "column 2 ('First Name') has characters after its closing quote"));
        fx.runUntil(chicago(2026, 4, 13, 11, 0));
        assertThat(fx.texts).hasSize(4);
        assertThat(fx.auditEvents()).filteredOn(e -> e.type() == AuditType.BATCH_INGESTED).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("accepted", "4").containsEntry("rejected", "3"));
    }

    /**
     * A row whose due date passed before the import (00:30 on Tuesday 14 April in Chicago) would
     * make a follow-up that closes as expired at its first step, nobody contacted: it is refused with
     * its line. Whether it passed is judged in the patient's zone: in Honolulu it is still Monday.
     */
    @Test
    void aRowWhoseDueDateHasPassedIsRefusedWithItsLineNotCountedIn() {
        EngineFixture fx = EngineFixture.builder().start(chicago(2026, 4, 14, 0, 30)).build();

        ImportResult result = fx.ingest(patient(31).due("2026-04-01"), patient(32).due("2026-04-14"),
                patient(33).due("2026-04-13").zone("Pacific/Honolulu"), patient(34).due("2026-04-13"));

        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.errors()).containsExactly(new RowError(2, "due date has passed: no follow-up created, nobody would be contacted"),
                new RowError(5, "due date has passed: no follow-up created, nobody would be contacted"));
        assertThat(fx.followUps()).hasSize(2);
    }

    @Test
    void aFileOnDiskIsIngestedAndAMissingOneIsAClearError(@TempDir Path dir) throws IOException {
        EngineFixture fx = EngineFixture.create();
        Path file = dir.resolve("list.csv");
        Files.write(file, EngineFixture.csv(List.of(patient(4), patient(5))).getBytes(StandardCharsets.UTF_8));

        assertThat(fx.engine.ingest(PRACTICE_ID, file).accepted()).isEqualTo(2);
        assertThatThrownBy(() -> fx.engine.ingest(PRACTICE_ID, dir.resolve("missing.csv")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> fx.engine.ingest(PracticeId.of("nowhere"), file)).isInstanceOf(NotFoundException.class);
    }
}
