package dev.streamledger.system.support;

import static org.awaitility.Awaitility.await;

import dev.streamledger.command.CommandServiceApplication;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.projector.ProjectorApplication;
import dev.streamledger.query.QueryServiceApplication;
import dev.streamledger.testsupport.DevTokens;
import dev.streamledger.testsupport.LoopbackPorts;
import dev.streamledger.testsupport.SharedKafka;
import dev.streamledger.testsupport.TestSeals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

  private final String deployment = Names.unique("it");
  private final Path stateRoot;
  private final List<ConfigurableApplicationContext> running = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  public Services() {
    try {
      stateRoot = Files.createTempDirectory("streamledger-" + deployment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every service trusts the test JVM's token key ({@link DevTokens}); each service that acts on
   * what the projector writes has its test seal key ({@link TestSeals}), and the projector all of them.
   */
  public static final Map<String, String> SECURITY = security();

  private static Map<String, String> security() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("streamledger.security.public-key", DevTokens.forTests().publicKeyLocation());
    for (SealedFor reader : SealedFor.values()) {
      settings.put(reader.setting(), TestSeals.keysOf(reader).get(0));
      settings.put(reader.projectorSetting(), TestSeals.keysOf(reader).get(0));
    }
    return Map.copyOf(settings);
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

  /**
   * A projector of this deployment as its own JVM, from the packaged jar, so that a test can kill
   * it abruptly ({@code kill -9}: no close, no commit, no leaving the group).
   */
  public Process startProjectorProcess(String instance, Path projectRoot) {
    int port = LoopbackPorts.free();
    Path jar = projectRoot.resolve("projector/target/projector-0.1.0-SNAPSHOT-exec.jar");
    Path log = stateRoot.resolve(instance + ".log");
    try {
      List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", jar.toString()));
      SECURITY.forEach((name, value) -> command.add("--" + name + "=" + value));
      command.addAll(List.of(
          "--server.port=" + port,
          "--streamledger.kafka.bootstrap-servers=" + bootstrapServers(),
          "--streamledger.projector.application-id=" + deployment + "-projector",
          "--streamledger.projector.state-dir=" + stateRoot.resolve(instance),
          "--streamledger.projector.instance-id=" + deployment + "-" + instance,
          // a killed member's partitions move after this long
          "--streamledger.projector.streams.[main.consumer.session.timeout.ms]=6000",
          "--streamledger.projector.streams.[main.consumer.heartbeat.interval.ms]=1000"));
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      processes.add(process);
      awaitReady("http://127.0.0.1:" + port);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ConfigurableApplicationContext startQueryService() {
    return startQueryService("query-" + running.size(), LoopbackPorts.free());
  }

  /**
   * A query-service instance of this deployment: {@code instance} names its state directory and
   * static membership; it listens on, and advertises to the other instances, {@code port}.
   */
  public ConfigurableApplicationContext startQueryService(String instance, int port) {
    return startQueryService(instance, port, 0);
  }

  /** ... keeping {@code standbyReplicas} standby copies of each view partition on other instances. */
  public ConfigurableApplicationContext startQueryService(String instance, int port, int standbyReplicas) {
    return startQueryService(instance, port, standbyReplicas, Map.of());
  }

  /** ... with {@code settings} (property name → value) on top. */
  public ConfigurableApplicationContext startQueryService(String instance, int port, int standbyReplicas,
      Map<String, String> settings) {
    Map<String, String> props = new LinkedHashMap<>(Map.of(
        "streamledger.query.application-id", deployment + "-query",
        "streamledger.query.state-dir", stateRoot.resolve(instance).toString(),
        "streamledger.query.instance-id", deployment + "-" + instance,
        "streamledger.query.advertised-url", "http://127.0.0.1:" + port,
        "streamledger.query.standby-replicas", Integer.toString(standbyReplicas),
        "server.port", Integer.toString(port)));
    props.putAll(settings);
    return start(QueryServiceApplication.builder(), props);
  }

  public ConfigurableApplicationContext startCommandService(String queryUrl) {
    return startCommandService(queryUrl, Map.of());
  }

  /** A command service with more settings of its own ({@code streamledger.command.*}, …). */
  public ConfigurableApplicationContext startCommandService(String queryUrl, Map<String, String> settings) {
    Map<String, String> own = new LinkedHashMap<>(settings);
    own.put("streamledger.command.query-base-url", queryUrl);
    // generous: a loaded CI machine must still answer 201/409, not 202
    own.putIfAbsent("streamledger.command.outcome-wait", "20s");
    return start(CommandServiceApplication.builder(), own);
  }

  private ConfigurableApplicationContext start(SpringApplicationBuilder app, Map<String, String> own) {
    Map<String, String> props = new LinkedHashMap<>(own);
    props.put("streamledger.kafka.bootstrap-servers", bootstrapServers());
    ConfigurableApplicationContext context = launch(app, props);
    running.add(context);
    return context;
  }

  /**
   * Runs {@code app} with {@code props} (which name its broker) and the tests' defaults — the test
   * key and seal, a free port on 127.0.0.1, quiet logs — and returns once it is ready. The caller
   * closes it.
   */
  public static ConfigurableApplicationContext launch(SpringApplicationBuilder app, Map<String, String> props) {
    Map<String, Object> all = new LinkedHashMap<>(props);
    SECURITY.forEach(all::putIfAbsent);
    all.putIfAbsent("server.port", "0");
    all.put("server.address", "127.0.0.1");
    all.put("spring.main.banner-mode", "off");
    all.put("logging.level.org.apache.kafka", "WARN");
    // as command-line arguments: they must win over the services' own yml, as env vars do
    String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    ConfigurableApplicationContext context = app.run(args);
    awaitReady(url(context));
    return context;
  }

  public static String url(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return "http://127.0.0.1:" + port;
  }

  public static void awaitReady(String baseUrl) {
    await("readiness of " + baseUrl).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> Http.get(baseUrl + "/actuator/health/readiness").status() == 200);
  }

  /** Stops one service cleanly, as SIGTERM would. */
  public void stop(ConfigurableApplicationContext context) {
    context.close();
    running.remove(context);
  }

  /** Deletes a service's local state, as losing its disk would. */
  public static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public Path stateRoot() {
    return stateRoot;
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
      try {
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
  }
}
