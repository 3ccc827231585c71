package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A downstream system loads {@code GET /snapshots/accounts}, taken from two query-service
 * instances while transfers flow, then consumes the account-event topic from the snapshot's
 * offsets on, as an independent fold: it meets no event the snapshot already contains, misses
 * none (it ends where the live views end), and every event it applies is the next version.
 */
class SnapshotIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  /** One account as the downstream system holds it, and the event it last applied. */
  private record Row(long version, String balance, int partition, long offset) {}

  @Test
  void shouldContinueFromTheSnapshotsOffsetsWithNothingMissedOrAppliedTwice() throws Exception {
    services.startProjector();
    String a = Services.url(services.startQueryService("query-a", LoopbackPorts.free()));
    String b = Services.url(services.startQueryService("query-b", LoopbackPorts.free()));
    String command = Services.url(services.startCommandService(a));
    Bank bank = Bank.register(command, a, unique("snapshot"));
    List<String> accounts = bank.open(12, "EUR", "100.00");

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger moved = new AtomicInteger();
    Thread traffic = new Thread(() -> {
      Random random = new Random(7);
      while (!stop.get()) {
        String from = accounts.get(random.nextInt(accounts.size()));
        String to = accounts.get(random.nextInt(accounts.size()));
        if (!from.equals(to) && bank.transfer(from, to, "1.00").status() < 500) {
          moved.incrementAndGet();
        }
      }
    });
    traffic.start();
    Map<String, Row> loaded;
    Map<Integer, Long> offsets = new HashMap<>();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> moved.get() >= 20);
      loaded = load(b + "/snapshots/accounts", offsets); // b asks a for a's partitions
      int atSnapshot = moved.get();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> moved.get() >= atSnapshot + 20);
    } finally {
      stop.set(true);
      traffic.join();
    }
    bank.awaitBalancedBooks("EUR"); // every transfer settled: the views are at rest
    for (String account : accounts) {
      assertThat(loaded).containsKey(account);
    }

    // the downstream fold: from the snapshot's offsets to the end of what is committed
    List<String> twice = new ArrayList<>();
    List<String> outOfOrder = new ArrayList<>();
    int applied = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      offsets.forEach((partition, next) -> partitions.add(new TopicPartition(Topics.ACCOUNT_EVENTS.name(), partition)));
      consumer.assign(partitions);
      partitions.forEach(p -> consumer.seek(p, offsets.get(p.partition())));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          AccountEvent event;
          try {
            event = Topics.ACCOUNT_EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          } catch (RuntimeException e) {
            continue; // not an event (another test's dead letter material): the views skip it too
          }
          if (event == null) {
            continue; // a record without a value, equally skipped
          }
          Row row = loaded.get(event.accountId());
          if (row != null && row.partition() == record.partition() && record.offset() <= row.offset()) {
            twice.add(event.accountId() + " v" + event.version() + " at offset " + record.offset());
          }
          // the views' own rule: a version already applied is a redelivery
          if (row != null && event.version() <= row.version()) {
            continue;
          }
          long expected = row == null ? 1 : row.version() + 1;
          if (event.version() != expected) {
            outOfOrder.add(event.accountId() + " v" + event.version() + " after v" + (expected - 1));
            continue;
          }
          String balance = event instanceof AccountEvent.Movement movement ? movement.balanceAfter() : "0";
          loaded.put(event.accountId(), new Row(event.version(), balance, record.partition(), record.offset()));
          applied += accounts.contains(event.accountId()) ? 1 : 0;
        }
      }
    }
    assertThat(twice).as("events the snapshot already contained").isEmpty();
    assertThat(outOfOrder).as("events that do not follow the version before them").isEmpty();
    assertThat(applied).as("events of this test's accounts after the snapshot").isPositive();
    for (String account : accounts) {
      JsonNode live = Http.get(a + "/accounts/" + account).json();
      Row folded = loaded.get(account);
      assertThat(folded.version()).as(account).isEqualTo(live.get("version").asLong());
      assertThat(folded.balance()).as(account).isEqualTo(live.get("balance").asString());
    }
  }

  /** Reads a snapshot into account id → row, and its offsets into {@code offsets}; fails if it is incomplete. */
  private static Map<String, Row> load(String url, Map<Integer, Long> offsets) throws IOException, InterruptedException {
    HttpResponse<java.util.stream.Stream<String>> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + Http.testerToken()).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    List<JsonNode> lines = answer.body().map(JSON::readTree).toList();
    assertThat(lines.get(0).get("kind").asString()).isEqualTo("snapshot");
    assertThat(lines.get(lines.size() - 1).get("kind").asString()).as("the last line").isEqualTo("end");
    Map<String, Row> accounts = new HashMap<>();
    for (JsonNode line : lines) {
      String kind = line.get("kind").asString();
      if (kind.equals("account")) {
        accounts.put(line.get("accountId").asString(), new Row(line.get("version").asLong(),
            line.get("balance").asString(), line.get("partition").asInt(), line.get("offset").asLong()));
      } else if (kind.equals("position")) {
        assertThat(offsets.put(line.get("partition").asInt(), line.get("nextOffset").asLong())).isNull();
      }
    }
    assertThat(offsets).hasSize(KafkaSettings.DEFAULT_PARTITIONS);
    assertThat(lines.get(lines.size() - 1).get("accounts").asLong()).isEqualTo(accounts.size());
    return accounts;
  }
}
