package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.examples.DepositProducer;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.DeadLetterTopic;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Guarantee 8 (docs/guarantees.md#8-bad-records-go-to-dead-letters) on the real broker: garbage on
 * the command topic is parked on the dead-letter topic
 * with its reason and origin, and the very partition it sat in keeps flowing.
 */
class DeadLetterIT extends FullStack {


  @Test
  void shouldParkGarbageAndKeepTheSamePartitionFlowing() {
    String name = unique("dlt");
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    List<byte[]> garbage = List.of("not json".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"ClaimUsername\",\"requestId\":\"x\"}".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, (byte) 0xff, 0x13});
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : garbage) {
        producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), key, value));
      }
      producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), key, null));
      producer.flush();
    }

    // same key, same partition, behind the garbage: must still be decided
    assertThat(Http.post(command + "/users", userJson(name)).status()).isEqualTo(201);

    List<ConsumerRecord<byte[], byte[]>> parked = DeadLetterTopic.read(Duration.ofSeconds(30), garbage.size() + 1,
        r -> Arrays.equals(r.key(), key));
    assertThat(parked).hasSize(garbage.size() + 1);
    assertThat(parked.get(0).value()).isEqualTo(garbage.get(0));
    assertThat(parked).allSatisfy(r -> {
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_REASON))).isNotBlank();
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_TOPIC))).isEqualTo(Topics.USER_COMMANDS.name());
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_OFFSET))).matches("\\d+");
    });

    // operators read them over HTTP: reason and origin, never the parked value (it may hold a token)
    assertThat(Http.get(query + "/dead-letters", Http.as("someone", false)).status()).isEqualTo(403);
    Http.Response page = Http.get(query + "/dead-letters?limit=500", Http.as("ops", true));
    assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
    List<JsonNode> ours = new ArrayList<>();
    page.json().get("letters").forEach(letter -> {
      if (name.equals(letter.get("key").asString())) {
        ours.add(letter);
      }
    });
    assertThat(ours).hasSize(garbage.size() + 1).allSatisfy(letter -> {
      assertThat(letter.get("reason").asString()).isNotBlank();
      assertThat(letter.get("origin").get("topic").asString()).isEqualTo(Topics.USER_COMMANDS.name());
      assertThat(letter.has("value")).isFalse();
    });
    assertThat(ours.get(ours.size() - 1).get("valueBytes").asInt()).isEqualTo(garbage.get(0).length);
  }

  @Test
  void shouldParkEveryKindOfBadCommandOnAnAccountsPartitionAndKeepItFlowing() throws Exception {
    Bank bank = Bank.register(command, query, unique("dlt-acct"));
    String account = bank.open("EUR", "10.00");
    int partition = Topics.ACCOUNT_COMMANDS.partitionOf(account, KafkaSettings.DEFAULT_PARTITIONS);
    String deposit = DepositProducer.depositCommand("dlt-" + UUID.randomUUID(), account, "1.00", Instant.now(),
        Http.testerToken());
    Map<String, ProducerRecord<byte[], byte[]>> bad = new LinkedHashMap<>();
    bad.put("not a valid", record(partition, account, "{\"type\":\"Deposit\",".getBytes(StandardCharsets.UTF_8)));
    bad.put("unknown schemaVersion 3", record(partition, account, deposit.replace("\"schemaVersion\":2", "\"schemaVersion\":3")));
    bad.put("missing key", new ProducerRecord<>(Topics.ACCOUNT_COMMANDS.name(), partition, null, utf8(deposit)));
    bad.put("is not the command's", record(partition, "someone-else", deposit));
    bad.put("missing value", new ProducerRecord<>(Topics.ACCOUNT_COMMANDS.name(), partition, utf8(account), null));
    bad.put("too large", record(partition, account,
        deposit.replace("{", "{\"padding\":\"" + "x".repeat(100_000) + "\",")));
    bad.put("two different accounts", record(partition, account, "{\"schemaVersion\":2,\"type\":\"DebitForTransfer\","
        + "\"requestId\":\"r-self\",\"transferId\":\"t-self\",\"accountId\":\"" + account + "\",\"to\":\"" + account
        + "\",\"amount\":\"1.00\",\"times\":{\"receivedAt\":\"2026-11-26T10:00:00Z\"}}"));
    bad.put("amount", record(partition, account, deposit.replace("\"1.00\"", "\"a lot\"")));
    bad.put("Unrecognized", record(partition, account, new byte[] {(byte) 0xc3, 0x28, 0, (byte) 0xff}));

    Map<Long, String> reasonByOffset = new HashMap<>();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers(),
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (var entry : bad.entrySet()) {
        reasonByOffset.put(producer.send(entry.getValue()).get().offset(), entry.getKey());
      }
    }

    // behind all of them on the same partition: a command of schema version 1 (as written before
    // commands carried the client's times), then one from a Kafka client in version 2; both decided
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(record(partition, account, "{\"type\":\"Deposit\",\"requestId\":\"v1-" + UUID.randomUUID()
          + "\",\"accountId\":\"" + account + "\",\"amount\":\"2.00\",\"receivedAt\":\"" + Instant.now()
          + "\",\"credential\":\"" + Http.testerToken() + "\"}")).get();
    }
    try (var client = new DepositProducer(Services.bootstrapServers(), Http.testerToken())) {
      JsonNode outcome = client.deposit(account, "5.00", "dlt-test", Duration.ofSeconds(30)).orElseThrow();
      assertThat(outcome.get("status").asString()).isEqualTo("ACCEPTED");
      assertThat(outcome.get("data").get("balance").asString()).isEqualTo("17.00");
    }
    List<ConsumerRecord<byte[], byte[]>> parked = DeadLetterTopic.read(Duration.ofSeconds(30), bad.size(), r ->
        Topics.ACCOUNT_COMMANDS.name().equals(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_TOPIC)))
            && Integer.toString(partition).equals(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_PARTITION)))
            && reasonByOffset.containsKey(Long.parseLong(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_OFFSET)))));
    assertThat(parked).hasSize(bad.size()).allSatisfy(r -> {
      long offset = Long.parseLong(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_OFFSET)));
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_REASON))).contains(reasonByOffset.get(offset));
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_PROCESSOR))).isNotBlank();
    });
    assertThat(bank.statement(account)).extracting(row -> row.get("kind").asString())
        .containsExactly("AccountOpened", "FundsDeposited", "FundsDeposited", "FundsDeposited");
  }

  private static ProducerRecord<byte[], byte[]> record(int partition, String key, String value) {
    return record(partition, key, utf8(value));
  }

  private static ProducerRecord<byte[], byte[]> record(int partition, String key, byte[] value) {
    return new ProducerRecord<>(Topics.ACCOUNT_COMMANDS.name(), partition, utf8(key), value);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
