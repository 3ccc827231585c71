package dev.streamledger.projector.system;

import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topic;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Sinks that write a {@link Topic} the way it is declared: its serdes, its partitioner, its seals. */
public final class Sinks {

  private Sinks() {}

  /** A sink of a topic other services do not trust for its writer (dead letters). */
  public static <K, V> Topology add(Topology topology, String name, Topic<K, V> topic, String... parents) {
    if (!SealedFor.readersOf(topic).isEmpty()) {
      throw new IllegalArgumentException(topic.name() + " is read as the projector's alone: write it with Sinks.trusted");
    }
    return topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
        topic.streamPartitioner(), parents);
  }

  /** A sink of commands the projector writes itself: each carries its seal (over topic and value). */
  public static <K, V> Topology sealed(Topology topology, String name, Topic<K, V> topic, Authenticity authenticity,
      String... parents) {
    return topology.addSink(name, topic.name(), topic.keySerde().serializer(),
        authenticity.sealing(topic.valueSerde().serializer()), topic.streamPartitioner(), parents);
  }

  /**
   * A sink of records services act on because the projector wrote them (outcomes, events, the
   * account directory): each carries a seal over topic, key and value for every service that
   * reads it ({@link SealedFor#readersOf}). Processors forward to {@code name}, a step that
   * serializes and seals; the sink itself is {@code name-sink}.
   */
  public static <K, V> Topology trusted(Topology topology, String name, Topic<K, V> topic, Authenticity authenticity,
      String... parents) {
    List<SealedFor> readers = SealedFor.readersOf(topic);
    if (readers.isEmpty()) {
      throw new IllegalArgumentException("no service is said to trust " + topic.name() + " (SealedFor.readersOf)");
    }
    topology.addProcessor(name, () -> new Sealing<>(topic, readers, authenticity.seals()), parents);
    return topology.addSink(name + "-sink", topic.name(), topic.keySerde().serializer(),
        Serdes.ByteArray().serializer(), topic.streamPartitioner(), name);
  }

  /** Serializes a record's value and seals it with its key for each reader. */
  private static final class Sealing<K, V> implements Processor<K, V, K, byte[]> {

    private final Topic<K, V> topic;
    private final List<SealedFor> readers;
    private final Seals seals;
    private ProcessorContext<K, byte[]> context;

    Sealing(Topic<K, V> topic, List<SealedFor> readers, Seals seals) {
      this.topic = topic;
      this.readers = readers;
      this.seals = seals;
    }

    @Override
    public void init(ProcessorContext<K, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<K, V> record) {
      var headers = new RecordHeaders(record.headers().toArray());
      byte[] value = topic.valueSerde().serializer().serialize(topic.name(), headers, record.value());
      byte[] key = topic.keySerde().serializer().serialize(topic.name(), headers, record.key());
      seals.seal(topic.name(), readers, key, value, headers);
      context.forward(new Record<>(record.key(), value, record.timestamp(), headers));
    }
  }
}
