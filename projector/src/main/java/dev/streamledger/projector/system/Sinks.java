package dev.streamledger.projector.system;

import dev.streamledger.contract.topic.Topic;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** Sinks that write a {@link Topic} the way it is declared: its serdes, and its partitioner. */
public final class Sinks {

  private Sinks() {}

  public static <K, V> Topology add(Topology topology, String name, Topic<K, V> topic, String... parents) {
    StreamPartitioner<K, V> partitioner = (name1, key, value, partitions) ->
        key == null ? Optional.empty() : Optional.of(Set.of(topic.partitionOf(key, partitions)));
    return topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
        partitioner, parents);
  }
}
