package dev.streamledger.contract.topic;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * One Kafka topic of the system: its name, how its keys and values are encoded, how many
 * partitions it has, which partition a key goes to, and the configs it is created with.
 * Declared once, in {@link Topics}.
 *
 * @param fixedPartitions the partitions of a topic whose count is part of its design, or
 *     {@link #AS_DEPLOYED} for the keyed topics: they all have as many as the deployment chose
 *     when it created them ({@code streamledger.kafka.partitions}), the same for all so that a key
 *     lands on the same partition number in every topic
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int fixedPartitions,
    Map<String, String> configs,
    String description,
    KeyPartitioner<K> partitioner) {

  /** The {@link #fixedPartitions} of a keyed topic: it has the deployment's partition count. */
  public static final int AS_DEPLOYED = 0;

  public Topic {
    configs = Map.copyOf(configs);
  }

  /** A topic partitioned the way Kafka partitions keyed records by default. */
  public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, int fixedPartitions,
      Map<String, String> configs, String description) {
    this(name, keySerde, valueSerde, fixedPartitions, configs, description,
        (key, count) -> KeyPartitioner.murmur2(keySerde.serializer().serialize(name, key), count));
  }

  /** Whether it has the deployment's partition count (every keyed topic does). */
  public boolean asDeployed() {
    return fixedPartitions == AS_DEPLOYED;
  }

  /** Its partitions in a deployment whose keyed topics have {@code deployed}. */
  public int partitions(int deployed) {
    return asDeployed() ? deployed : fixedPartitions;
  }

  /** The partition of {@code key} when the topic has {@code partitionCount} partitions. */
  public int partitionOf(K key, int partitionCount) {
    return partitioner.partition(key, partitionCount);
  }

  /**
   * The partitioner for Kafka Streams: sinks writing this topic (its values, or their bytes), and
   * key lookups in stores fed by it. It looks at the key alone.
   */
  public <W> StreamPartitioner<K, W> streamPartitioner() {
    return (topic, key, value, partitions) ->
        key == null ? Optional.empty() : Optional.of(Set.of(partitionOf(key, partitions)));
  }
}
