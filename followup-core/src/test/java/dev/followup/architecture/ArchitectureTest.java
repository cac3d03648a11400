package dev.followup.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.followup.FollowUpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The architecture rules of DESIGN.md §12 that concern followup-core. */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.followup");
    }

    @Test
    void coreDependsOnNoFrameworkDatabaseOrProviderClasses() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.jdbi..", "java.sql..",
                "javax.sql..", "com.twilio..", "jakarta.mail..", "javax.mail..", "org.h2..", "org.postgresql..", "org.flywaydb..")
                .check(core);
    }

    @Test
    void publicMethodsNeverReturnInternalTypes() {
        methods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("dev.followup.internal..")
                .should().haveRawReturnType(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.followup.internal..")))
                .check(core);
    }

    @Test
    void theSpiPackageHoldsOnlyInterfacesAndTheRecordsTheyExchange() {
        classes().that().resideInAPackage("dev.followup.spi").and().areTopLevelClasses()
                .should().beInterfaces().orShould().beRecords().check(core);
    }

    @Test
    void timeComesOnlyFromTheInjectedClock() {
        noClasses().should().callMethodWhere(nowCall()).check(core);
    }

    static DescribedPredicate<JavaMethodCall> nowCall() {
        return new DescribedPredicate<>("reads the system time (Instant.now(), LocalDate.now(), System.currentTimeMillis(), ...)") {
            @Override
            public boolean test(JavaMethodCall call) {
                String owner = call.getTargetOwner().getName();
                String name = call.getName();
                return (name.equals("now") && owner.startsWith("java.time."))
                        || (owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime")));
            }
        };
    }

    @Test
    void everyExceptionTheLibraryThrowsExtendsTheRoot() {
        noClasses().that().doNotHaveFullyQualifiedName(FollowUpException.class.getName())
                .should().callConstructorWhere(foreignRuntimeException()).check(core);
        classes().that().areAssignableTo(RuntimeException.class).should().beAssignableTo(FollowUpException.class).check(core);
    }

    static DescribedPredicate<JavaConstructorCall> foreignRuntimeException() {
        return new DescribedPredicate<>("constructs a RuntimeException that is not a FollowUpException") {
            @Override
            public boolean test(JavaConstructorCall call) {
                JavaClass owner = call.getTargetOwner();
                return owner.isAssignableTo(RuntimeException.class) && !owner.isAssignableTo(FollowUpException.class);
            }
        };
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.followup.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void featurePackagesDoNotReachIntoInternals() {
        noClasses().that().resideOutsideOfPackage("dev.followup.internal..").and().resideOutsideOfPackage("dev.followup")
                .should().dependOnClassesThat().resideInAPackage("dev.followup.internal..").check(core);
    }

}
