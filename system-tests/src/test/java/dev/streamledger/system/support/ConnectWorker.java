package dev.streamledger.system.support;

import static org.awaitility.Awaitility.await;

import dev.streamledger.testsupport.LoopbackPorts;
import dev.streamledger.testsupport.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Kafka Connect worker in distributed mode, as its own JVM — the one {@code bin/local-stack}
 * runs: Kafka's jars from {@code local-stack/target/kafka-lib}, the sql-sink plugin from
 * {@code sql-sink/target/plugin} — on the shared broker. Workers made with the same {@link Cluster}
 * form one Connect cluster (group, internal topics), so tasks move between them. Killed with
 * {@code kill -9} when a test wants no goodbye; every worker is stopped by {@link Cluster#close}.
 */
public final class ConnectWorker {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Cluster cluster;
  private final int port;
  private final Process process;

  private ConnectWorker(Cluster cluster, int port, Process process) {
    this.cluster = cluster;
    this.port = port;
    this.process = process;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no task stops, no offsets are committed, the group notices only when its session ends. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM: the worker stops its tasks and leaves the group. */
  public void stop() {
    process.destroy();
    waitFor();
  }

  private void waitFor() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cluster.workers.remove(this);
  }

  /** Creates or updates a connector (PUT is both) and waits until it and all its tasks run. */
  public void putConnector(String name, Map<String, String> settings) {
    Response put = send("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(settings));
    if (put.status() >= 300) {
      throw new IllegalStateException("PUT connector " + name + ": " + put.status() + " " + put.body());
    }
    awaitRunning(name, 1);
  }

  /** Waits until the connector and at least {@code tasks} tasks run, none failed. */
  public JsonNode awaitRunning(String name, int tasks) {
    return await("connector " + name + " running with " + tasks + " task(s)").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> status(name), status -> {
          if (status.toString().contains("\"FAILED\"")) {
            throw new AssertionError("connector " + name + " failed: " + status.toPrettyString());
          }
          List<JsonNode> running = new ArrayList<>();
          status.path("tasks").forEach(task -> {
            if ("RUNNING".equals(task.path("state").asString())) {
              running.add(task);
            }
          });
          return "RUNNING".equals(status.path("connector").path("state").asString()) && running.size() >= tasks
              && running.size() == status.path("tasks").size();
        });
  }

  public JsonNode status(String name) {
    Response status = send("GET", "/connectors/" + name + "/status", null);
    if (status.status() != 200) {
      throw new IllegalStateException("status of " + name + ": " + status.status() + " " + status.body());
    }
    return JSON.readTree(status.body());
  }

  /** Stops the connector, deletes Connect's committed offsets of it (KIP-875), and resumes it: a reset to the start. */
  public void resetOffsets(String name) {
    expect(send("PUT", "/connectors/" + name + "/stop", null), "stop " + name);
    await("connector " + name + " stopped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> status(name).path("connector").path("state").asString(), "STOPPED"::equals);
    expect(send("DELETE", "/connectors/" + name + "/offsets", null), "delete offsets of " + name);
    expect(send("PUT", "/connectors/" + name + "/resume", null), "resume " + name);
  }

  /** The offsets Connect has committed for the connector's consumer, per topic and partition. */
  public JsonNode offsets(String name) {
    Response offsets = send("GET", "/connectors/" + name + "/offsets", null);
    return JSON.readTree(offsets.body());
  }

  private static void expect(Response response, String what) {
    if (response.status() >= 300) {
      throw new IllegalStateException(what + ": " + response.status() + " " + response.body());
    }
  }

  private record Response(int status, String body) {}

  private Response send(String method, String path, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One Connect cluster: its group id, internal topics and the workers started in it. */
  public static final class Cluster implements AutoCloseable {

    private final String id = Names.unique("connect");
    private final Path dir;
    private final List<ConnectWorker> workers = new ArrayList<>();

    /** Stops the workers if the test JVM ends without {@link #close} (a test that timed out, say). */
    private final Thread stopAtExit = new Thread(this::stopAll, "connect-workers-stop");

    public Cluster() {
      try {
        dir = Files.createTempDirectory("streamledger-" + id);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** Starts a worker of this cluster and returns once its REST API answers. */
    public ConnectWorker start() {
      Path root = Repository.root();
      int port = LoopbackPorts.free();
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("bootstrap.servers", Services.bootstrapServers());
      settings.put("group.id", id);
      settings.put("config.storage.topic", id + ".configs");
      settings.put("offset.storage.topic", id + ".offsets");
      settings.put("status.storage.topic", id + ".status");
      settings.put("config.storage.replication.factor", "1");
      settings.put("offset.storage.replication.factor", "1");
      settings.put("status.storage.replication.factor", "1");
      settings.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      settings.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      settings.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      settings.put("consumer.isolation.level", "read_committed");
      settings.put("consumer.max.poll.records", "2000");
      settings.put("offset.flush.interval.ms", "1000");
      // a killed worker's tasks move after this long
      settings.put("session.timeout.ms", "6000");
      settings.put("heartbeat.interval.ms", "1000");
      settings.put("scheduled.rebalance.max.delay.ms", "5000");
      settings.put("listeners", "http://127.0.0.1:" + port);
      settings.put("rest.advertised.host.name", "127.0.0.1");
      settings.put("rest.advertised.port", Integer.toString(port));
      settings.put("plugin.path", root.resolve("sql-sink/target/plugin").toString());
      settings.put("plugin.discovery", "service_load");
      try {
        Path properties = dir.resolve("worker-" + port + ".properties");
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(properties, text);
        Path log = dir.resolve("worker-" + port + ".log");
        Process process = new ProcessBuilder("java", "-Xms64m", "-Xmx384m",
            "-Dlog4j2.configurationFile=" + root.resolve("local-stack/config/log4j2.properties"),
            "-cp", root.resolve("local-stack/target/kafka-lib") + "/*",
            "org.apache.kafka.connect.cli.ConnectDistributed", properties.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ConnectWorker worker = new ConnectWorker(this, port, process);
        workers.add(worker);
        await("Connect worker on port " + port + " (log " + log + ")").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> {
              if (!process.isAlive()) {
                throw new AssertionError("the worker exited " + process.exitValue() + ":\n" + Files.readString(log));
              }
              return worker.send("GET", "/connectors", null).status() == 200;
            });
        return worker;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void stopAll() {
      for (ConnectWorker worker : List.copyOf(workers)) {
        worker.stop();
      }
    }

    @Override
    public void close() {
      stopAll();
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
      try {
        Services.deleteRecursively(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
