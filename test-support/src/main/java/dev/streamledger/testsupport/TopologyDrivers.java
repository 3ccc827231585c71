package dev.streamledger.testsupport;

import dev.streamledger.contract.topic.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** {@link TopologyTestDriver}s and their topics, made from the {@link Topic} declarations. */
public final class TopologyDrivers {

  private TopologyDrivers() {}

  /** A driver for {@code topology}, with wall-clock and stream time starting at {@code start}. */
  public static TopologyTestDriver start(Topology topology, String applicationId, Path stateDir, Instant start,
      String processingGuarantee) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    return new TopologyTestDriver(topology, props, start);
  }

  public static <K, V> TestInputTopic<K, V> input(TopologyTestDriver driver, Topic<K, V> topic) {
    return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  public static <K, V> TestOutputTopic<K, V> output(TopologyTestDriver driver, Topic<K, V> topic) {
    return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** Writes any bytes to {@code topic}, as a broken or hostile producer could. */
  public static TestInputTopic<byte[], byte[]> rawInput(TopologyTestDriver driver, Topic<?, ?> topic) {
    return driver.createInputTopic(topic.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
  }

  /** Writes any text to {@code topic}, keyed by text. */
  public static TestInputTopic<String, String> textInput(TopologyTestDriver driver, Topic<?, ?> topic) {
    return driver.createInputTopic(topic.name(), Serdes.String().serializer(), Serdes.String().serializer());
  }

  public static TestOutputTopic<byte[], byte[]> rawOutput(TopologyTestDriver driver, Topic<?, ?> topic) {
    return driver.createOutputTopic(topic.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
  }
}
