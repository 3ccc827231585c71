package dev.streamledger.contract.runtime;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How every service reaches Kafka ({@code streamledger.kafka.*}; environment variables such as
 * {@code STREAMLEDGER_KAFKA_BOOTSTRAP_SERVERS} override them). Not Spring Boot's
 * {@code spring.kafka.*}: besides the connection it holds the topic policy (partitions,
 * replication, {@code min.insync.replicas}) those properties have no place for, and every client
 * of a service — Streams, producer, consumer, admin — is built from this one record.
 *
 * @param replicationFactor of the topics we create and of Streams' internal topics
 * @param minInsyncReplicas of the topics we create; with {@code acks=all} a write is
 *     acknowledged only once this many replicas have it
 * @param partitions of the keyed topics we create ({@link #DEFAULT_PARTITIONS} unless set): the
 *     most projector or query-service instances that can share the work. Chosen once, when the
 *     topics are created: a key's partition follows from the count, and the state kept for a key
 *     (its account, its username) lives with its partition, so the count of existing topics is
 *     never changed, and a different setting later only earns a warning
 * @param client how every Kafka client of the service connects, beyond the address: the
 *     broker's security settings, e.g. {@code security.protocol=SASL_SSL},
 *     {@code sasl.mechanism=SCRAM-SHA-512}, {@code sasl.jaas.config=...},
 *     {@code ssl.truststore.location=...} ({@code streamledger.kafka.client.[security.protocol]},
 *     or {@code STREAMLEDGER_KAFKA_CLIENT_SECURITY_PROTOCOL}); Kafka never logs the password-typed
 *     ones
 */
@ConfigurationProperties("streamledger.kafka")
public record KafkaSettings(String bootstrapServers, short replicationFactor, int minInsyncReplicas,
    int partitions, Map<String, String> client) {

  /**
   * Partitions of the keyed topics unless set: room for six instances of each service. On one
   * small machine fewer are cheaper (every partition a transaction touches costs the broker a
   * marker per commit): {@code bin/local-stack} creates as many as the instances it starts.
   */
  public static final int DEFAULT_PARTITIONS = 6;

  public KafkaSettings {
    client = client == null ? Map.of() : Map.copyOf(client);
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      bootstrapServers = "127.0.0.1:9092";
    }
    if (replicationFactor < 1) {
      replicationFactor = 1;
    }
    if (minInsyncReplicas < 1) {
      minInsyncReplicas = 1;
    }
    if (partitions < 1) {
      partitions = DEFAULT_PARTITIONS;
    }
  }

  /** What every client of the service is configured with first: the address and the {@link #client} settings. */
  public Map<String, Object> connection() {
    Map<String, Object> connection = new HashMap<>(client);
    connection.put("bootstrap.servers", bootstrapServers);
    return connection;
  }
}
