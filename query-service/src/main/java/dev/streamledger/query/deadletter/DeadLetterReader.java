package dev.streamledger.query.deadletter;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Reads the newest records of {@link Topics#DEAD_LETTERS} on request: one consumer without a
 * group (it commits nothing and joins nothing), {@code read_committed} like every reader of what
 * the Streams applications write, positioned at most {@code limit} records before each
 * partition's end and read up to that end.
 */
@Component
public class DeadLetterReader implements DisposableBean {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final int KEY_CHARACTERS = 200;

  private final KafkaSettings kafka;
  private KafkaConsumer<byte[], byte[]> consumer;

  public DeadLetterReader(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  /** Where a dead letter came from. */
  public record Origin(String topic, Integer partition, Long offset) {}

  /**
   * One dead letter: its place in the topic, its timestamp (the input's: when the broker appended
   * it, on the command topics), which processor parked it and why, and where it came from; its
   * key as text, and how many bytes its value has.
   */
  public record Letter(int partition, long offset, Instant timestamp, String reason, String processor, Origin origin,
      String key, int valueBytes) {}

  /** The newest {@code limit} dead letters, newest first, and the end offsets they were read up to. */
  public record Page(String topic, Map<Integer, Long> endOffsets, List<Letter> letters) {}

  public synchronized Page newest(int limit) {
    KafkaConsumer<byte[], byte[]> reader = consumer();
    List<TopicPartition> partitions = reader.partitionsFor(Topics.DEAD_LETTERS.name(), READ_TIMEOUT).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    reader.assign(partitions);
    Map<TopicPartition, Long> ends = reader.endOffsets(partitions, READ_TIMEOUT);
    Map<TopicPartition, Long> begins = reader.beginningOffsets(partitions, READ_TIMEOUT);
    List<Letter> letters = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      reader.seek(partition, Math.max(begins.get(partition), ends.get(partition) - limit));
    }
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
        if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
          letters.add(letter(record));
        }
      }
    }
    letters.sort(Comparator.comparing(Letter::timestamp).thenComparing(Letter::offset).reversed());
    Map<Integer, Long> endOffsets = new java.util.TreeMap<>();
    ends.forEach((partition, end) -> endOffsets.put(partition.partition(), end));
    return new Page(Topics.DEAD_LETTERS.name(), endOffsets, letters.subList(0, Math.min(limit, letters.size())));
  }

  private static Letter letter(ConsumerRecord<byte[], byte[]> record) {
    String partition = header(record, Headers.DLT_SOURCE_PARTITION);
    String offset = header(record, Headers.DLT_SOURCE_OFFSET);
    Origin origin = new Origin(header(record, Headers.DLT_SOURCE_TOPIC), number(partition, Integer::valueOf),
        number(offset, Long::valueOf));
    return new Letter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
        header(record, Headers.DLT_REASON), header(record, Headers.DLT_PROCESSOR), origin, text(record.key()),
        record.value() == null ? 0 : record.value().length);
  }

  /** A header's number, or null when it has none or another producer wrote something else there. */
  private static <T> T number(String text, Function<String, T> parse) {
    try {
      return text == null ? null : parse.apply(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : text(header.value());
  }

  /** UTF-8 text, shortened; bytes that are not UTF-8 are shown as such, not decoded into noise. */
  private static String text(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return decoded.length() > KEY_CHARACTERS ? decoded.substring(0, KEY_CHARACTERS) + "…" : decoded;
    } catch (CharacterCodingException e) {
      return "(" + bytes.length + " bytes, not UTF-8)";
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Map<String, Object> config = kafka.connection();
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-service-dead-letters-" + ProcessHandle.current().pid());
      consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return consumer;
  }

  @Override
  public synchronized void destroy() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }
}
