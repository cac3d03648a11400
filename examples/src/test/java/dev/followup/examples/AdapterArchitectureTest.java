package dev.followup.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.followup.FollowUpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §12 across the modules: this module sees all of them (core, the adapters, the starter),
 * so the rules that concern more than core live here.
 */
class AdapterArchitectureTest {
    private static JavaClasses adapters;

    @BeforeAll
    static void importAdapters() {
        adapters = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.followup.jdbc", "dev.followup.twilio", "dev.followup.email", "dev.followup.spring");
    }

    @Test
    void adaptersAndTheStarterNeverUseCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.followup.internal..").check(adapters);
    }

    @Test
    void onlyTheJdbcModuleUsesItsOwnInternals() {
        noClasses().that().resideOutsideOfPackage("dev.followup.jdbc..").should().dependOnClassesThat()
                .resideInAPackage("dev.followup.jdbc.internal..").check(adapters);
    }

    @Test
    void everyExceptionTheAdaptersDefineExtendsTheRoot() {
        classes().that().areAssignableTo(RuntimeException.class).should().beAssignableTo(FollowUpException.class).check(adapters);
    }

    @Test
    void adaptersReadTimeOnlyFromTheInjectedClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now").orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.LocalDateTime.class, "now").orShould().callMethod(java.time.LocalDate.class, "now")
                .check(adapters);
    }
}
