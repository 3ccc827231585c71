package dev.streamledger.command.outcome;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.runtime.KafkaLifecycle;
import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Delivers each outcome to the request waiting for it in this instance.
 *
 * <p>Every command-service instance reads <em>all</em> partitions of the outcomes topic from
 * the end (no consumer group, nothing committed) and completes the futures of its own pending
 * request ids; other instances' outcomes are skipped. That costs each instance the whole
 * outcome stream, which is small, and needs no routing: any number of instances can run,
 * start and stop without coordinating. It reads {@code read_committed}, so an outcome is seen
 * only once the projector's transaction that wrote it — with its events — has committed, and
 * only if it carries the projector's seal for the command service: whoever can write the outcomes
 * topic without the projector's keys cannot answer a client.
 *
 * <p>Not a Spring for Apache Kafka listener container: a container brings group management,
 * offset commits and retries, which this consumer must not have (docs/design.md).
 */
public class OutcomeListener implements SmartLifecycle, HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(OutcomeListener.class);

  private final KafkaSettings kafka;
  private final Seal seal;
  private final Counter unsealed;
  /** The outcome futures of this instance's waiting requests, by outcome key. */
  private final Map<String, CompletableFuture<Outcome>> pending = new ConcurrentHashMap<>();

  private final MeterRegistry meters;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile KafkaClientMetrics clientMetrics;
  private volatile Thread thread;
  private volatile boolean ready;
  private volatile boolean running;

  /**
   * @param seal the projector's seal for the command service, which an outcome must carry
   * @param meters where the consumer's metrics go ({@code kafka.consumer.*}, its lag among them),
   *     and the count of outcomes refused for want of the seal ({@code streamledger.command.unsealed-outcomes})
   */
  public OutcomeListener(KafkaSettings kafka, Seal seal, MeterRegistry meters) {
    this.kafka = kafka;
    this.seal = seal;
    this.meters = meters;
    this.unsealed = meters.counter("streamledger.command.unsealed-outcomes");
  }

  /**
   * Registers interest in {@code requestId}, and in {@code alsoKeys} (outcome keys of answers
   * meant for this attempt alone); call before the command is sent. Empty when this instance
   * already waits for {@code requestId}: the same request, sent again with its Idempotency-Key
   * before the first got its answer.
   */
  public Optional<CompletableFuture<Outcome>> expect(String requestId, String... alsoKeys) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    if (pending.putIfAbsent(requestId, outcome) != null) {
      return Optional.empty();
    }
    for (String key : alsoKeys) {
      pending.put(key, outcome);
    }
    return Optional.of(outcome);
  }

  /** The wait for these outcome keys ended (answered, or given up); later outcomes for them are skipped. */
  public void forget(String... keys) {
    for (String key : keys) {
      pending.remove(key);
    }
  }

  public int pendingCount() {
    return pending.size();
  }

  @Override
  public synchronized void start() {
    Map<String, Object> config = kafka.connection();
    config.putAll(Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500, // answered as soon as an outcome is readable
        ConsumerConfig.CLIENT_ID_CONFIG, "command-service-outcomes-" + ProcessHandle.current().pid()));
    KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = created.partitionsFor(Topics.OUTCOMES.name(), Duration.ofSeconds(60)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
    created.assign(partitions);
    created.seekToEnd(partitions);
    // resolve the end offsets now: an outcome written after this point cannot be missed
    partitions.forEach(created::position);
    consumer = created;
    KafkaClientMetrics metrics = new KafkaClientMetrics(created);
    metrics.bindTo(meters);
    clientMetrics = metrics;
    running = true;
    ready = true;
    thread = new Thread(this::pollLoop, "outcome-listener");
    thread.setDaemon(true);
    thread.start();
  }

  private void pollLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          received(record);
        }
      }
    } catch (WakeupException e) {
      // stop() woke us up
    } catch (RuntimeException e) {
      log.error("outcome listener failed; this instance can no longer answer with outcomes", e);
    } finally {
      ready = false;
      clientMetrics.close();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Completes the wait for {@code record}'s key, if this instance has one and the projector sealed it. */
  void received(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null || !pending.containsKey(record.key())) {
      return;
    }
    if (!seal.holds(record.topic(), record.key().getBytes(StandardCharsets.UTF_8), record.value(), record.headers())) {
      unsealed.increment();
      log.warn("ignoring an outcome for request {} at {}-{}@{} without the projector's seal (forged, or tampered with)",
          record.key(), record.topic(), record.partition(), record.offset());
      return; // the request goes on waiting for the real one
    }
    CompletableFuture<Outcome> waiting = pending.remove(record.key());
    if (waiting != null) {
      deliver(record, waiting);
    }
  }

  private static void deliver(ConsumerRecord<String, byte[]> record, CompletableFuture<Outcome> waiting) {
    try {
      waiting.complete(Topics.OUTCOMES.valueSerde().deserializer().deserialize(record.topic(), record.value()));
    } catch (SerializationException e) {
      log.error("unreadable outcome for request {} at {}-{}@{}", record.key(), record.topic(), record.partition(),
          record.offset(), e);
      waiting.completeExceptionally(e);
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    Thread poller = thread;
    if (poller != null) {
      try {
        poller.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    thread = null;
    consumer = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stopped only after the web server has answered its last request ({@link KafkaLifecycle}). */
  @Override
  public int getPhase() {
    return KafkaLifecycle.PHASE;
  }

  @Override
  public Health health() {
    boolean alive = ready && thread != null && thread.isAlive();
    return (alive ? Health.up() : Health.down()).withDetail("pendingRequests", pending.size()).build();
  }
}
