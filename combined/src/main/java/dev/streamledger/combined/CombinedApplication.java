package dev.streamledger.combined;

import dev.streamledger.command.CommandServiceApplication;
import dev.streamledger.projector.ProjectorApplication;
import dev.streamledger.query.QueryServiceApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The projector, the query service and the command service in one JVM, as Kafka runs a broker and
 * its controller in one process on small clusters. Each is its own Spring application, with its
 * own configuration file, port, Kafka clients and state stores, exactly as when it runs alone;
 * what they share is the JVM: one heap, one copy of the libraries' loaded and compiled code, one
 * JIT. On a two-core machine that compiling is most of the cost of the first minutes after a
 * start (docs/performance.md, change 7).
 *
 * <p>Every argument goes to all three, and each takes what is its own: a setting for one of them
 * ({@code --streamledger.projector.state-dir=...}) is ignored by the others (one JVM is one trust
 * boundary: the others can see the projector's seal key), and the ports are each service's own
 * variables ({@code --PROJECTOR_PORT=}, {@code --QUERY_PORT=}, {@code --COMMAND_PORT=}, or the
 * environment's), not {@code server.port}. They start in the order a separate start uses
 * (projector, query service, command service) and stop in reverse, on SIGTERM too, so the
 * command service drains its requests while the projector still decides them; if one cannot
 * start, those started are stopped and the process exits with status 1.
 *
 * <p>What it gives up: the three fail together (an out-of-memory error stops all of them) and are
 * restarted together, and they cannot be scaled apart; deployments that need that run them apart.
 */
public final class CombinedApplication {

  private static final Logger log = LoggerFactory.getLogger(CombinedApplication.class);

  private record Service(Class<?> main, Supplier<SpringApplicationBuilder> builder) {}

  /** The services, in the order they start. */
  private static final List<Service> SERVICES = List.of(
      new Service(ProjectorApplication.class, ProjectorApplication::builder),
      new Service(QueryServiceApplication.class, QueryServiceApplication::builder),
      new Service(CommandServiceApplication.class, CommandServiceApplication::builder));

  private CombinedApplication() {}

  public static void main(String[] args) {
    try {
      List<ConfigurableApplicationContext> started = start(args);
      // Spring Boot's own hook would close them in the order they started
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "combined-shutdown"));
    } catch (RuntimeException e) {
      log.error("a service could not start; the ones started before it were stopped", e);
      System.exit(1);
    }
  }

  /**
   * Starts every service with {@code args} and returns them in start order; {@link #stop} closes
   * them. None registers a shutdown hook of its own.
   *
   * @throws RuntimeException as a service's start does, after stopping those already started
   */
  public static List<ConfigurableApplicationContext> start(String... args) {
    List<ConfigurableApplicationContext> started = new ArrayList<>();
    try {
      for (Service service : SERVICES) {
        started.add(service.builder().get()
            .main(service.main())   // its own name in "Started ...", not this class's
            .registerShutdownHook(false)
            // one logging system serves all three and would label every line with the first
            // one's name; the thread and the logger tell them apart instead
            .properties("logging.include-application-name=false")
            .run(args));
      }
      return started;
    } catch (RuntimeException e) {
      try {
        stop(started);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  /**
   * Closes {@code services} last first (each waits for its graceful shutdown), every one even if
   * an earlier close failed; throws the first failure with the others suppressed.
   */
  public static void stop(List<ConfigurableApplicationContext> services) {
    RuntimeException failed = null;
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
