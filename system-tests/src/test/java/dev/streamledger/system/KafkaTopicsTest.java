package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.testsupport.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi {@code KafkaTopic}s in {@code k8s/base/kafka-topics.yaml} are the topics the code
 * declares ({@link Topics#ALL}: names, partition counts, retention and timestamp settings), with
 * three replicas and {@code min.insync.replicas=2}. The file is generated from the declarations;
 * after changing a topic, regenerate it with
 * {@code ./mvnw test -pl system-tests -am -Dtest=KafkaTopicsTest -Dsurefire.failIfNoSpecifiedTests=false -Dk8s.update=true}.
 */
class KafkaTopicsTest {

  static final int REPLICAS = 3;
  static final int MIN_INSYNC_REPLICAS = 2;

  @Test
  void shouldDeclareEveryTopicOfTheCodeForTheTopicOperator() throws IOException {
    String generated = manifest();
    Path committed = Repository.root().resolve("k8s/base/kafka-topics.yaml");
    if (Boolean.getBoolean("k8s.update")) {
      Files.writeString(committed, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(committed, StandardCharsets.UTF_8))
        .as("k8s/base/kafka-topics.yaml is what Topics.java declares (see this test's javadoc to update it)")
        .isEqualTo(generated);
  }

  private static String manifest() {
    StringBuilder yaml = new StringBuilder("""
        # The topics of Streamledger, for Strimzi's Topic Operator on the cluster "streamledger":
        # generated from Topics.java by KafkaTopicsTest (do not edit by hand). Three replicas, and a
        # write is acknowledged (acks=all) only once two of them have it. Commands, events and the
        # directory keep their full history; outcomes and dead letters expire.
        """);
    for (Topic<?, ?> topic : Topics.ALL) {
      Map<String, String> config = new TreeMap<>(topic.configs());
      config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(MIN_INSYNC_REPLICAS));
      yaml.append("---\n")
          .append("apiVersion: kafka.strimzi.io/v1\n")
          .append("kind: KafkaTopic\n")
          .append("metadata:\n")
          .append("  name: ").append(topic.name()).append('\n')
          .append("  labels:\n")
          .append("    strimzi.io/cluster: streamledger\n")
          .append("    app.kubernetes.io/part-of: streamledger\n")
          .append("spec:\n")
          .append("  topicName: ").append(topic.name()).append('\n')
          .append("  partitions: ").append(topic.partitions(KafkaSettings.DEFAULT_PARTITIONS)).append('\n')
          .append("  replicas: ").append(REPLICAS).append('\n')
          .append("  config:\n");
      config.forEach((name, value) -> yaml.append("    ").append(name).append(": \"").append(value).append("\"\n"));
    }
    return yaml.toString();
  }
}
