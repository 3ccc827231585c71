package dev.streamledger.testsupport;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one Kafka broker of a test JVM, started on first use and shared by every test class.
 *
 * <p>By default a real KRaft broker runs in-process (from the Kafka jars on the test classpath):
 * no Docker, starts in about two seconds. With {@code -Dstreamledger.test.kafka=testcontainers}
 * (or {@code STREAMLEDGER_TEST_KAFKA=testcontainers}) the broker is the official Apache Kafka
 * image under Testcontainers instead; where no Docker engine answers, that choice is logged and
 * the in-process broker is used, so the switch never breaks a build.
 */
public final class SharedKafka {

  private static final Logger log = LoggerFactory.getLogger(SharedKafka.class);

  public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

  /**
   * Broker settings for a single broker that must still run exactly-once transactions and
   * never invent topics: everything Streamledger uses is declared in the topic registry.
   */
  public static final Map<String, String> BROKER_PROPERTIES = Map.of(
      "auto.create.topics.enable", "false",
      "offsets.topic.replication.factor", "1",
      "transaction.state.log.replication.factor", "1",
      "transaction.state.log.min.isr", "1",
      "share.coordinator.state.topic.replication.factor", "1",
      "share.coordinator.state.topic.min.isr", "1",
      "group.initial.rebalance.delay.ms", "0");

  private static String bootstrapServers;

  private SharedKafka() {}

  /** Starts the broker on first call; the same address for the rest of the JVM's life. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = useTestcontainers(choice(), SharedKafka::dockerAvailable) ? startContainer() : startInProcess();
    }
    return bootstrapServers;
  }

  static String choice() {
    return System.getProperty("streamledger.test.kafka", System.getenv("STREAMLEDGER_TEST_KAFKA"));
  }

  /** Testcontainers only when asked for and a Docker engine answers; the in-process broker otherwise. */
  static boolean useTestcontainers(String choice, java.util.function.BooleanSupplier dockerAvailable) {
    return "testcontainers".equalsIgnoreCase(choice) && dockerAvailable.getAsBoolean();
  }

  static boolean dockerAvailable() {
    try {
      if (DockerClientFactory.instance().isDockerAvailable()) {
        return true;
      }
    } catch (RuntimeException | LinkageError e) {
      log.debug("docker check failed", e);
    }
    log.warn("Testcontainers Kafka was asked for but no Docker engine answers: using the in-process broker");
    return false;
  }

  private static String startInProcess() {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperties(BROKER_PROPERTIES);
    broker.afterPropertiesSet();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "shared-kafka-stop"));
    log.info("in-process KRaft broker at {}", broker.getBrokersAsString());
    return broker.getBrokersAsString();
  }

  @SuppressWarnings("resource") // stopped by the shutdown hook
  private static String startContainer() {
    KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
    BROKER_PROPERTIES.forEach((key, value) ->
        kafka.withEnv("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
    kafka.start();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "shared-kafka-stop"));
    log.info("Testcontainers Kafka at {}", kafka.getBootstrapServers());
    return kafka.getBootstrapServers();
  }
}
