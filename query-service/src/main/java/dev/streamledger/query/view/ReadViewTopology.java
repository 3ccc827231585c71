package dev.streamledger.query.view;

import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.Money;
import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.DeadLetters;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserEvent.AccountAssigned;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.query.store.ViewPositions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service's read views.
 *
 * <ul>
 *   <li>in: {@link Topics#USER_EVENTS} (canonical username → user event) → store
 *       {@value #USERS_STORE}: canonical username → {@link UserView};</li>
 *   <li>in: {@link Topics#ACCOUNT_EVENTS} (account id → account event) → store
 *       {@value #ACCOUNTS_STORE}: account id → {@link AccountView};</li>
 *       and store {@value #STATEMENTS_STORE}: {@link #statementKey} → {@link StatementEntry}, one per event;</li>
 *   <li>in: {@link Topics#TRANSFER_EVENTS} (transfer id → transfer event) → store
 *       {@value #TRANSFERS_STORE}: transfer id → its latest {@link TransferEvent};</li>
 *   <li>in: {@link Topics#OUTCOMES} (request id → outcome) → store {@value #OUTCOMES_STORE}:
 *       request id → outcome, for the status URLs of requests answered {@code 202};</li>
 *   <li>out: {@link Topics#DEAD_LETTERS} — records that are not what their topic promises.</li>
 * </ul>
 * Both views are pure folds of their topic, so a rebuild from offset 0 yields the same views.
 */
public final class ReadViewTopology {

  public static final String USERS_STORE = "user-view";
  public static final String OUTCOMES_STORE = "outcome-view";
  public static final String ACCOUNTS_STORE = "account-view";
  public static final String TRANSFERS_STORE = "transfer-view";
  public static final String STATEMENTS_STORE = "statement-view";
  /** {@link #movementKey} → the account version of a transfer's debit, credit or refund. */
  public static final String MOVEMENTS_STORE = "transfer-movements";

  private static final String DEAD_LETTER_SINK = "read-view-dead-letters";

  private ReadViewTopology() {}

  /** Told of each account event folded into the views, after its store writes. */
  @FunctionalInterface
  public interface FoldListener {
    FoldListener NONE = (accountId, version) -> {};

    void folded(String accountId, long version);
  }

  public static Topology build(Seal seal) {
    return build(seal, FoldListener.NONE, new ViewPositions());
  }

  /**
   * The views, telling {@code listener} of each account event folded and {@code positions} of
   * each record read; {@code seal} is the query service's, which every record must carry.
   */
  public static Topology build(Seal seal, FoldListener listener, ViewPositions positions) {
    Topology topology = new Topology()
        .addSource("user-events", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.USER_EVENTS.name())
        .addProcessor("fold-users", () -> new FoldUsers(seal, positions), "user-events")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USERS_STORE),
            Serdes.String(), new JsonSerde<>(UserView.class)), "fold-users")
        .addSource("account-events", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.ACCOUNT_EVENTS.name())
        .addProcessor("fold-accounts", () -> new FoldAccounts(seal, listener, positions), "account-events")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS_STORE),
            Serdes.String(), new JsonSerde<>(AccountView.class)), "fold-accounts")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATEMENTS_STORE),
            Serdes.String(), new JsonSerde<>(StatementEntry.class)), "fold-accounts")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MOVEMENTS_STORE),
            Serdes.String(), Serdes.Long()), "fold-accounts")
        .addSource("transfer-events", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.TRANSFER_EVENTS.name())
        .addProcessor("fold-transfers", () -> new FoldTransfers(seal, positions), "transfer-events")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRANSFERS_STORE),
            Serdes.String(), Topics.TRANSFER_EVENTS.valueSerde()), "fold-transfers")
        .addSource("outcomes", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.OUTCOMES.name())
        .addProcessor("keep-outcomes", () -> new KeepOutcomes(seal, positions), "outcomes")
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTCOMES_STORE),
            Serdes.String(), Topics.OUTCOMES.valueSerde()), "keep-outcomes");
    return topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(),
        Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "fold-users", "fold-accounts",
        "fold-transfers", "keep-outcomes");
  }

  /**
   * Checks the input is the projector's and parses it, or parks it on the dead-letter topic;
   * subclasses fold what parses. A record without the projector's seal for this service (written
   * by another producer, or altered) is never folded.
   */
  private abstract static class ViewProcessor<V> implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(ViewProcessor.class);

    private final String name;
    private final Seal seal;
    private final org.apache.kafka.common.serialization.Deserializer<V> values;
    private final ViewPositions positions;
    protected ProcessorContext<byte[], byte[]> context;

    ViewProcessor(String name, Seal seal, org.apache.kafka.common.serialization.Deserializer<V> values,
        ViewPositions positions) {
      this.name = name;
      this.seal = seal;
      this.values = values;
      this.positions = positions;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public final void process(Record<byte[], byte[]> record) {
      RecordMetadata origin = context.recordMetadata().orElseThrow();
      processOne(record, origin);
      positions.processed(origin.topic(), origin.partition(), origin.offset());
    }

    private void processOne(Record<byte[], byte[]> record, RecordMetadata origin) {
      if (record.key() == null || record.value() == null) {
        deadLetter(record, origin, record.key() == null ? "missing key" : "missing value");
        return;
      }
      if (!seal.holds(origin.topic(), record.key(), record.value(), record.headers())) {
        deadLetter(record, origin, "not sealed by the projector for the query service (forged, or tampered with)");
        return;
      }
      V value;
      try {
        value = values.deserialize(origin.topic(), record.value());
      } catch (SerializationException e) {
        deadLetter(record, origin, e.getMessage());
        return;
      }
      String problem;
      try {
        problem = fold(new String(record.key(), StandardCharsets.UTF_8), value, origin, record.timestamp());
      } catch (IllegalArgumentException e) {
        problem = "cannot be folded: " + e.getMessage(); // e.g. a currency that is not one
      }
      if (problem != null) {
        deadLetter(record, origin, problem);
      }
    }

    /**
     * Folds one parsed record into the view; returns why it cannot be folded, or null. Throws
     * {@link IllegalArgumentException} only before it has written anything.
     */
    abstract String fold(String key, V value, RecordMetadata origin, long timestamp);

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata origin, String reason) {
      log.warn("dead-lettering a record from {}: {}", origin.topic(), reason);
      context.forward(DeadLetters.of(record, origin, name, reason), DEAD_LETTER_SINK);
    }
  }

  private static final class FoldUsers extends ViewProcessor<UserEvent> {

    private KeyValueStore<String, UserView> users;

    FoldUsers(Seal seal, ViewPositions positions) {
      super("fold-users", seal, Topics.USER_EVENTS.valueSerde().deserializer(), positions);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      super.init(context);
      users = context.getStateStore(USERS_STORE);
    }

    @Override
    String fold(String key, UserEvent event, RecordMetadata origin, long timestamp) {
      if (!key.equals(event.username())) {
        return "key '" + key + "' is not the event's username '" + event.username() + "'";
      }
      UserView current = users.get(key);
      if (current != null && current.sourcePartition() == origin.partition()
          && current.sourceOffset() >= origin.offset()) {
        return null; // already folded in: a redelivery
      }
      if (event instanceof AccountAssigned assigned) {
        if (current == null || current.deleted()) {
          return "an account assigned to '" + key + "', who is not registered";
        }
        List<String> accounts = new ArrayList<>(current.accountIds());
        accounts.add(assigned.accountId());
        users.put(key, new UserView(key, current.displayName(), current.requestedAs(), current.registeredAt(),
            current.generation(), accounts, false, origin.partition(), origin.offset(), current.subject()));
      } else if (event instanceof UserRegistered registered) {
        users.put(key, new UserView(key, registered.displayName(), registered.requestedAs(),
            registered.registeredAt(), registered.generation(), List.of(), false,
            origin.partition(), origin.offset(), registered.subject()));
      } else if (event instanceof UserDeleted) {
        users.put(key, new UserView(key, null, null, null, event.generation(), List.of(), true,
            origin.partition(), origin.offset(), null));
      }
      return null;
    }
  }

  /** Statement lines of one account sort by version: {@code <account id>/<20-digit version>}. */
  public static String statementKey(String accountId, long version) {
    return accountId + "/" + String.format("%020d", version);
  }

  private static final class FoldAccounts extends ViewProcessor<AccountEvent> {

    private KeyValueStore<String, AccountView> accounts;
    private KeyValueStore<String, StatementEntry> statements;
    private KeyValueStore<String, Long> movements;
    private final FoldListener listener;

    FoldAccounts(Seal seal, FoldListener listener, ViewPositions positions) {
      super("fold-accounts", seal, Topics.ACCOUNT_EVENTS.valueSerde().deserializer(), positions);
      this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      super.init(context);
      accounts = context.getStateStore(ACCOUNTS_STORE);
      statements = context.getStateStore(STATEMENTS_STORE);
      movements = context.getStateStore(MOVEMENTS_STORE);
    }

    @Override
    String fold(String key, AccountEvent event, RecordMetadata origin, long timestamp) {
      if (!key.equals(event.accountId())) {
        return "key '" + key + "' is not the event's account id '" + event.accountId() + "'";
      }
      AccountView current = accounts.get(key);
      if (current != null && current.version() >= event.version()) {
        return null; // already folded in: a redelivery
      }
      long expected = current == null ? 1 : current.version() + 1;
      if (event.version() != expected) {
        return "version " + event.version() + " of account '" + key + "' follows version " + (expected - 1);
      }
      Instant recordedAt = Instant.ofEpochMilli(timestamp);
      if (event instanceof AccountOpened opened) {
        String zero = Money.format(0, Currency.getInstance(opened.currency()));
        accounts.put(key, new AccountView(key, opened.owner(), opened.currency(), zero, 1, origin.partition(),
            origin.offset(), AccountView.Flows.NONE, opened.ownerSubject()));
        statements.put(statementKey(key, 1), new StatementEntry(1, opened.kind(), zero, zero, null,
            opened.requestId(), opened.occurredAt(), recordedAt));
      } else {
        AccountEvent.Movement movement = (AccountEvent.Movement) event;
        AccountView.Flows flows = current.flows() == null ? null : current.flows().with(movement);
        accounts.put(key, new AccountView(key, current.owner(), current.currency(), movement.balanceAfter(),
            event.version(), origin.partition(), origin.offset(), flows, current.ownerSubject()));
        statements.put(statementKey(key, event.version()), new StatementEntry(event.version(), event.kind(),
            movement.signedAmount(), movement.balanceAfter(), event.transferId(), event.requestId(),
            event.occurredAt(), recordedAt));
        String transferId = event.transferId();
        if (transferId != null) {
          movements.put(movementKey(key, transferId, movementKind(event)), event.version());
        }
      }
      listener.folded(key, event.version());
      return null;
    }
  }

  /** The key of a transfer's movement on an account: {@code kind} is d (debit), c (credit) or r (refund). */
  public static String movementKey(String accountId, String transferId, char kind) {
    return accountId + "|" + transferId + "|" + kind;
  }

  private static char movementKind(AccountEvent event) {
    if (event instanceof AccountEvent.TransferDebited) {
      return 'd';
    }
    return event instanceof AccountEvent.TransferCredited ? 'c' : 'r';
  }

  private static final class FoldTransfers extends ViewProcessor<TransferEvent> {

    private KeyValueStore<String, TransferEvent> transfers;

    FoldTransfers(Seal seal, ViewPositions positions) {
      super("fold-transfers", seal, Topics.TRANSFER_EVENTS.valueSerde().deserializer(), positions);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      super.init(context);
      transfers = context.getStateStore(TRANSFERS_STORE);
    }

    @Override
    String fold(String key, TransferEvent event, RecordMetadata origin, long timestamp) {
      if (!key.equals(event.transferId())) {
        return "key '" + key + "' is not the event's transfer id '" + event.transferId() + "'";
      }
      TransferEvent current = transfers.get(key);
      // a final status is final: a redelivered PENDING cannot undo it
      if (current == null || current.status() == TransferEvent.Status.PENDING) {
        // a refund does not name the destination again: the earlier event's is kept
        TransferEvent merged = current == null || event.to() != null ? event
            : new TransferEvent(event.transferId(), event.status(), event.from(), current.to(), event.amount(),
                event.reason(), event.requestId(), event.occurredAt(), event.times(), event.fromSubject(),
                current.toSubject());
        transfers.put(key, merged);
      }
      return null;
    }
  }

  private static final class KeepOutcomes extends ViewProcessor<Outcome> {

    private KeyValueStore<String, Outcome> outcomes;

    KeepOutcomes(Seal seal, ViewPositions positions) {
      super("keep-outcomes", seal, Topics.OUTCOMES.valueSerde().deserializer(), positions);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      super.init(context);
      outcomes = context.getStateStore(OUTCOMES_STORE);
      // outcomes are kept as long as the outcomes topic keeps them, measured in stream time
      context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
    }

    private void expire(long streamTime) {
      Instant cutoff = Instant.ofEpochMilli(streamTime).minus(Topics.OUTCOME_RETENTION);
      List<String> expired = new ArrayList<>();
      try (var all = outcomes.all()) {
        all.forEachRemaining(kv -> {
          if (kv.value.decidedAt() != null && kv.value.decidedAt().isBefore(cutoff)) {
            expired.add(kv.key);
          }
        });
      }
      expired.forEach(outcomes::delete);
    }

    @Override
    String fold(String key, Outcome outcome, RecordMetadata origin, long timestamp) {
      if (!key.equals(outcome.requestId())) {
        return "key '" + key + "' is not the outcome's request id '" + outcome.requestId() + "'";
      }
      // one outcome per request id: the first one stands
      outcomes.putIfAbsent(key, outcome);
      return null;
    }
  }
}
