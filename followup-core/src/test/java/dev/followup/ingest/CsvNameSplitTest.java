package dev.followup.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@link PersonName} splits the full names EHRs export. */
class CsvNameSplitTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Sarah Connor                 | Sarah  | Connor
            Connor, Sarah                | Sarah  | Connor
            CONNOR,SARAH J               | Sarah  | Connor
            Connor, Sarah Jane           | Sarah  | Connor
            Sarah J. Connor              | Sarah  | Connor
            John Smith Jr.               | John   | Smith Jr.
            John Smith, Jr.              | John   | Smith Jr.
            Smith, John, Jr              | John   | Smith Jr.
            Smith Jr., John              | John   | Smith Jr.
            SMITH III, JOHN A            | John   | Smith III
            Dr. Maria Martinez           | Maria  | Martinez
            Mrs Ann O'Brien              | Ann    | O'Brien
            O'BRIEN, MARY-KATE           | Mary-Kate | O'Brien
            Maria Luisa de la Cruz       | Maria  | de la Cruz
            van der Berg, Jan            | Jan    | van der Berg
            Cher                         | Cher   | ''
            '  José   Muñoz  '           | José   | Muñoz
            'SMITH, John'                | John   | Smith
            McDONALD, ronald             | Ronald | McDONALD
            """)
    void splitsFullNames(String full, String first, String last) {
        assertThat(PersonName.fromFull(full)).isEqualTo(new PersonName(first, last));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SARAH  | CONNOR    | Sarah    | Connor
            Mary Ann | Smith-Jones | Mary Ann | Smith-Jones
            john   | smith iii | John     | Smith III
            ' Zoë ' | ''       | Zoë      | ''
            """)
    void takesSeparateColumnsAsTheyAreApartFromCase(String first, String last, String expectedFirst, String expectedLast) {
        assertThat(PersonName.of(first, last)).isEqualTo(new PersonName(expectedFirst, expectedLast));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'Smith,'
            ','
            """)
    void aNameWithoutGivenNameHasAnEmptyFirstName(String full) {
        assertThat(PersonName.fromFull(full).first()).isEmpty();
    }
}
