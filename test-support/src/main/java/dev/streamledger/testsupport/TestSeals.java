package dev.streamledger.testsupport;

import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The {@link Seal}s of topology tests: each reader's test key (32 bytes of its ordinal, so no two
 * readers share one), and records of the topics only the projector writes, sealed as it seals them.
 */
public final class TestSeals {

  private TestSeals() {}

  /** {@code reader}'s test keys, as its setting would list them. */
  public static List<String> keysOf(SealedFor reader) {
    byte[] key = new byte[Seal.MIN_KEY_BYTES];
    Arrays.fill(key, (byte) (reader.ordinal() + 1));
    return List.of(Base64.getEncoder().encodeToString(key));
  }

  /** The seal {@code reader} checks, with its test keys. */
  public static Seal of(SealedFor reader) {
    return reader.seal(keysOf(reader));
  }

  /** {@code value} on {@code topic} under {@code key} at {@code time} (null: the input's), sealed for each reader of the topic. */
  public static <V> TestRecord<String, V> written(Topic<String, V> topic, String key, V value, Instant time) {
    return new TestRecord<>(key, value, sealed(topic, key, topic.valueSerde().serializer().serialize(topic.name(), value)),
        time);
  }

  private static Headers sealed(Topic<?, ?> topic, String key, byte[] value) {
    var headers = new RecordHeaders();
    for (SealedFor reader : SealedFor.readersOf(topic)) {
      of(reader).seal(topic.name(), key.getBytes(StandardCharsets.UTF_8), value, headers);
    }
    return headers;
  }

  /** An input of {@code topic} whose records are sealed as the projector writes them. */
  public static <V> Input<V> input(TopologyTestDriver driver, Topic<String, V> topic) {
    return new Input<>(TopologyDrivers.input(driver, topic), topic,
        value -> topic.valueSerde().serializer().serialize(topic.name(), value));
  }

  /** An input of {@code topic} taking values as text (JSON, or not), sealed as the projector writes them. */
  public static Input<String> textInput(TopologyTestDriver driver, Topic<?, ?> topic) {
    return new Input<>(TopologyDrivers.textInput(driver, topic), topic, text -> text.getBytes(StandardCharsets.UTF_8));
  }

  /** Pipes records of a topic only the projector writes, sealed. */
  public static final class Input<V> {

    private final TestInputTopic<String, V> input;
    private final Topic<?, ?> topic;
    private final Function<V, byte[]> bytes;

    private Input(TestInputTopic<String, V> input, Topic<?, ?> topic, Function<V, byte[]> bytes) {
      this.input = input;
      this.topic = topic;
      this.bytes = bytes;
    }

    /** At the input's own time, as {@link TestInputTopic#pipeInput(Object, Object)}. */
    public void pipeInput(String key, V value) {
      pipeInput(key, value, null);
    }

    public void pipeInput(String key, V value, Instant time) {
      input.pipeInput(new TestRecord<>(key, value, sealed(topic, key, bytes.apply(value)), time));
    }
  }
}
