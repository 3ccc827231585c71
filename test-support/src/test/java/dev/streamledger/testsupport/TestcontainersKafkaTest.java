package dev.streamledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;

/** The Testcontainers path itself; skipped (not failed) where no Docker engine answers, as on our machines. */
class TestcontainersKafkaTest {

  @Test
  void shouldStartTheOfficialKafkaImageWhereDockerExists() throws Exception {
    assumeTrue(SharedKafka.dockerAvailable(), "no Docker engine: the in-process broker is used instead");
    try (KafkaContainer kafka = new KafkaContainer(SharedKafka.KAFKA_IMAGE)) {
      kafka.start();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    }
  }
}
