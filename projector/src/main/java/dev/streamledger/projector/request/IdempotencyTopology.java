package dev.streamledger.projector.request;

import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.problem.ProblemTypes;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.topic.DeadLetters;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.system.CommandProcessor;
import dev.streamledger.projector.system.Sinks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory of idempotency keys: a command sent with a key takes effect once, and every use of
 * the key gets one answer.
 *
 * <ul>
 *   <li>in: {@link Topics#IDEMPOTENT_COMMANDS} — request id → {@link IdempotentCommand}, as raw bytes;</li>
 *   <li>in: {@link Topics#OUTCOMES} — request id → outcome: the outcomes of keyed requests are
 *       remembered with their key;</li>
 *   <li>out: {@link Topics#USER_COMMANDS} / {@link Topics#ACCOUNT_COMMANDS} — the command, the
 *       first time its key is used;</li>
 *   <li>out: {@link Topics#OUTCOMES} — for a retry, the original outcome again, marked
 *       {@code replayed}; for a retry while the original is still undecided, an
 *       {@code idempotency-key-in-use} rejection keyed to that attempt alone (the IETF draft's
 *       {@code 409}); for the key used with another request, an {@code idempotency-key-reused} rejection;</li>
 *   <li>out: {@link Topics#DEAD_LETTERS} — anything unreadable.</li>
 * </ul>
 *
 * Both inputs are partitioned by key id ({@link RequestIds#PARTITIONER}), so every use of a key
 * and every outcome of its request come to the one task that holds the key's memory, in log
 * order. Keys are remembered for {@link #KEY_RETENTION} of stream time: longer than the
 * projector remembers request ids, so a retry never reaches a stage that would silently drop it.
 */
public final class IdempotencyTopology {

  public static final String KEYS_STORE = "idempotency-keys";
  public static final Duration KEY_RETENTION = CommandProcessor.REQUEST_RETENTION.plusDays(1);

  private static final Logger log = LoggerFactory.getLogger(IdempotencyTopology.class);

  private static final String COMMANDS_SOURCE = "idempotent-commands";
  private static final String OUTCOMES_SOURCE = "outcomes-of-keyed-requests";
  private static final String USE_KEY = "use-idempotency-key";
  private static final String REMEMBER_OUTCOME = "remember-outcome";
  private static final String USER_COMMANDS_SINK = "keyed-user-commands";
  private static final String ACCOUNT_COMMANDS_SINK = "keyed-account-commands";
  private static final String OUTCOMES_SINK = "keyed-outcomes";
  private static final String DEAD_LETTER_SINK = "idempotent-command-dead-letters";

  private IdempotencyTopology() {}

  public static Topology addTo(Topology topology, Authenticity authenticity) {
    topology
        .addSource(COMMANDS_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.IDEMPOTENT_COMMANDS.name())
        .addSource(OUTCOMES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.OUTCOMES.name())
        .addProcessor(USE_KEY, () -> new UseKey(authenticity), COMMANDS_SOURCE)
        .addProcessor(REMEMBER_OUTCOME, RememberOutcome::new, OUTCOMES_SOURCE)
        .addStateStore(Stores.windowStoreBuilder(
            Stores.persistentWindowStore(KEYS_STORE, KEY_RETENTION, KEY_RETENTION, false),
            Serdes.String(), new JsonSerde<>(KeyMemory.class)), USE_KEY, REMEMBER_OUTCOME);
    // the command passed on is sealed: its credential was checked here, against its arrival
    Sinks.sealed(topology, USER_COMMANDS_SINK, Topics.USER_COMMANDS, authenticity, USE_KEY);
    Sinks.sealed(topology, ACCOUNT_COMMANDS_SINK, Topics.ACCOUNT_COMMANDS, authenticity, USE_KEY);
    Sinks.add(topology, OUTCOMES_SINK, Topics.OUTCOMES, USE_KEY, REMEMBER_OUTCOME);
    return Sinks.add(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTERS, USE_KEY, REMEMBER_OUTCOME);
  }

  /** The keys store, read and written the same way by both processors. */
  private static final class Keys {

    private final WindowStore<String, KeyMemory> store;

    Keys(WindowStore<String, KeyMemory> store) {
      this.store = store;
    }

    /** The memory of {@code keyId}, with the time it was first used. */
    Optional<KeyValue<Long, KeyMemory>> find(String keyId, long now) {
      long retention = KEY_RETENTION.toMillis();
      KeyValue<Long, KeyMemory> newest = null;
      try (var found = store.fetch(keyId, Math.max(0, now - retention), now + retention)) {
        while (found.hasNext()) {
          newest = found.next();
        }
      }
      return Optional.ofNullable(newest);
    }

    void put(String keyId, KeyMemory memory, long firstUsed) {
      store.put(keyId, memory, firstUsed);
    }
  }

  /** Decides each use of a key: pass the command on, answer again, or refuse. */
  private static final class UseKey extends CommandProcessor<IdempotentCommand> {

    private Keys keys;

    UseKey(Authenticity authenticity) {
      super(USE_KEY, Topics.IDEMPOTENT_COMMANDS, DEAD_LETTER_SINK, IdempotentCommand::requestId,
          command -> command.userCommand() != null ? command.userCommand().credential()
              : command.accountCommand().credential(), authenticity);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      super.init(context);
      keys = new Keys(context.getStateStore(KEYS_STORE));
    }

    @Override
    protected void decide(String requestId, IdempotentCommand command, Optional<Principal> sender, long timestamp) {
      String keyId = command.keyId();
      Optional<KeyValue<Long, KeyMemory>> remembered = keys.find(keyId, timestamp);
      if (remembered.isEmpty()) {
        keys.put(keyId, KeyMemory.firstUse(requestId), timestamp);
        if (command.userCommand() != null) {
          forward(command.userCommand().username(), command.userCommand(), timestamp, USER_COMMANDS_SINK);
        } else {
          forward(command.accountCommand().accountId(), command.accountCommand(), timestamp, ACCOUNT_COMMANDS_SINK);
        }
        return;
      }
      KeyMemory memory = remembered.get().value;
      if (!memory.requestId().equals(requestId)) {
        forward(requestId, Outcome.rejected(requestId, ProblemTypes.IDEMPOTENCY_KEY_REUSED, null,
            "this Idempotency-Key was already used for a different request; use a new key for a new request",
            Map.of("firstUsedAt", Instant.ofEpochMilli(remembered.get().key).toString()),
            Instant.ofEpochMilli(timestamp)), timestamp, OUTCOMES_SINK);
      } else if (memory.decided()) {
        forward(requestId, memory.outcome().asReplay(), timestamp, OUTCOMES_SINK);
      } else if (command.attemptOutcomeKey().isPresent()) {
        // IETF draft: a retry while the original request is still being processed is a 409
        forward(command.attemptOutcomeKey().get(), IdempotentCommand.keyInUse(requestId, Instant.ofEpochMilli(timestamp)),
            timestamp, OUTCOMES_SINK);
      } else if (!memory.retryWaiting()) {
        // a retry of schema version 1 (no attempt) waits for the original's outcome, as it used to
        keys.put(keyId, memory.withRetryWaiting(), remembered.get().key);
      }
    }
  }

  /** Keeps the outcome of each keyed request with its key, and answers retries that waited for it. */
  private static final class RememberOutcome implements Processor<byte[], byte[], Object, Object> {

    private ProcessorContext<Object, Object> context;
    private Keys keys;

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      this.context = context;
      keys = new Keys(context.getStateStore(KEYS_STORE));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.key() == null) {
        return; // not an outcome of a keyed request; the query service's view deals with it
      }
      String requestId = new String(record.key(), StandardCharsets.UTF_8);
      Optional<String> keyId = RequestIds.keyIdOf(requestId);
      if (keyId.isEmpty()) {
        return;
      }
      Optional<KeyValue<Long, KeyMemory>> remembered = keys.find(keyId.get(), record.timestamp());
      if (remembered.isEmpty() || !remembered.get().value.requestId().equals(requestId)
          || remembered.get().value.decided()) {
        return; // a rejection of another request with the key, or an answer given again
      }
      Outcome outcome;
      try {
        outcome = Topics.OUTCOMES.valueSerde().deserializer().deserialize(Topics.OUTCOMES.name(), record.value());
      } catch (SerializationException e) {
        log.warn("dead-lettering an unreadable outcome of request {}: {}", requestId, e.getMessage());
        context.forward(DeadLetters.of(record, context.recordMetadata().orElse(null), REMEMBER_OUTCOME,
            e.getMessage()), DEAD_LETTER_SINK);
        return;
      }
      KeyMemory memory = remembered.get().value;
      keys.put(keyId.get(), memory.decided(outcome), remembered.get().key);
      if (memory.retryWaiting()) {
        context.forward(new Record<>(requestId, outcome.asReplay(), record.timestamp()), OUTCOMES_SINK);
      }
    }
  }
}
