package dev.streamledger.system.support;

import static org.awaitility.Awaitility.await;

import dev.streamledger.command.CommandServiceApplication;
import dev.streamledger.projector.ProjectorApplication;
import dev.streamledger.query.QueryServiceApplication;
import dev.streamledger.testsupport.SharedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services started in this JVM against the shared test broker, each its own Spring
 * context on a random port. One {@code Services} is one deployment: its projector and query
 * service have their own application ids and state directories, so test classes do not share
 * Streams state (they do share the topics, so each test uses names of its own).
 */
public final class Services implements AutoCloseable {

  private final String deployment = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final Path stateRoot;
  private final List<ConfigurableApplicationContext> running = new ArrayList<>();

  public Services() {
    try {
      stateRoot = Files.createTempDirectory("streamledger-" + deployment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String bootstrapServers() {
    return SharedKafka.bootstrapServers();
  }

  public ConfigurableApplicationContext startProjector() {
    return startProjector(stateRoot.resolve("projector"));
  }

  public ConfigurableApplicationContext startProjector(Path stateDir) {
    return start(ProjectorApplication.builder(), Map.of(
        "streamledger.projector.application-id", deployment + "-projector",
        "streamledger.projector.state-dir", stateDir.toString(),
        "streamledger.projector.instance-id", deployment + "-projector-" + stateDir.getFileName()));
  }

  public ConfigurableApplicationContext startQueryService() {
    String instance = "query-" + running.size();
    return start(QueryServiceApplication.builder(), Map.of(
        "streamledger.query.application-id", deployment + "-query",
        "streamledger.query.state-dir", stateRoot.resolve(instance).toString(),
        "streamledger.query.instance-id", deployment + "-" + instance));
  }

  public ConfigurableApplicationContext startCommandService(String queryUrl) {
    return start(CommandServiceApplication.builder(), Map.of(
        "streamledger.command.query-base-url", queryUrl,
        // generous: a loaded CI machine must still answer 201/409, not 202
        "streamledger.command.outcome-wait", "20s"));
  }

  private ConfigurableApplicationContext start(SpringApplicationBuilder app, Map<String, String> own) {
    Map<String, Object> props = new LinkedHashMap<>(own);
    props.put("streamledger.kafka.bootstrap-servers", bootstrapServers());
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.org.apache.kafka", "WARN");
    // as command-line arguments: they must win over the services' own yml, as env vars do
    String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    ConfigurableApplicationContext context = app.run(args);
    running.add(context);
    awaitReady(url(context));
    return context;
  }

  public static String url(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return "http://127.0.0.1:" + port;
  }

  public static void awaitReady(String baseUrl) {
    await("readiness of " + baseUrl).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> Http.get(baseUrl + "/actuator/health/readiness").status() == 200);
  }

  /** Stops one service cleanly, as SIGTERM would. */
  public void stop(ConfigurableApplicationContext context) {
    context.close();
    running.remove(context);
  }

  public Path stateRoot() {
    return stateRoot;
  }

  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
  }
}
