package dev.streamledger.contract.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How every service reaches Kafka ({@code streamledger.kafka.*}; environment variables such as
 * {@code STREAMLEDGER_KAFKA_BOOTSTRAP_SERVERS} override them).
 *
 * @param replicationFactor of the topics we create and of Streams' internal topics
 * @param minInsyncReplicas of the topics we create; with {@code acks=all} a write is
 *     acknowledged only once this many replicas have it
 */
@ConfigurationProperties("streamledger.kafka")
public record KafkaSettings(String bootstrapServers, short replicationFactor, int minInsyncReplicas) {

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      bootstrapServers = "127.0.0.1:9092";
    }
    if (replicationFactor < 1) {
      replicationFactor = 1;
    }
    if (minInsyncReplicas < 1) {
      minInsyncReplicas = 1;
    }
  }
}
