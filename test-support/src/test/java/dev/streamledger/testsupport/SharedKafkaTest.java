package dev.streamledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SharedKafkaTest {

  @Test
  void shouldBeOneBrokerThatRunsTransactionsAndInventsNoTopics() throws Exception {
    String servers = SharedKafka.bootstrapServers();
    assertThat(SharedKafka.bootstrapServers()).isSameAs(servers);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      admin.createTopics(List.of(new NewTopic("shared-kafka-test", 1, (short) 1))).all().get();
      assertThat(admin.describeCluster().nodes().get()).hasSize(1);
    }
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "shared-kafka-test",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000), new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("shared-kafka-test", "k", "v")).get();
      producer.commitTransaction();
      producer.beginTransaction();
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("no-such-topic", "k", "v")).get())
          .isInstanceOf(ExecutionException.class);
      producer.abortTransaction();
    }
  }
}
