package dev.streamledger.system.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of test classes that share one deployment of all three services for all their tests:
 * a projector, a query service and a command service, in-process on the shared broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FullStack {

  protected final Services services = new Services();
  /** Base URLs of the command service, the query service and the projector (its actuator). */
  protected String command;
  protected String query;
  protected String projector;

  @BeforeAll
  void startStack() {
    projector = Services.url(services.startProjector());
    query = Services.url(services.startQueryService());
    command = Services.url(services.startCommandService(query));
  }

  @AfterAll
  void stopStack() {
    services.close();
  }
}
