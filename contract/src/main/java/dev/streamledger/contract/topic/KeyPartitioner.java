package dev.streamledger.contract.topic;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition a record key goes to. Every producer of a topic — services and Streams
 * sinks alike — asks the topic's partitioner, so records that must meet on one partition do.
 */
@FunctionalInterface
public interface KeyPartitioner<K> {

  int partition(K key, int partitions);

  /** Kafka's own rule for keyed records: murmur2 of the serialized key. */
  static int murmur2(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  static int murmur2(String key, int partitions) {
    return murmur2(key.getBytes(StandardCharsets.UTF_8), partitions);
  }
}
