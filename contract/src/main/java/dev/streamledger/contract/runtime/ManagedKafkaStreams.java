package dev.streamledger.contract.runtime;

import dev.streamledger.contract.runtime.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * One {@link KafkaStreams} instance bound to the Spring lifecycle: topics are ensured, then the
 * topology starts with the context and is closed cleanly (committing its transaction) when
 * the context stops. As a health indicator it is {@code UP} only while Streams is
 * {@code RUNNING}, so readiness drops during rebalances and restores.
 *
 * <p>Not Spring for Apache Kafka's {@code StreamsBuilderFactoryBean}: the topologies are
 * Processor API {@link Topology} objects, not a {@code StreamsBuilder}; the keyed topics'
 * partition count is read when they are provisioned, before Streams starts; and the stop comes in
 * {@link KafkaLifecycle#PHASE}, after the web server's graceful shutdown (docs/design.md).
 */
public class ManagedKafkaStreams implements SmartLifecycle, HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(ManagedKafkaStreams.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Topology topology;
  private final Properties config;
  private final KafkaSettings kafka;
  private final MeterRegistry meters;
  private volatile KafkaStreams streams;
  private volatile KafkaStreamsMetrics metrics;
  private volatile int partitions;

  /**
   * @param meters where the Streams, consumer and producer metrics go
   *     ({@code kafka.stream.thread.commit.latency.avg}, …)
   */
  public ManagedKafkaStreams(Topology topology, Properties config, KafkaSettings kafka, MeterRegistry meters) {
    this.topology = topology;
    this.config = config;
    this.kafka = kafka;
    this.meters = meters;
  }

  @Override
  public synchronized void start() {
    partitions = TopicProvisioner.ensure(kafka);
    KafkaStreams created = new KafkaStreams(topology, config);
    created.setUncaughtExceptionHandler(e -> {
      log.error("stream thread died, replacing it", e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    created.setStateListener((now, before) -> log.info("kafka streams {} -> {}", before, now));
    metrics = new KafkaStreamsMetrics(created);
    metrics.bindTo(meters);
    created.start();
    streams = created;
  }

  @Override
  public synchronized void stop() {
    KafkaStreams running = streams;
    if (running != null) {
      // leave the group on the way out, so the partitions move to the other instances (or to
      // this one restarted) at once instead of after the session timeout
      running.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
      streams = null;
      metrics.close();
    }
  }

  @Override
  public boolean isRunning() {
    return streams != null;
  }

  /** Before the web server takes requests, and closed only after it has answered the last one. */
  @Override
  public int getPhase() {
    return KafkaLifecycle.PHASE;
  }

  /** The running instance, for interactive queries; {@code null} before start and after stop. */
  public KafkaStreams streams() {
    return streams;
  }

  /** The partition count of the keyed topics, as found or created at start; 0 before start. */
  public int partitions() {
    return partitions;
  }

  public KafkaStreams.State state() {
    KafkaStreams running = streams;
    return running == null ? KafkaStreams.State.NOT_RUNNING : running.state();
  }

  @Override
  public Health health() {
    KafkaStreams.State state = state();
    Health.Builder health = state == KafkaStreams.State.RUNNING ? Health.up() : Health.down();
    return health.withDetail("state", state.name()).build();
  }
}
