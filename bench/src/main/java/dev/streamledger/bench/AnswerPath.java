package dev.streamledger.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the time between a command and its answer goes, hop by hop, while a benchmark runs:
 * tails the account commands and the outcomes as they are appended ({@code read_uncommitted})
 * and the outcomes as they become readable ({@code read_committed}), notes when each request id
 * is first seen by each, and prints percentiles of
 * <ul>
 *   <li><b>sent → appended</b>: the command record's timestamp (set by the command service's
 *       producer at {@code send}, in whole milliseconds, so this hop reads up to 1 ms long) to
 *       the command seen in the log;
 *   <li><b>appended → decided</b>: to its outcome seen in the log, not yet committed (with the
 *       projector's producer lingering until the commit, this includes the wait for it);
 *   <li><b>decided → readable</b>: to the outcome readable by a {@code read_committed} reader,
 *       as the command service's outcome listener reads it.
 * </ul>
 * Each tail adds its own fetch (about a millisecond on one machine), the same for every run.
 *
 * <pre>
 *   java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.streamledger.bench.AnswerPath \
 *       --bootstrap 127.0.0.1:9092 --seconds 60
 * </pre>
 */
public final class AnswerPath {

  // the contract's names (Topics, Headers); the generator does not depend on the contract module
  private static final String ACCOUNT_COMMANDS = "streamledger.account-commands.v1";
  private static final String OUTCOMES = "streamledger.outcomes.v1";
  private static final String REQUEST_ID = "streamledger.request-id";

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
    long seconds = Long.parseLong(options.getOrDefault("seconds", "60"));
    Map<String, Command> commands = new ConcurrentHashMap<>();
    Map<String, Long> decided = new ConcurrentHashMap<>();
    Map<String, Long> readable = new ConcurrentHashMap<>();
    long until = System.currentTimeMillis() + seconds * 1000;
    List<Thread> tails = List.of(
        tail(bootstrap, ACCOUNT_COMMANDS, "read_uncommitted", until, (record, now) -> {
          String id = header(record, REQUEST_ID);
          if (id != null) {
            commands.putIfAbsent(id, new Command(record.timestamp() * 1000, now));
          }
        }),
        tail(bootstrap, OUTCOMES, "read_uncommitted", until,
            (record, now) -> decided.putIfAbsent(key(record), now)),
        tail(bootstrap, OUTCOMES, "read_committed", until,
            (record, now) -> readable.putIfAbsent(key(record), now)));
    for (Thread tail : tails) {
      tail.join();
    }
    Histogram toLog = new Histogram(3);
    Histogram toDecision = new Histogram(3);
    Histogram toReadable = new Histogram(3);
    commands.forEach((id, command) -> {
      Long decidedAt = decided.get(id);
      Long readableAt = readable.get(id);
      if (decidedAt != null && readableAt != null) {
        // each tail polls on its own thread: one may see a later hop a little before another
        // sees the earlier one, which counts as no time
        toLog.recordValue(Math.max(0, command.appended() - command.sent()));
        toDecision.recordValue(Math.max(0, decidedAt - command.appended()));
        toReadable.recordValue(Math.max(0, readableAt - decidedAt));
      }
    });
    System.out.printf("%d requests seen on every hop, in %d s%n", toLog.getTotalCount(), seconds);
    print("sent → appended", toLog);
    print("appended → decided", toDecision);
    print("decided → readable", toReadable);
  }

  /** A command as its tail saw it, in microseconds since the epoch. */
  private record Command(long sent, long appended) {}

  private interface Seen {
    void record(ConsumerRecord<byte[], byte[]> record, long nowMicros);
  }

  private static Thread tail(String bootstrap, String topic, String isolation, long until, Seen seen) {
    Thread thread = new Thread(() -> {
      Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
      try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        while (System.currentTimeMillis() < until) {
          var records = consumer.poll(Duration.ofMillis(100));
          long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
          records.forEach(record -> seen.record(record, now));
        }
      }
    }, "tail-" + topic + "-" + isolation);
    thread.start();
    return thread;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** An outcome's key: the request id, or {@code <request id>/<attempt>} for one attempt's. */
  private static String key(ConsumerRecord<byte[], byte[]> record) {
    String key = new String(record.key(), StandardCharsets.UTF_8);
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  private static void print(String hop, Histogram micros) {
    if (micros.getTotalCount() > 0) {
      System.out.printf("%-20s p50 %6.2f  p90 %6.2f  p99 %6.2f ms%n", hop, micros.getValueAtPercentile(50) / 1000.0,
          micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0);
    }
  }
}
