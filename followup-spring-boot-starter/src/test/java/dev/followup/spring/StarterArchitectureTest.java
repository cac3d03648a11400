package dev.followup.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.followup.FollowUpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The design's rules, for the starter. */
class StarterArchitectureTest {
    private static JavaClasses starter;

    @BeforeAll
    static void importStarter() {
        starter = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.followup.spring");
    }

    @Test
    void theStarterNeverUsesTheInternalsOfCoreOrTheAdapters() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.followup.internal..", "dev.followup.jdbc.internal..")
                .check(starter);
    }

    @Test
    void publicMethodsOfThePublicPackageNeverExposeInternalTypes() {
        methods().that().arePublic().and().areDeclaredInClassesThat().resideInAPackage("dev.followup.spring")
                .should().haveRawReturnType(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.followup.spring.internal..")))
                .check(starter);
    }

    @Test
    void noClockReadsOutsideTheInjectedClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now").orShould().callMethod(System.class, "currentTimeMillis")
                .check(starter);
    }

    @Test
    void exceptionsTheStarterDefinesExtendTheRoot() {
        classes().that().areAssignableTo(RuntimeException.class).should().beAssignableTo(FollowUpException.class).allowEmptyShould(true)
                .check(starter);
    }

    @Test
    void autoConfigurationsAreFinal() {
        classes().that().haveSimpleNameEndingWith("AutoConfiguration").should().haveModifier(JavaModifier.FINAL).check(starter);
    }
}
