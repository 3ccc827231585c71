package dev.streamledger.projector.system;

import dev.streamledger.contract.topic.Topic;
import org.apache.kafka.streams.Topology;

/** Sinks that write a {@link Topic} the way it is declared: its serdes, and its partitioner. */
public final class Sinks {

  private Sinks() {}

  public static <K, V> Topology add(Topology topology, String name, Topic<K, V> topic, String... parents) {
    return topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
        topic.streamPartitioner(), parents);
  }

  /** A sink of commands the projector writes itself: each carries its seal. */
  public static <K, V> Topology sealed(Topology topology, String name, Topic<K, V> topic, Authenticity authenticity,
      String... parents) {
    return topology.addSink(name, topic.name(), topic.keySerde().serializer(),
        authenticity.sealing(topic.valueSerde().serializer()), topic.streamPartitioner(), parents);
  }
}
