package dev.streamledger.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Services depend on the contract, never on each other; the contract depends on no service;
 * packages have no cycles; the domain rules are plain Java.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.streamledger");

  private static final String COMMAND = "dev.streamledger.command..";
  private static final String PROJECTOR = "dev.streamledger.projector..";
  private static final String QUERY = "dev.streamledger.query..";
  private static final String SQL_SINK = "dev.streamledger.sqlsink..";

  @Test
  void commandServiceShouldNotDependOnOtherServices() {
    noClasses().that().resideInAPackage(COMMAND).should().dependOnClassesThat().resideInAnyPackage(PROJECTOR, QUERY)
        .check(CLASSES);
  }

  @Test
  void projectorShouldNotDependOnOtherServices() {
    noClasses().that().resideInAPackage(PROJECTOR).should().dependOnClassesThat().resideInAnyPackage(COMMAND, QUERY)
        .check(CLASSES);
  }

  @Test
  void queryServiceShouldNotDependOnOtherServices() {
    noClasses().that().resideInAPackage(QUERY).should().dependOnClassesThat().resideInAnyPackage(COMMAND, PROJECTOR)
        .check(CLASSES);
  }

  @Test
  void contractShouldDependOnNoService() {
    noClasses().that().resideInAPackage("dev.streamledger.contract..")
        .should().dependOnClassesThat().resideInAnyPackage(COMMAND, PROJECTOR, QUERY, SQL_SINK)
        .check(CLASSES);
  }

  /** The connector runs inside a Kafka Connect worker: the contract's events and seals, and no Spring. */
  @Test
  void sqlSinkShouldDependOnNoServiceAndNoSpring() {
    noClasses().that().resideInAPackage(SQL_SINK)
        .should().dependOnClassesThat().resideInAnyPackage(COMMAND, PROJECTOR, QUERY, "org.springframework..")
        .check(CLASSES);
  }

  @Test
  void serviceModulesShouldDeclareNoOtherServiceModule() throws java.io.IOException {
    java.nio.file.Path root = dev.streamledger.testsupport.Repository.root();
    java.util.List<String> services = java.util.List.of("command-service", "projector", "query-service", "sql-sink");
    for (String service : services) {
      String pom = java.nio.file.Files.readString(root.resolve(service).resolve("pom.xml"));
      org.assertj.core.api.Assertions.assertThat(pom).as(service + "/pom.xml").contains("<artifactId>contract</artifactId>");
      for (String other : services) {
        if (!other.equals(service)) {
          org.assertj.core.api.Assertions.assertThat(pom).as(service + "/pom.xml")
              .doesNotContain("<artifactId>" + other + "</artifactId>");
        }
      }
    }
  }

  /**
   * Within every module, packages depend on each other one way: a feature package (a
   * projector's {@code account}, a query service's {@code view}) uses the shared plumbing
   * ({@code system}, {@code store}), never the reverse. Each module's root package, which wires
   * them together, is left out.
   */
  @Test
  void packagesShouldBeFreeOfCycles() {
    slices().matching("dev.streamledger.(*).(*)..").namingSlices("$1.$2").should().beFreeOfCycles().check(CLASSES);
  }

  /**
   * The rules that decide — a balance, a name, a transfer's stage — and the records they decide
   * about are plain Java: no Spring, no Kafka, so they read and test as functions.
   */
  @Test
  void domainRulesShouldBeFreeOfSpringAndKafka() {
    noClasses().that().haveSimpleNameEndingWith("Rules").or().haveSimpleNameEndingWith("State")
        .or().resideInAnyPackage("dev.streamledger.contract.account..", "dev.streamledger.contract.user..",
            "dev.streamledger.contract.transfer..", "dev.streamledger.contract.outcome..",
            "dev.streamledger.contract.consistency..", "dev.streamledger.contract.time..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..")
        .check(CLASSES);
  }

  @Test
  void commandsEventsAndOutcomesShouldBeFreeOfSpring() {
    noClasses().that().resideInAnyPackage("dev.streamledger.contract.user..", "dev.streamledger.contract.outcome..",
            "dev.streamledger.contract.topic..")
        .should().dependOnClassesThat().resideInAPackage("org.springframework..")
        .check(CLASSES);
  }
}
