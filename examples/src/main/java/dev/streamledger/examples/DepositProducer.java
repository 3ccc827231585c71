package dev.streamledger.examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kafka producer as a Streamledger client: deposits into an account by writing a command to the
 * account-commands topic, then reads its answer from the outcomes topic. It uses nothing of
 * Streamledger's code, only the documented contract (docs/asyncapi.yaml):
 *
 * <ul>
 *   <li>the value is a JSON object: {@code schemaVersion}, {@code type}, a fresh {@code requestId},
 *       the command's fields, {@code times.receivedAt} (when this client took the request), and
 *       {@code credential}: the sender's bearer token (a deposit needs an operator's), which the
 *       projector verifies — a command without a valid one is dead-lettered;</li>
 *   <li>the key is the account id (UTF-8), so the default partitioner puts the command on the
 *       account's partition, where its balance is decided;</li>
 *   <li>headers: {@code streamledger.request-id} (the request id, for tools) and, optionally,
 *       {@code streamledger.correlation-id}, which comes back on the outcome;</li>
 *   <li>the outcome is the record keyed by the request id on the outcomes topic, written in the
 *       projector's transaction (read it {@code read_committed}); start reading before sending.</li>
 * </ul>
 *
 * <p>Run: {@code STREAMLEDGER_TOKEN=$(bin/token ops --operator) java -cp
 * 'examples/target/examples-0.1.0-SNAPSHOT.jar:examples/target/lib/*'
 * dev.streamledger.examples.DepositProducer 127.0.0.1:9092 <account id> 10.00}
 */
public final class DepositProducer implements AutoCloseable {

  public static final String COMMANDS = "streamledger.account-commands.v1";
  public static final String OUTCOMES = "streamledger.outcomes.v1";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> outcomes;
  private final String token;

  /** @param token the bearer token every command carries as its credential */
  public DepositProducer(String bootstrapServers, String token) {
    this.token = token;
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",                 // the command is durable before we wait
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),   // a retried send is written once
        new StringSerializer(), new StringSerializer());
    outcomes = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions = outcomes.partitionsFor(OUTCOMES, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(OUTCOMES, p.partition()))
        .toList();
    outcomes.assign(partitions);
    outcomes.seekToEnd(partitions);
    partitions.forEach(outcomes::position);   // fix the start now: no outcome written later is missed
  }

  /** What a deposit command looks like on the topic (schema version 2). */
  public static String depositCommand(String requestId, String accountId, String amount, Instant receivedAt,
      String token) {
    ObjectNode command = JSON.createObjectNode()
        .put("schemaVersion", 2)
        .put("type", "Deposit")
        .put("requestId", requestId)
        .put("accountId", accountId)
        .put("amount", amount);
    command.putObject("times").put("receivedAt", receivedAt.toString());
    command.put("credential", token);
    return command.toString();
  }

  /**
   * Deposits {@code amount} into {@code accountId} and waits up to {@code wait} for the outcome.
   *
   * @return the outcome ({@code status} ACCEPTED with the new balance in {@code data}, or
   *     REJECTED with a {@code code}), or empty if none came in time (the command is in the log
   *     and will still be decided; keep reading for its request id)
   */
  public Optional<JsonNode> deposit(String accountId, String amount, String correlationId, Duration wait) {
    String requestId = UUID.randomUUID().toString();
    var headers = new RecordHeaders()
        .add("streamledger.request-id", requestId.getBytes(StandardCharsets.UTF_8))
        .add("streamledger.correlation-id", correlationId.getBytes(StandardCharsets.UTF_8));
    producer.send(new ProducerRecord<>(COMMANDS, null, accountId,
        depositCommand(requestId, accountId, amount, Instant.now(), token), headers));
    producer.flush();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : outcomes.poll(Duration.ofMillis(100))) {
        if (requestId.equals(record.key())) {
          return Optional.of(JSON.readTree(record.value()));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    producer.close();
    outcomes.close();
  }

  public static void main(String[] args) {
    String token = System.getenv("STREAMLEDGER_TOKEN");
    if (args.length != 3 || token == null || token.isBlank()) {
      System.err.println("usage: STREAMLEDGER_TOKEN=<an operator's token> DepositProducer <bootstrap servers> "
          + "<account id> <amount>");
      System.exit(2);
    }
    try (var client = new DepositProducer(args[0], token)) {
      Optional<JsonNode> outcome = client.deposit(args[1], args[2], "example-" + UUID.randomUUID(),
          Duration.ofSeconds(10));
      System.out.println(outcome.map(JsonNode::toString).orElse("no outcome within 10 s"));
      System.exit(outcome.isPresent() ? 0 : 1);
    }
  }
}
