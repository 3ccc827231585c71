package dev.streamledger.command.outcome;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes a command and waits, bounded, for the outcome of that very request.
 *
 * <p>The future completes with the outcome, with {@link Optional#empty()} when none arrived
 * within the wait (the command is in the log and will still be decided), or exceptionally when
 * the command could not be written to Kafka at all.
 */
public class CommandGateway {

  private final Producer<String, byte[]> producer;
  private final OutcomeListener outcomes;
  private final Timer written;
  private final Timer decided;
  private final Counter undecided;

  /**
   * Measures the two halves of a command's round trip: {@code streamledger.command.write}
   * (send until Kafka acknowledged it) and {@code streamledger.command.outcome} (acknowledged
   * until its outcome arrived), plus {@code streamledger.command.undecided} (answered {@code 202}).
   */
  public CommandGateway(Producer<String, byte[]> producer, OutcomeListener outcomes, MeterRegistry meters) {
    this.producer = producer;
    this.outcomes = outcomes;
    this.written = Timer.builder("streamledger.command.write").publishPercentiles(0.5, 0.99)
        .description("send of a command until Kafka acknowledged it").register(meters);
    this.decided = Timer.builder("streamledger.command.outcome").publishPercentiles(0.5, 0.99)
        .description("acknowledged command until its outcome arrived").register(meters);
    this.undecided = Counter.builder("streamledger.command.undecided")
        .description("commands answered 202 because no outcome arrived in time").register(meters);
  }

  public <C> CompletableFuture<Optional<Outcome>> submit(Topic<String, C> topic, String key, C command,
      String requestId, Duration wait) {
    CompletableFuture<Outcome> outcome = outcomes.expect(requestId);
    byte[] value = topic.valueSerde().serializer().serialize(topic.name(), command);
    var headers = new RecordHeaders().add(Headers.REQUEST_ID, Headers.utf8(requestId));
    var record = new ProducerRecord<>(topic.name(), null, key, value, headers);
    CompletableFuture<Long> acknowledged = new CompletableFuture<>();
    long sent = System.nanoTime();
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        acknowledged.completeExceptionally(new CommandNotWrittenException(error));
      } else {
        long now = System.nanoTime();
        written.record(now - sent, TimeUnit.NANOSECONDS);
        acknowledged.complete(now);
      }
    });
    return acknowledged
        .thenCompose(ackedAt -> outcome
            .thenApply(decision -> {
              decided.record(System.nanoTime() - ackedAt, TimeUnit.NANOSECONDS);
              return Optional.of(decision);
            })
            .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete((result, error) -> {
          if (result == null || result.isEmpty()) {
            outcomes.forget(requestId);
            if (result != null) {
              undecided.increment();
            }
          }
        });
  }

  /** The command is not in the log: nothing happened, and the client may safely retry. */
  public static final class CommandNotWrittenException extends RuntimeException {
    CommandNotWrittenException(Throwable cause) {
      super("the command could not be written to Kafka: " + cause.getMessage(), cause);
    }
  }
}
