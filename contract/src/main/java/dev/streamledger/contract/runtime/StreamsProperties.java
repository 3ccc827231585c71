package dev.streamledger.contract.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings every Streamledger Streams application shares. */
public final class StreamsProperties {

  private StreamsProperties() {}

  /**
   * @param instanceId stable name of this instance (a StatefulSet pod name, say): makes it a
   *     static group member, so after a crash it gets its partitions back without a rebalance if
   *     it returns within the session timeout (a clean stop leaves the group: docs/design.md);
   *     blank or null: dynamic membership
   */
  public static Properties common(KafkaSettings kafka, String applicationId, Path stateDir, Duration commitInterval,
      int threads, String instanceId) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.putAll(kafka.connection());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
    props.put(StreamsConfig.topicPrefix("min.insync.replicas"), kafka.minInsyncReplicas());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    // a fetch is answered as soon as a record is readable; the wait only bounds an idle one, and
    // at 50 ms the idle fetches of every consumer were most of an idle broker's work
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 500);
    if (instanceId != null && !instanceId.isBlank()) {
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
    }
    return props;
  }
}
