package dev.streamledger.contract.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void shouldNameTheSameKeyTheSameWayForOneClientOnlyAsAUuid() {
    String keyId = RequestIds.keyId("client-1", "k");
    assertThat(RequestIds.keyId("client-1", "k")).isEqualTo(keyId);
    assertThat(RequestIds.keyId("client-2", "k")).isNotEqualTo(keyId);
    assertThat(RequestIds.keyId("client-1k", "")).isNotEqualTo(RequestIds.keyId("client-1", "k"));
    assertThat(UUID.fromString(keyId).version()).isEqualTo(8);
  }

  @Test
  void shouldFingerprintEveryPartInOrder() {
    assertThat(RequestIds.fingerprint(List.of("POST", "/a", "1"))).hasSize(32)
        .isEqualTo(RequestIds.fingerprint(List.of("POST", "/a", "1")))
        .isNotEqualTo(RequestIds.fingerprint(List.of("POST", "/a", "2")))
        .isNotEqualTo(RequestIds.fingerprint(List.of("POST", "/a1", "")));
  }

  @Test
  void shouldPartitionEveryRequestOfOneKeyWithTheKeyAndOtherIdsAsKafkaDoes() {
    IntStream.range(0, 200).forEach(i -> {
      String keyId = RequestIds.keyId("client", "key-" + i);
      int keyPartition = partitionByKafka(keyId);
      assertThat(Topics.OUTCOMES.partitionOf(RequestIds.keyed(keyId, "f1"), KafkaSettings.DEFAULT_PARTITIONS)).isEqualTo(keyPartition);
      assertThat(Topics.IDEMPOTENT_COMMANDS.partitionOf(RequestIds.keyed(keyId, "f2"), KafkaSettings.DEFAULT_PARTITIONS))
          .isEqualTo(keyPartition);
      String random = RequestIds.random();
      assertThat(Topics.OUTCOMES.partitionOf(random, KafkaSettings.DEFAULT_PARTITIONS)).isEqualTo(partitionByKafka(random));
      assertThat(Topics.ACCOUNT_COMMANDS.partitionOf(random, KafkaSettings.DEFAULT_PARTITIONS)).isEqualTo(partitionByKafka(random));
    });
  }

  @Test
  void shouldTellKeyedRequestIdsFromOthers() {
    String keyId = RequestIds.keyId("client", "k");
    assertThat(RequestIds.keyIdOf(RequestIds.keyed(keyId, "f"))).contains(keyId);
    assertThat(RequestIds.keyIdOf(RequestIds.random())).isEmpty();
    assertThat(RequestIds.isWellFormed(RequestIds.keyed(keyId, "f"))).isTrue();
    assertThat(RequestIds.isWellFormed("a/b")).isFalse();
  }

  private static int partitionByKafka(String key) {
    return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), KafkaSettings.DEFAULT_PARTITIONS);
  }
}
