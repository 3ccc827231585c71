package dev.streamledger.contract.topic;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of the system: its name, how its keys and values are encoded, how many
 * partitions it has and the configs it is created with. Declared once, in {@link Topics}.
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    Map<String, String> configs,
    String description) {

  public Topic {
    configs = Map.copyOf(configs);
  }
}
