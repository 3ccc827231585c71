package dev.streamledger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SQL copy's speed (docs/sql.md, "Numbers"), against a running stack with the sql-sink connector.
 *
 * <ul>
 *   <li>{@code --mode live --seconds N}: samples the copy every second while something else
 *       writes (bin/bench-sql-sink runs transfers at a fixed rate beside it): events folded per
 *       second, the lag in records (the event topics' last stable offsets minus the copy's
 *       progress; each partition's last transaction marker counts as one), and the age of the
 *       newest statement line (now minus its record time, which Kafka Streams carries over from
 *       the command: so it includes the projector's queue, not only the copy's).</li>
 *   <li>{@code --mode rebuild}: a second connector into a new, empty database folds the event
 *       topics from offset 0; times it until its progress reaches where the topics end, then
 *       removes both.</li>
 * </ul>
 */
public final class SqlSinkBenchmark {

  private static final List<String> TOPICS = List.of("streamledger.account-events.v1",
      "streamledger.transfer-events.v1", "streamledger.user-events.v1");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
    String connect = options.getOrDefault("connect", "http://127.0.0.1:8083");
    String connector = options.getOrDefault("connector", "streamledger-sql-sink");
    String url = options.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:15432/ledger");
    String user = options.getOrDefault("user", "postgres");
    String password = Files.readString(Path.of(options.get("password-file"))).strip();
    switch (options.getOrDefault("mode", "live")) {
      case "live" -> live(bootstrap, url, user, password, Integer.parseInt(options.getOrDefault("seconds", "60")));
      case "rebuild" -> rebuild(bootstrap, connect, connector, url, user, password, options.get("tasks"));
      default -> throw new IllegalArgumentException("--mode live or rebuild");
    }
  }

  private static void live(String bootstrap, String url, String user, String password, int seconds)
      throws Exception {
    Histogram perSecond = new Histogram(3);
    Histogram lag = new Histogram(3);
    Histogram freshness = new Histogram(3);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        Connection sql = DriverManager.getConnection(url, user, password)) {
      List<TopicPartition> partitions = partitions(admin);
      long before = folded(sql);
      for (int second = 0; second < seconds; second++) {
        Thread.sleep(1000);
        long now = folded(sql);
        perSecond.recordValue(Math.max(0, now - before));
        before = now;
        Map<TopicPartition, Long> progress = progress(sql);
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : stableEnds(admin, partitions).entrySet()) {
          behind += Math.max(0, end.getValue() - progress.getOrDefault(end.getKey(), 0L) - 1);
        }
        lag.recordValue(behind);
        freshness.recordValue(freshnessMillis(sql));
      }
    }
    System.out.printf("sql copy, live for %d s: rows added/s (statement lines, transfers) p50 %d (min %d, max %d);"
            + " lag in records p50 %d,"
            + " p99 %d, max %d; age of the newest statement line p50 %d ms, p99 %d ms, max %d ms (its record time is"
            + " the command's: the age includes the projector's queue)%n", seconds,
        perSecond.getValueAtPercentile(50), perSecond.getMinValue(), perSecond.getMaxValue(),
        lag.getValueAtPercentile(50), lag.getValueAtPercentile(99), lag.getMaxValue(),
        freshness.getValueAtPercentile(50), freshness.getValueAtPercentile(99), freshness.getMaxValue());
  }

  private static void rebuild(String bootstrap, String connect, String connector, String url, String user,
      String password, String tasks) throws Exception {
    String database = "sql_bench_" + System.currentTimeMillis();
    String rebuilt = url.substring(0, url.lastIndexOf('/') + 1) + database;
    String name = "sql-bench-" + System.currentTimeMillis();
    try (Connection server = DriverManager.getConnection(url, user, password);
        Statement statement = server.createStatement()) {
      statement.execute("create database " + database);
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, long[]> offsets = recordOffsets(bootstrap, partitions(admin));
      Map<TopicPartition, Long> ends = new HashMap<>();
      offsets.forEach((partition, of) -> {
        if (of.length > 0) {
          ends.put(partition, of[of.length - 1] + 1);
        }
      });
      long records = offsets.values().stream().mapToLong(of -> of.length).sum();
      ObjectNode settings = (ObjectNode) http("GET", connect + "/connectors/" + connector + "/config", null);
      settings.put("connection.url", rebuilt);
      settings.put("errors.deadletterqueue.topic.name", "streamledger.sql-sink.dead-letters");
      settings.remove("name");
      if (tasks != null) {
        settings.put("tasks.max", tasks);
      }
      long start = System.nanoTime();
      http("PUT", connect + "/connectors/" + name + "/config", JSON.writeValueAsString(settings));
      try (Connection sql = waitForTables(rebuilt, user, password)) {
        long firstBatch = 0;
        long foldedByFirstBatch = 0;
        while (true) {
          Map<TopicPartition, Long> progress = progress(sql);
          if (firstBatch == 0 && !progress.isEmpty()) {
            firstBatch = System.nanoTime();
            foldedByFirstBatch = eventsBelow(offsets, progress);
          }
          if (ends.entrySet().stream().allMatch(end -> progress.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
            break;
          }
          Thread.sleep(20);
        }
        long end = System.nanoTime();
        double elapsed = (end - start) / 1e9;
        double folding = (end - firstBatch) / 1e9;
        long after = records - foldedByFirstBatch;
        System.out.printf("sql copy, rebuild from offset 0: %d events in %.1f s = %.0f events/s from the connector's"
            + " creation (start, group join, schema migration included); after its first batch: %d events in %.2f s"
            + " = %.0f events/s (connector %s, %s task(s); rows: %s)%n", records, elapsed, records / elapsed,
            after, folding, after / folding, name, settings.path("tasks.max").asString(), rows(sql));
      }
    } finally {
      http("DELETE", connect + "/connectors/" + name, null);
      try (Connection server = DriverManager.getConnection(url, user, password);
          Statement statement = server.createStatement()) {
        statement.execute("drop database if exists " + database + " with (force)");
      }
    }
  }

  private static Connection waitForTables(String url, String user, String password) throws Exception {
    while (true) {
      Connection sql = DriverManager.getConnection(url, user, password);
      try (Statement statement = sql.createStatement()) {
        statement.executeQuery("select 1 from sink_progress limit 1").close();
        return sql;
      } catch (SQLException e) {
        sql.close();
        Thread.sleep(50); // the connector's first batch migrates the schema
      }
    }
  }

  private static List<TopicPartition> partitions(Admin admin) throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    admin.describeTopics(TOPICS).allTopicNames().get().forEach((topic, description) ->
        description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
    return partitions;
  }

  private static Map<TopicPartition, Long> stableEnds(Admin admin, List<TopicPartition> partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : admin.listOffsets(latest,
        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().entrySet()) {
      ends.put(end.getKey(), end.getValue().offset());
    }
    return ends;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Per partition, the offsets of its committed records, in order (transaction markers hold the others). */
  private static Map<TopicPartition, long[]> recordOffsets(String bootstrap, List<TopicPartition> partitions) {
    Map<TopicPartition, List<Long>> found = new HashMap<>();
    partitions.forEach(partition -> found.put(partition, new ArrayList<>()));
    try (var consumer = consumer(bootstrap)) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          found.get(new TopicPartition(record.topic(), record.partition())).add(record.offset());
        }
      }
    }
    Map<TopicPartition, long[]> offsets = new HashMap<>();
    found.forEach((partition, list) -> offsets.put(partition, list.stream().mapToLong(Long::longValue).toArray()));
    return offsets;
  }

  /** How many records lie below each partition's progress: the events a copy at {@code progress} has folded. */
  private static long eventsBelow(Map<TopicPartition, long[]> offsets, Map<TopicPartition, Long> progress) {
    long events = 0;
    for (Map.Entry<TopicPartition, long[]> partition : offsets.entrySet()) {
      int at = java.util.Arrays.binarySearch(partition.getValue(), progress.getOrDefault(partition.getKey(), 0L));
      events += at >= 0 ? at : -at - 1;
    }
    return events;
  }

  private static Map<TopicPartition, Long> progress(Connection sql) throws SQLException {
    Map<TopicPartition, Long> progress = new HashMap<>();
    try (Statement statement = sql.createStatement();
        ResultSet rows = statement.executeQuery("select topic, partition, next_offset from sink_progress")) {
      while (rows.next()) {
        progress.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
      }
    }
    return progress;
  }

  /** Events the copy has folded so far: a statement line per account event, a row per transfer and user. */
  private static long folded(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery(
        "select (select count(*) from statement_lines) + (select count(*) from transfers)")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static long freshnessMillis(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery(
        "select coalesce(extract(epoch from now() - max(recorded_at)) * 1000, 0)::bigint from statement_lines")) {
      row.next();
      return Math.max(0, row.getLong(1));
    }
  }

  private static String rows(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery("select"
        + " (select count(*) from accounts), (select count(*) from statement_lines),"
        + " (select count(*) from transfers), (select count(*) from users)")) {
      row.next();
      return row.getLong(1) + " accounts, " + row.getLong(2) + " statement lines, " + row.getLong(3)
          + " transfers, " + row.getLong(4) + " users";
    }
  }

  private static JsonNode http(String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }
}
