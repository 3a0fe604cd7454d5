package io.msyspg.console.core.stats;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules for this feature's packages: no JavaFX in core.stats, no JDBC or processes in ui.stats. */
class StatsArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.msyspg.console.core.stats", "io.msyspg.console.ui.stats", "io.msyspg.console.cli");

    @Test
    void coreHasNoJavaFx() {
        noClasses().that().resideInAPackage("io.msyspg.console.core.stats..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(CLASSES);
    }

    @Test
    void uiHasNoJdbcNorProcesses() {
        noClasses().that().resideInAPackage("io.msyspg.console.ui.stats..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.postgresql..", "com.zaxxer..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .check(CLASSES);
    }
}
