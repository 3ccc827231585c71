package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 7 (docs/guarantees.md#7-durable-answers): a {@code 201} means what it reports is already
 * committed to Kafka. Right after
 * each answer — without waiting — a {@code read_committed} reader finds the deposit's event, and
 * for a transfer the debit's event and the credit that will be applied, carrying the answered
 * request id. An answer given before the projector's transaction committed (say, from an outcome
 * read uncommitted) would fail this.
 */
class DurableAnswerIT extends FullStack {

  @Test
  void shouldHaveCommittedWhatA201ReportsBeforeAnsweringIt() {
    String owner = unique("durable");
    assertThat(Http.post(command + "/users", userJson(owner)).status()).isEqualTo(201);
    Bank bank = new Bank(command, query, owner);
    String from = bank.open("EUR", null);
    String to = bank.open("EUR", null);

    try (var events = new CommittedReader<>(Topics.ACCOUNT_EVENTS, e -> e.requestId());
        var commands = new CommittedReader<>(Topics.ACCOUNT_COMMANDS, c -> c.requestId() + "/" + kind(c))) {
      for (int i = 0; i < 15; i++) {
        Http.Response deposit = Http.post(command + "/accounts/" + from + "/deposits", "{\"amount\":\"2.00\"}");
        assertThat(deposit.status()).isEqualTo(201);
        assertThat(events.committedNow()).contains(deposit.json().get("requestId").asString());

        Http.Response transfer = bank.transfer(from, to, "1.00");
        assertThat(transfer.status()).isEqualTo(201);
        String requestId = transfer.json().get("requestId").asString();
        assertThat(events.committedNow()).contains(requestId);
        assertThat(commands.committedNow()).contains(requestId + "/CreditForTransfer");
      }
    }
  }

  private static String kind(Object command) {
    return command.getClass().getSimpleName();
  }

  /** Everything committed to one topic so far, as keys made by {@code idOf}: read up to the last stable offset. */
  private static final class CommittedReader<V> implements AutoCloseable {

    private final Topic<String, V> topic;
    private final Function<V, String> idOf;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Set<String> seen = new HashSet<>();
    /** Read past the end of one call: committed after it looked, so counted from the next call on. */
    private final Set<String> later = new HashSet<>();

    CommittedReader(Topic<String, V> topic, Function<V, String> idOf) {
      this.topic = topic;
      this.idOf = idOf;
      consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers(),
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
          new StringDeserializer(), new ByteArrayDeserializer());
      partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** The ids of every record committed when this is called (end offsets under read_committed are the LSO). */
    Set<String> committedNow() {
      seen.addAll(later);
      later.clear();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          V value;
          try {
            value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
          } catch (SerializationException e) {
            continue;   // garbage other tests wrote (FuzzIT, DeadLetterIT): skipped, as the services do
          }
          if (value == null) {
            continue;
          }
          String id = idOf.apply(value);
          boolean beforeEnd = record.offset() < end.get(new TopicPartition(record.topic(), record.partition()));
          (beforeEnd ? seen : later).add(id);
        }
      }
      return Set.copyOf(seen);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
