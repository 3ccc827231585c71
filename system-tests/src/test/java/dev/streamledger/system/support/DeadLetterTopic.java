package dev.streamledger.system.support;

import dev.streamledger.contract.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the dead-letter topic, where the services park what they cannot or must not process. */
public final class DeadLetterTopic {

  private DeadLetterTopic() {}

  /** The dead letters that {@code match}, read from the start until {@code expected} are found or time is up. */
  public static List<ConsumerRecord<byte[], byte[]>> read(Duration within, int expected,
      Predicate<ConsumerRecord<byte[], byte[]>> match) {
    return TopicReader.read(Topics.DEAD_LETTERS.name(), within, expected, match);
  }
}
