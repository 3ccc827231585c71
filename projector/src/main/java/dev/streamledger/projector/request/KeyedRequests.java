package dev.streamledger.projector.request;

import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * A memory of idempotency keys, and the rules for each use of a key: the first use is decided,
 * a retry of the same request gets the original outcome again (marked {@code replayed}), a retry
 * while the original is undecided gets {@code idempotency-key-in-use} (the IETF draft's
 * {@code 409}, addressed to that attempt alone), and the key used for another request gets
 * {@code idempotency-key-reused}.
 *
 * <p>Two places keep one: each account's task, for the commands clients send about the account
 * (every retry of such a request goes to the same account, so the key is checked in the same
 * step and the same exactly-once commit as the command is decided — one commit between request
 * and answer); and the {@link IdempotencyTopology}, keyed by key id, for user commands (whose
 * answers may come from another partition). Each key is remembered within a <em>scope</em>: the
 * account a command is about, or none for the global memory. A key used again for another
 * account is therefore a new request there (as event stores scope idempotency per stream),
 * wherever the two accounts' partitions happen to be. Keys are remembered for {@link #KEY_RETENTION} of
 * stream time: longer than the projector remembers request ids, so a retry never reaches a stage
 * that would silently drop it.
 */
public final class KeyedRequests {

  public static final Duration KEY_RETENTION = CommandProcessor.REQUEST_RETENTION.plusDays(1);

  private final WindowStore<String, KeyMemory> store;

  public KeyedRequests(WindowStore<String, KeyMemory> store) {
    this.store = store;
  }

  /** The store a memory of keys needs. */
  public static StoreBuilder<WindowStore<String, KeyMemory>> store(String name) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, KEY_RETENTION, KEY_RETENTION, false),
        Serdes.String(), new JsonSerde<>(KeyMemory.class));
  }

  /** Whether {@code requestId} was made from an idempotency key. */
  public static boolean isKeyed(String requestId) {
    return RequestIds.keyIdOf(requestId).isPresent();
  }

  /** What one use of a key gets. */
  public sealed interface Use {
    /** The key's first use: decide the request, then remember it ({@link #firstUse}). */
    record Decide() implements Use {}

    /** Publish this answer instead, under {@code key} on the outcomes topic. */
    record Answer(String key, Outcome outcome) implements Use {}

    /** Nothing now: a retry that names no attempt is answered when the original's outcome is known. */
    record Wait() implements Use {}
  }

  /**
   * What a use of the key of {@code requestId} in {@code scope} gets. Writes the memory only to note a retry that
   * waits.
   *
   * @param attemptOutcomeKey where an answer to this attempt alone goes; empty for senders that
   *     name no attempt
   */
  public Use use(String scope, String requestId, Optional<String> attemptOutcomeKey, long timestamp) {
    String keyId = scoped(scope, RequestIds.keyIdOf(requestId).orElseThrow());
    Optional<KeyValue<Long, KeyMemory>> remembered = find(keyId, timestamp);
    if (remembered.isEmpty()) {
      return new Use.Decide();
    }
    KeyMemory memory = remembered.get().value;
    if (!memory.requestId().equals(requestId)) {
      return new Use.Answer(requestId, Outcome.rejected(requestId, Rejection.IDEMPOTENCY_KEY_REUSED, null,
          "this Idempotency-Key was already used for a different request; use a new key for a new request",
          new OutcomeData.KeyReused(Instant.ofEpochMilli(remembered.get().key)),
          Instant.ofEpochMilli(timestamp)));
    }
    if (memory.decided()) {
      return new Use.Answer(requestId, memory.outcome().asReplay());
    }
    if (attemptOutcomeKey.isPresent()) {
      // IETF draft: a retry while the original request is still being processed is a 409
      return new Use.Answer(attemptOutcomeKey.get(), IdempotentCommand.keyInUse(requestId,
          Instant.ofEpochMilli(timestamp)));
    }
    if (!memory.retryWaiting()) {
      store.put(keyId, memory.withRetryWaiting(), remembered.get().key);
    }
    return new Use.Wait();
  }

  /**
   * Remembers that {@code requestId}, the first use of its key in {@code scope}, was decided now:
   * with its outcome if that was given in the same step (one write), else as undecided.
   */
  public void firstUse(String scope, String requestId, Optional<Outcome> outcome, long timestamp) {
    KeyMemory first = KeyMemory.firstUse(requestId);
    store.put(scoped(scope, RequestIds.keyIdOf(requestId).orElseThrow()), outcome.map(first::decided).orElse(first),
        timestamp);
  }

  /**
   * Remembers {@code outcome} with the key its request was made with, if this memory holds that
   * key in {@code scope} for that request and it is still undecided. Returns the outcome to publish again, for a
   * retry that came while it was undecided and named no attempt.
   */
  public Optional<Outcome> answered(String scope, Outcome outcome, long timestamp) {
    return awaiting(scope, outcome.requestId(), timestamp).flatMap(waiting -> answered(waiting, outcome));
  }

  /**
   * Remembers {@code outcome} under the key {@code waiting} found, without reading the store
   * again; the replay for a retry that came meanwhile, as {@link #answered(String, Outcome, long)}.
   */
  public Optional<Outcome> answered(Waiting waiting, Outcome outcome) {
    store.put(waiting.storeKey(), waiting.memory().decided(outcome), waiting.firstUsed());
    return waiting.memory().retryWaiting() ? Optional.of(outcome.asReplay()) : Optional.empty();
  }

  /** A key's memory found waiting for its request's outcome: where it is stored, and what it holds. */
  public record Waiting(String storeKey, long firstUsed, KeyMemory memory) {}

  /**
   * The memory of {@code requestId}'s key in {@code scope}, if it holds that key for this request
   * and is still undecided (not: an unkeyed request, another request with the key, or an answer
   * given again).
   */
  public Optional<Waiting> awaiting(String scope, String requestId, long timestamp) {
    return RequestIds.keyIdOf(requestId).map(keyId -> scoped(scope, keyId))
        .flatMap(storeKey -> find(storeKey, timestamp)
            .filter(remembered -> remembered.value.requestId().equals(requestId) && !remembered.value.decided())
            .map(remembered -> new Waiting(storeKey, remembered.key, remembered.value)));
  }

  /** The store key of a key id within {@code scope} (none: empty). */
  private static String scoped(String scope, String keyId) {
    return scope.isEmpty() ? keyId : scope + ' ' + keyId;
  }

  /** The memory of {@code keyId}, with the time it was first used. */
  private Optional<KeyValue<Long, KeyMemory>> find(String keyId, long now) {
    long retention = KEY_RETENTION.toMillis();
    KeyValue<Long, KeyMemory> newest = null;
    try (var found = store.fetch(keyId, Math.max(0, now - retention), now + retention)) {
      while (found.hasNext()) {
        newest = found.next();
      }
    }
    return Optional.ofNullable(newest);
  }
}
