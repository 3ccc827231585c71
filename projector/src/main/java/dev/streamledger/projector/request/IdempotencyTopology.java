package dev.streamledger.projector.request;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.topic.DeadLetters;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.system.Sinks;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory of idempotency keys of user commands, and of account commands sent by the
 * command-service versions that routed every keyed command through it (account commands are now
 * sent to their account, whose task remembers their keys itself: {@link KeyedRequests}).
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
 * Both inputs are partitioned by key id ({@link Topics#BY_KEY_ID}), so every use of a key
 * and every outcome of its request come to the one task that holds the key's memory, in log
 * order. A user command's answer may come from another partition than the one that decides it
 * (an account opening is answered where the account lives), which is why its key is kept here
 * and not with the username.
 */
public final class IdempotencyTopology {

  public static final String KEYS_STORE = "idempotency-keys";

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
        .addProcessor(REMEMBER_OUTCOME, () -> new RememberOutcome(authenticity), OUTCOMES_SOURCE)
        .addStateStore(KeyedRequests.store(KEYS_STORE), USE_KEY, REMEMBER_OUTCOME);
    // the command passed on is sealed: its credential was checked here, against its arrival
    Sinks.sealed(topology, USER_COMMANDS_SINK, Topics.USER_COMMANDS, authenticity, USE_KEY);
    Sinks.sealed(topology, ACCOUNT_COMMANDS_SINK, Topics.ACCOUNT_COMMANDS, authenticity, USE_KEY);
    Sinks.trusted(topology, OUTCOMES_SINK, Topics.OUTCOMES, authenticity, USE_KEY, REMEMBER_OUTCOME);
    return Sinks.add(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTERS, USE_KEY, REMEMBER_OUTCOME);
  }

  /** Passes the command on the first time its key is used; the memory of keys answers any other use. */
  private static final class UseKey extends CommandProcessor<IdempotentCommand> {

    UseKey(Authenticity authenticity) {
      super(USE_KEY, Topics.IDEMPOTENT_COMMANDS, DEAD_LETTER_SINK, IdempotentCommand::requestId,
          command -> command.userCommand() != null ? command.userCommand().credential()
              : command.accountCommand().credential(), authenticity);
      // one memory of each key, whatever the command is about
      rememberKeys(KEYS_STORE, IdempotentCommand::requestId, command -> "", OUTCOMES_SINK);
    }

    @Override
    protected Optional<String> attemptOutcomeKey(String requestId, IdempotentCommand command,
        Record<byte[], byte[]> record) {
      return command.attemptOutcomeKey().or(() -> super.attemptOutcomeKey(requestId, command, record));
    }

    @Override
    protected void decide(String requestId, IdempotentCommand command, Optional<Principal> sender, long timestamp) {
      if (command.userCommand() != null) {
        passOn(command.userCommand().username(), command.userCommand(), timestamp, USER_COMMANDS_SINK);
      } else {
        passOn(command.accountCommand().accountId(), command.accountCommand(), timestamp, ACCOUNT_COMMANDS_SINK);
      }
    }
  }

  /** Keeps the outcome of each keyed request with its key, and answers retries that waited for it. */
  private static final class RememberOutcome implements Processor<byte[], byte[], Object, Object> {

    private final Authenticity authenticity;
    private ProcessorContext<Object, Object> context;
    private KeyedRequests keys;

    RememberOutcome(Authenticity authenticity) {
      this.authenticity = authenticity;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      this.context = context;
      keys = new KeyedRequests(context.getStateStore(KEYS_STORE));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.key() == null) {
        return; // not an outcome of a keyed request; the query service's view deals with it
      }
      String requestId = new String(record.key(), StandardCharsets.UTF_8);
      // one lookup: what it finds is where the outcome is remembered below
      Optional<KeyedRequests.Waiting> waiting = keys.awaiting("", requestId, record.timestamp());
      if (waiting.isEmpty()) {
        return; // read only what this memory waits for: most keyed requests are remembered by their account
      }
      if (!authenticity.writtenByProjector(Topics.OUTCOMES.name(), record.key(), record.value(), record.headers())) {
        deadLetter(record, "an outcome without the projector's seal (forged, or tampered with): not remembered");
        return;
      }
      Outcome outcome;
      try {
        outcome = Topics.OUTCOMES.valueSerde().deserializer().deserialize(Topics.OUTCOMES.name(), record.value());
      } catch (SerializationException e) {
        deadLetter(record, e.getMessage());
        return;
      }
      if (outcome == null || !outcome.requestId().equals(requestId)) {
        return; // no outcome (a null value), or an answer to one attempt alone, keyed <request id>/<attempt>
      }
      keys.answered(waiting.get(), outcome).ifPresent(replay ->
          context.forward(new Record<>(requestId, replay, record.timestamp()), OUTCOMES_SINK));
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
      log.warn("dead-lettering an outcome of request {}: {}", new String(record.key(), StandardCharsets.UTF_8), reason);
      context.forward(DeadLetters.of(record, context.recordMetadata().orElse(null), REMEMBER_OUTCOME, reason),
          DEAD_LETTER_SINK);
    }
  }
}
