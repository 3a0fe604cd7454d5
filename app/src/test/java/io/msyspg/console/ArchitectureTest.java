package io.msyspg.console;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering rules of docs/ARCHITECTURE.md, checked on every build: core knows nothing of JavaFX, ui
 * knows nothing of JDBC or processes, the CLI never touches the GUI, raw memory access stays in one class.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.msyspg.console");
    }

    @Test
    void coreKnowsNothingOfJavaFx() {
        ArchRule rule = noClasses().that().resideInAPackage("io.msyspg.console.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..",
                        "org.kordamp.ikonli..", "io.msyspg.console.ui..", "io.msyspg.console.cli..")
                .because("core is used headless by the CLI and must run without a toolkit");
        rule.check(classes);
    }

    @Test
    void uiKnowsNothingOfJdbcOrProcesses() {
        ArchRule rule = noClasses().that().resideInAPackage("io.msyspg.console.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer.hikari..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Process.class.getName())
                .because("the ui calls core services, which own SQL and processes");
        rule.check(classes);
    }

    @Test
    void cliNeverTouchesTheGui() {
        ArchRule rule = noClasses().that().resideInAPackage("io.msyspg.console.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "io.msyspg.console.ui..")
                .because("subcommands run headless, without a display");
        rule.check(classes);
    }

    @Test
    void rawMemoryStaysInOneClass() {
        ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName("io.msyspg.console.core.logs.NativeMemory")
                .should().dependOnClassesThat().resideInAnyPackage("sun.misc..", "jdk.internal..")
                .because("unchecked memory access is confined to core.logs.NativeMemory, whose callers prove their bounds");
        rule.check(classes);
    }
}
