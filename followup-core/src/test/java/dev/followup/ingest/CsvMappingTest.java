package dev.followup.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvMappingTest {
    static final List<String> GENERIC_HEADER = List.of("MRN", "First Name", "Last Name", "Phone", "Email", "Provider",
            "Follow-Up Type", "Preferred Window", "Language", "Due Date", "Time Zone");
    static final List<String> EPIC_HEADER = List.of("Patient MRN", "Patient Name", "Mobile Phone", "Home Phone", "E-mail",
            "Referring Provider", "Recall Type", "Appt Preference", "Preferred Language", "Recall Due");
    static final List<String> ATHENA_HEADER = List.of("patientid", "patient firstname", "patient lastname",
            "patient mobile no", "patient homephone", "patient email", "provider name", "recall reason",
            "preferred time", "language", "recall date");

    @Test
    void detectsEachBuiltInProfileFromItsHeader() {
        assertThat(CsvMapping.detect(GENERIC_HEADER)).isSameAs(CsvMapping.generic());
        assertThat(CsvMapping.detect(EPIC_HEADER)).isSameAs(CsvMapping.epicStyle());
        assertThat(CsvMapping.detect(ATHENA_HEADER)).isSameAs(CsvMapping.athenaStyle());
        assertThat(CsvMapping.profiles()).extracting(CsvMapping::name).containsExactly("generic", "epic-style", "athena-style");
    }

    @Test
    void headerMatchingIgnoresCaseSurroundingSpaceAndUnderscores() {
        List<String> shouty = List.of(" PATIENT_MRN ", "patient   name", "MOBILE_PHONE", "referring_provider");

        assertThat(CsvMapping.detect(shouty)).isSameAs(CsvMapping.epicStyle());
        assertThat(CsvMapping.epicStyle().missingColumns(shouty)).isEmpty();
    }

    @Test
    void detectionNeedsOnlyTheRequiredColumns() {
        assertThat(CsvMapping.detect(List.of("First Name", "Last Name", "Email", "Provider"))).isSameAs(CsvMapping.generic());
        assertThat(CsvMapping.detect(List.of("Patient Name", "Home Phone", "Referring Provider"))).isSameAs(CsvMapping.epicStyle());
    }

    @Test
    void aHeaderThatFitsNoProfileIsRejectedListingWhatEachMisses() {
        assertThatThrownBy(() -> CsvMapping.detect(List.of("First Name", "Surname", "Phone", "Doctor")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("matches no known export layout")
                .hasMessageContaining("generic misses Last Name, Provider")
                .hasMessageContaining("epic-style misses Patient Name, Referring Provider, one of 'Mobile Phone', 'Home Phone', 'E-mail'")
                .hasMessageContaining("athena-style misses patient firstname")
                .hasMessageContaining("CsvMapping.builder()");
    }

    @Test
    void theErrorNeverEchoesTheFileHeaderCells() {
        // A file without a header row puts a patient where the header should be.
        assertThatThrownBy(() -> CsvMapping.detect(List.of("884213", "Connor", "Sarah", "4155550132")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Connor").doesNotContain("4155550132"));
    }

    @Test
    void aCustomMappingIsDetectedAmongCandidates() {
        CsvMapping mine = CsvMapping.builder().name("clinic-x")
                .fullName("Pt").phone("Cell", "Home").provider("Doc").dueDate("Recall").dueDateFormats("d/M/yyyy")
                .build();

        assertThat(CsvMapping.detect(List.of("Pt", "Cell", "Doc", "Recall"), List.of(CsvMapping.generic(), mine))).isSameAs(mine);
        assertThat(mine.name()).isEqualTo("clinic-x");
        assertThat(mine.dueDateFormats()).containsExactly("d/M/yyyy");
        assertThat(mine.toString()).contains("clinic-x").contains("phone=[Cell, Home]");
    }

    @Test
    void prefersTheCandidateThatFindsMostOfItsColumns() {
        CsvMapping narrow = CsvMapping.builder().name("narrow").firstName("First Name").lastName("Last Name")
                .email("Email").provider("Provider").build();

        assertThat(CsvMapping.detect(GENERIC_HEADER, List.of(narrow, CsvMapping.generic()))).isSameAs(CsvMapping.generic());
        assertThat(CsvMapping.detect(List.of("First Name", "Last Name", "Email", "Provider"), List.of(narrow, CsvMapping.generic())))
                .isSameAs(narrow);
    }

    @Test
    void listsMissingRequiredColumns() {
        assertThat(CsvMapping.generic().missingColumns(List.of("First Name", "Phone"))).containsExactly("Last Name", "Provider");
        assertThat(CsvMapping.generic().missingColumns(List.of("First Name", "Last Name", "Provider")))
                .containsExactly("one of 'Mobile Phone', 'Cell Phone', 'Phone', 'Home Phone', 'Email'");
    }

    @Test
    void bindingFailsOnAMappedColumnThatAppearsTwice() {
        List<String> header = List.of("First Name", "Last Name", "Email", "Provider", "email ");

        assertThatThrownBy(() -> CsvMapping.generic().bind(header, "US"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the header row has the column 'Email' more than once");
    }

    @Test
    void bindingReportsAbsentOptionalColumns() {
        BoundMapping bound = CsvMapping.generic().bind(List.of("First Name", "Last Name", "Phone", "Provider"), "US");

        assertThat(bound.absentColumns()).contains("MRN", "Email", "Time Zone", "Mobile Phone").doesNotContain("Phone");
    }

    @Test
    void settingAColumnTwiceIsRejectedAtOnce() {
        CsvMapping.Builder builder = CsvMapping.builder().phone("Mobile");

        assertThatThrownBy(() -> builder.phone("Cell Phone"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("column for 'phone' was already set to 'Mobile'");
        assertThatThrownBy(() -> CsvMapping.builder().email("E-mail").email("Email"))
                .hasMessage("column for 'email' was already set to 'E-mail'");
    }

    @Test
    void oneColumnCannotFeedTwoFields() {
        assertThatThrownBy(() -> CsvMapping.builder().phone("Contact").email("contact"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("column 'contact' is already mapped to 'phone'");
        assertThatThrownBy(() -> CsvMapping.builder().phone("Mobile", "Home", "mobile"))
                .hasMessage("column 'mobile' is already mapped to 'phone'");
    }

    @Test
    void fullNameExcludesFirstAndLastName() {
        assertThatThrownBy(() -> CsvMapping.builder().fullName("Name").firstName("First"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("set either 'fullName' or 'firstName' and 'lastName', not both");
        assertThatThrownBy(() -> CsvMapping.builder().lastName("Last").fullName("Name"))
                .hasMessage("set either 'fullName' or 'firstName' and 'lastName', not both");
    }

    @Test
    void blankColumnNamesAreRejected() {
        assertThatThrownBy(() -> CsvMapping.builder().provider("  "))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("column for 'provider' must not be blank");
        assertThatThrownBy(() -> CsvMapping.builder().name(" ")).hasMessage("mapping name must not be blank");
    }

    @Test
    void buildListsEverythingAnIncompleteMappingLacks() {
        assertThatThrownBy(() -> CsvMapping.builder().name("half").mrn("MRN").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("mapping 'half' needs a column for 'fullName', or for 'firstName' and 'lastName'; "
                        + "needs a column for 'provider'; needs a column for 'phone' or 'email'");
        assertThatThrownBy(() -> CsvMapping.builder().firstName("First").email("Email").provider("Doc").build())
                .hasMessage("mapping 'custom' needs a column for 'lastName' as well");
        assertThatThrownBy(() -> CsvMapping.builder().fullName("N").email("E").provider("P").dueDateFormats("d/M/yyyy").build())
                .hasMessage("mapping 'custom' has due date formats but no column for 'dueDate'");
    }

    @Test
    void dueDateFormatsAreCheckedAtOnce() {
        assertThatThrownBy(() -> CsvMapping.builder().dueDateFormats("yyyy-MM-dd", "bogus {"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("due date format 'bogus {' is not a valid date pattern");
        assertThatThrownBy(() -> CsvMapping.builder().dueDateFormats())
                .hasMessage("due date formats need at least one pattern");
        assertThat(CsvMapping.generic().dueDateFormats()).isEqualTo(CsvMapping.DEFAULT_DATE_FORMATS);
    }
}
