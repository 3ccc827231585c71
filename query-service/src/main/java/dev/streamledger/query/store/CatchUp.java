package dev.streamledger.query.store;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.query.system.QuerySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.stereotype.Component;

/**
 * Whether this instance's views have folded everything there is: what a view digest needs to
 * say before two digests can be compared ({@link dev.streamledger.query.digest.ViewDigests}).
 */
@Component
public class CatchUp {

  /** How long {@link #caughtUp()} looks at what lies after a task's committed offsets. */
  private static final Duration PEEK = Duration.ofSeconds(5);

  private final ViewStores stores;
  private final HostInfo self;
  private final KafkaSettings kafka;

  public CatchUp(ViewStores stores, QuerySettings settings, KafkaSettings kafka) {
    this.stores = stores;
    this.self = settings.self();
    this.kafka = kafka;
  }

  /**
   * Whether every partition this instance actively holds has been read to its end: every input
   * partition the group assigned it belongs to a task that is running (not still being set up or
   * restored), and that task's committed offset has reached the end offset its consumer last saw —
   * or a consumer finds nothing readable between them. That last check matters at rest: a task
   * learns a partition's end only from records it fetched (an empty partition's end stays unknown),
   * and the topics are written in transactions, so a partition may end with a commit marker that is
   * never a record to process.
   */
  public boolean caughtUp() {
    KafkaStreams running = stores.running();
    Set<TopicPartition> assigned = new HashSet<>();
    running.metadataForAllStreamsClients().stream().filter(client -> client.hostInfo().equals(self))
        .forEach(client -> assigned.addAll(client.topicPartitions()));
    Set<TopicPartition> held = new HashSet<>();
    Map<TopicPartition, Long> behind = new HashMap<>();
    for (var thread : running.metadataForLocalThreads()) {
      for (var task : thread.activeTasks()) {
        held.addAll(task.topicPartitions());
        for (TopicPartition partition : task.topicPartitions()) {
          // -1: not known; Streams learns a partition's end only from records it fetched, so an empty one stays unknown
          long end = task.endOffsets().getOrDefault(partition, -1L);
          long committed = task.committedOffsets().getOrDefault(partition, -1L);
          if (end < 0 || committed < end) {
            behind.put(partition, Math.max(committed, 0));
          }
        }
      }
    }
    return held.containsAll(assigned) && nothingToReadAfter(behind);
  }

  /** Whether no record a read-committed consumer would see lies at or after each partition's offset. */
  private boolean nothingToReadAfter(Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return true;
    }
    Map<String, Object> config = kafka.connection();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // an offset before the log's start reads from there
    try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(offsets.keySet());
      offsets.forEach(consumer::seek);
      Map<TopicPartition, Long> ends = consumer.endOffsets(offsets.keySet(), PEEK);
      Instant deadline = Instant.now().plus(PEEK);
      while (Instant.now().isBefore(deadline)) {
        if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
          return false;
        }
        if (ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey(), PEEK) >= end.getValue())) {
          return true; // only markers (or records of aborted transactions) lay between
        }
      }
      return false;
    }
  }
}
