package dev.streamledger.system;

import static dev.streamledger.system.UsernameRegistrationIT.unique;
import static dev.streamledger.system.support.Http.userJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 8 on the real broker: garbage on the command topic is parked on the dead-letter topic
 * with its reason and origin, and the very partition it sat in keeps flowing.
 */
class DeadLetterIT extends FullStack {


  @Test
  void shouldParkGarbageAndKeepTheSamePartitionFlowing() {
    String name = unique("dlt");
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    List<byte[]> garbage = List.of("not json".getBytes(StandardCharsets.UTF_8),
        "{\"type\":\"ClaimUsername\",\"requestId\":\"x\"}".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, (byte) 0xff, 0x13});
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : garbage) {
        producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), key, value));
      }
      producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), key, null));
      producer.flush();
    }

    // same key, same partition, behind the garbage: must still be decided
    assertThat(Http.post(command + "/users", userJson(name)).status()).isEqualTo(201);

    List<ConsumerRecord<byte[], byte[]>> parked = deadLettersWithKey(key, garbage.size() + 1);
    assertThat(parked).hasSize(garbage.size() + 1);
    assertThat(parked.get(0).value()).isEqualTo(garbage.get(0));
    assertThat(parked).allSatisfy(r -> {
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_REASON))).isNotBlank();
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_TOPIC))).isEqualTo(Topics.USER_COMMANDS.name());
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_OFFSET))).matches("\\d+");
    });
  }

  private static List<ConsumerRecord<byte[], byte[]>> deadLettersWithKey(byte[] key, int expected) {
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(Topics.DEAD_LETTERS.name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (found.size() < expected && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (java.util.Arrays.equals(record.key(), key)) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }
}
