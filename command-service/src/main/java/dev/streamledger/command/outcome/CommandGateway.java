package dev.streamledger.command.outcome;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topic;
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

  public CommandGateway(Producer<String, byte[]> producer, OutcomeListener outcomes) {
    this.producer = producer;
    this.outcomes = outcomes;
  }

  public <C> CompletableFuture<Optional<Outcome>> submit(Topic<String, C> topic, String key, C command,
      String requestId, Duration wait) {
    CompletableFuture<Outcome> outcome = outcomes.expect(requestId);
    byte[] value = topic.valueSerde().serializer().serialize(topic.name(), command);
    var headers = new RecordHeaders().add(Headers.REQUEST_ID, Headers.utf8(requestId));
    var record = new ProducerRecord<>(topic.name(), null, key, value, headers);
    CompletableFuture<Void> written = new CompletableFuture<>();
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        written.completeExceptionally(new CommandNotWrittenException(error));
      } else {
        written.complete(null);
      }
    });
    return written
        .thenCompose(ignored -> outcome.thenApply(Optional::of)
            .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete((result, error) -> {
          if (result == null || result.isEmpty()) {
            outcomes.forget(requestId);
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
