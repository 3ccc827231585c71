package dev.streamledger.command.outcome;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.trace.TraceParent;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.web.RequestTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes a command and waits, bounded, for the outcome of that very request. Every record
 * goes to the partition its topic's partitioner names.
 *
 * <p>The future completes with the outcome, with {@link Optional#empty()} when none arrived
 * within the wait (the command is in the log and will still be decided), or exceptionally when
 * the command could not be written to Kafka at all.
 */
public class CommandGateway {

  private static final Logger log = LoggerFactory.getLogger(CommandGateway.class);

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

  /**
   * Publishes a user command to the partition of its username — or, when it was made with an
   * idempotency key, to the projector's memory of keys, which passes it on once (a user
   * command's answer may come from another partition, so its key is not kept with the username).
   */
  public CompletableFuture<Optional<Outcome>> submit(UserCommand command, String idempotencyKey, Duration wait) {
    if (!isKeyed(command.requestId())) {
      return submit(Topics.USER_COMMANDS, command.username(), command, command.requestId(), null, null, wait);
    }
    String attempt = RequestIds.random();
    return submit(Topics.IDEMPOTENT_COMMANDS, command.requestId(), IdempotentCommand.of(command, attempt),
        command.requestId(), attempt, idempotencyKey, wait);
  }

  /**
   * Publishes an account command to its account's partition. One made with an idempotency key
   * names this attempt ({@link Headers#ATTEMPT}): the account's task remembers the key, and
   * answers a retry itself.
   */
  public CompletableFuture<Optional<Outcome>> submit(AccountCommand command, String idempotencyKey, Duration wait) {
    String attempt = isKeyed(command.requestId()) ? RequestIds.random() : null;
    return submit(Topics.ACCOUNT_COMMANDS, command.accountId(), command, command.requestId(), attempt,
        attempt == null ? null : idempotencyKey, wait);
  }

  private static boolean isKeyed(String requestId) {
    return RequestIds.keyIdOf(requestId).isPresent();
  }

  /**
   * @param attempt names this sending of a keyed request; null for a request without a key
   * @param idempotencyKey the key a keyed request id was made from ({@link Headers#IDEMPOTENCY_KEY})
   */
  private <C> CompletableFuture<Optional<Outcome>> submit(Topic<String, C> topic, String key, C command,
      String requestId, String attempt, String idempotencyKey, Duration wait) {
    // an answer meant for this attempt alone (the key still in use) comes under its own key
    String[] attemptKey = attempt == null ? new String[0] : new String[] {RequestIds.attemptKey(requestId, attempt)};
    Optional<CompletableFuture<Outcome>> expected = outcomes.expect(requestId, attemptKey);
    if (expected.isEmpty()) {
      // the same request is in flight from this instance: the IETF draft's 409, without a second send
      return CompletableFuture.completedFuture(Optional.of(IdempotentCommand.keyInUse(requestId, Instant.now())));
    }
    CompletableFuture<Outcome> outcome = expected.get();
    CompletableFuture<Long> acknowledged = new CompletableFuture<>();
    long sent = System.nanoTime();
    try {
      byte[] value = topic.valueSerde().serializer().serialize(topic.name(), command);
      MDC.put(TraceParent.REQUEST_ID, requestId);
      // the command is the next span of the HTTP request's trace; the projector carries it to the outcome
      TraceParent span = RequestTracing.current().map(TraceParent::child).orElseGet(TraceParent::root);
      var headers = new RecordHeaders()
          .add(Headers.REQUEST_ID, Headers.utf8(requestId))
          .add(TraceParent.HEADER, Headers.utf8(span.header()));
      if (attempt != null) {
        headers.add(Headers.ATTEMPT, Headers.utf8(attempt));
      }
      if (idempotencyKey != null) {
        headers.add(Headers.IDEMPOTENCY_KEY, Headers.utf8(idempotencyKey));
      }
      int partition = topic.partitionOf(key, producer.partitionsFor(topic.name()).size());
      var record = new ProducerRecord<>(topic.name(), partition, key, value, headers);
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          acknowledged.completeExceptionally(new CommandNotWrittenException(error));
        } else {
          long now = System.nanoTime();
          written.record(now - sent, TimeUnit.NANOSECONDS);
          acknowledged.complete(now);
        }
      });
    } catch (KafkaException e) {
      acknowledged.completeExceptionally(new CommandNotWrittenException(e));
    }
    return acknowledged
        .thenCompose(ackedAt -> outcome
            .thenApply(decision -> {
              decided.record(System.nanoTime() - ackedAt, TimeUnit.NANOSECONDS);
              return Optional.of(decision);
            })
            .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete((result, error) -> {
          outcomes.forget(requestId);
          outcomes.forget(attemptKey);
          if (result != null && result.isEmpty()) {
            undecided.increment();
            log.info("no outcome for request {} within {}; answered 202, it will still be decided", requestId, wait);
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
