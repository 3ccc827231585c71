package dev.streamledger.projector.account;

import dev.streamledger.contract.account.AccountCommand.CreditForTransfer;
import dev.streamledger.contract.account.AccountCommand.OpenAccount;
import dev.streamledger.contract.account.AccountCommand.RefundTransfer;
import dev.streamledger.contract.account.AccountCommand.TransferSettled;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.projector.request.CommandProcessor;
import dev.streamledger.projector.request.KeyedRequests;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.system.Sinks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balances that never go negative, and transfers as debit / credit / refund stages.
 *
 * <ul>
 *   <li>in: {@link Topics#ACCOUNT_COMMANDS} — account id → {@link AccountCommand}, as raw bytes;</li>
 *   <li>out: {@link Topics#ACCOUNT_EVENTS} — account id → account event, for accepted commands;</li>
 *   <li>out: {@link Topics#OUTCOMES} — request id → outcome, one per request id (for a transfer,
 *       from the last stage it reaches);</li>
 *   <li>out: {@link Topics#TRANSFER_EVENTS} — transfer id → the transfer's status after each stage;</li>
 *   <li>out: {@link Topics#ACCOUNT_COMMANDS} — the next stage of a transfer (credit, refund, or the
 *       answer of a keyed transfer back to its source's memory of keys),
 *       keyed by the account that decides it, sealed ({@link Authenticity});</li>
 *   <li>out: {@link Topics#ACCOUNT_DIRECTORY} — account id → {@link OpenedAccount}, when one is opened;</li>
 *   <li>out: {@link Topics#IDEMPOTENT_COMMANDS} — a retry of a keyed request decided before the
 *       account remembered keys, to the memory that knew it then (sealed);</li>
 *   <li>global: {@link Topics#ACCOUNT_DIRECTORY} → store {@value #DIRECTORY_STORE} on every instance,
 *       where the debit stage looks up a transfer's destination;</li>
 *   <li>out: {@link Topics#DEAD_LETTERS} — anything that is not a well-formed, correctly keyed command.</li>
 * </ul>
 * Every command for one account is decided on the account's partition, where its balance lives,
 * so the check and the change happen in one step and no two withdrawals can race. The account's
 * task also remembers the idempotency keys of the commands clients send about it
 * ({@link KeyedRequests}), so a keyed command too is answered after one exactly-once commit.
 */
public final class AccountTopology {

  public static final String ACCOUNTS_STORE = "accounts";
  public static final String REQUESTS_STORE = "account-requests";
  public static final String DIRECTORY_STORE = "account-directory";
  /** Each account's memory of the idempotency keys its commands were sent with. */
  public static final String KEYS_STORE = "account-idempotency-keys";

  private static final String SOURCE = "account-commands";
  private static final String PROCESSOR = "decide-account";
  private static final String EVENTS_SINK = "account-events";
  private static final String OUTCOMES_SINK = "account-outcomes";
  private static final String NEXT_STAGE_SINK = "transfer-next-stage";
  private static final String TRANSFERS_SINK = "transfer-events";
  private static final String DEAD_LETTER_SINK = "account-command-dead-letters";
  private static final String EARLIER_KEYS_SINK = "ask-earlier-memory-of-keys";
  private static final String DIRECTORY_SINK = "account-directory";
  private static final String DIRECTORY_SOURCE = "account-directory-source";
  private static final String DIRECTORY_LOADER = "load-account-directory";

  private AccountTopology() {}

  public static Topology build(Authenticity authenticity) {
    return addTo(new Topology(), authenticity);
  }

  public static Topology addTo(Topology topology, Authenticity authenticity) {
    topology
        .addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.ACCOUNT_COMMANDS.name())
        .addProcessor(PROCESSOR, () -> new DecideAccount(authenticity), SOURCE)
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS_STORE),
            Serdes.String(), new JsonSerde<>(AccountState.class)), PROCESSOR)
        .addStateStore(CommandProcessor.requestsStore(REQUESTS_STORE), PROCESSOR)
        .addStateStore(KeyedRequests.store(KEYS_STORE), PROCESSOR);
    Sinks.trusted(topology, EVENTS_SINK, Topics.ACCOUNT_EVENTS, authenticity, PROCESSOR);
    Sinks.trusted(topology, OUTCOMES_SINK, Topics.OUTCOMES, authenticity, PROCESSOR);
    Sinks.trusted(topology, TRANSFERS_SINK, Topics.TRANSFER_EVENTS, authenticity, PROCESSOR);
    Sinks.sealed(topology, NEXT_STAGE_SINK, Topics.ACCOUNT_COMMANDS, authenticity, PROCESSOR);
    Sinks.trusted(topology, DIRECTORY_SINK, Topics.ACCOUNT_DIRECTORY, authenticity, PROCESSOR);
    Sinks.sealed(topology, EARLIER_KEYS_SINK, Topics.IDEMPOTENT_COMMANDS, authenticity, PROCESSOR);
    // every instance holds the whole directory (raw bytes: an unreadable entry is just unknown)
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DIRECTORY_STORE), Serdes.String(),
            Serdes.ByteArray()).withLoggingDisabled(),
        DIRECTORY_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        Topics.ACCOUNT_DIRECTORY.name(), DIRECTORY_LOADER, () -> new LoadDirectory(authenticity));
    return Sinks.add(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTERS, PROCESSOR);
  }

  private static final class DecideAccount extends CommandProcessor<AccountCommand> {

    private KeyValueStore<String, AccountState> accounts;
    private KeyValueStore<String, byte[]> directory;

    DecideAccount(Authenticity authenticity) {
      super(PROCESSOR, Topics.ACCOUNT_COMMANDS, REQUESTS_STORE, DEAD_LETTER_SINK, AccountCommand::accountId,
          AccountCommand::deduplicationKey, AccountCommand::credential, authenticity);
      // every retry of a client's request goes to the same account: its key is checked here, in
      // the step that decides the request (one exactly-once commit between request and answer),
      // and remembered for that account
      rememberKeys(KEYS_STORE, AccountCommand::requestId, AccountCommand::accountId, OUTCOMES_SINK);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      super.init(context);
      accounts = context.getStateStore(ACCOUNTS_STORE);
      directory = context.getStateStore(DIRECTORY_STORE);
    }

    @Override
    protected void decide(String key, AccountCommand command, Optional<Principal> sender, long timestamp) {
      var decision = AccountRules.decide(command, sender, Optional.ofNullable(accounts.get(key)), this::listed,
          Instant.ofEpochMilli(timestamp));
      // the rules' hierarchy is sealed: these are all the cases
      if (decision instanceof AccountRules.Accepted accepted) {
        accounts.put(key, accepted.state());
        forward(key, accepted.event(), timestamp, EVENTS_SINK);
        accepted.transfer().ifPresent(transfer -> forward(transfer.transferId(), transfer, timestamp, TRANSFERS_SINK));
        accepted.next().map(this::withRecordedOutcome)
            .ifPresent(next -> forward(next.accountId(), next, timestamp, NEXT_STAGE_SINK));
        accepted.listed().ifPresent(opened -> forward(opened.accountId(), opened, timestamp, DIRECTORY_SINK));
        accepted.answer().ifPresent(outcome -> answer(outcome, timestamp, OUTCOMES_SINK));
      } else if (decision instanceof AccountRules.Rejected rejected) {
        rejected.transfer().ifPresent(transfer -> forward(transfer.transferId(), transfer, timestamp, TRANSFERS_SINK));
        answer(rejected.outcome(), timestamp, OUTCOMES_SINK);
      } else {
        ((AccountRules.PassedOn) decision).next()
            .ifPresent(next -> forward(next.accountId(), next, timestamp, NEXT_STAGE_SINK));
      }
      if (command instanceof TransferSettled settled) {
        learn(settled.outcome());
      }
    }

    /** A stage that tells the source how its transfer ended carries the outcome as it was published. */
    private AccountCommand withRecordedOutcome(AccountCommand next) {
      return next instanceof TransferSettled settled
          ? new TransferSettled(settled.requestId(), settled.transferId(), settled.accountId(),
              recorded(settled.outcome()), settled.times())
          : next;
    }

    /**
     * An opening is the owner's request (only a name's holder may ask for one); a credit stage is
     * the transfer's sender's, and so is its refund: the source account's holder's.
     */
    @Override
    protected String requesterOf(String key, AccountCommand command) {
      if (command instanceof OpenAccount open) {
        return open.ownerSubject();
      }
      if (command instanceof CreditForTransfer credit) {
        return credit.fromSubject();
      }
      AccountState source = command instanceof RefundTransfer ? accounts.get(key) : null;
      return source == null ? null : source.holder();
    }

    /**
     * A retry of a keyed request decided when keys were remembered only by the
     * {@link dev.streamledger.projector.request.IdempotencyTopology} (before an upgrade): that
     * memory answers it, with the original outcome.
     */
    @Override
    protected void keyForgotten(AccountCommand command, Record<byte[], byte[]> record, long timestamp) {
      String attempt = Headers.text(record.headers().lastHeader(Headers.ATTEMPT));
      passOn(command.requestId(), IdempotentCommand.of(command, RequestIds.isWellFormed(attempt) ? attempt : null),
          timestamp, EARLIER_KEYS_SINK);
    }

    private Optional<OpenedAccount> listed(String accountId) {
      byte[] entry = directory.get(accountId);
      if (entry == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(Topics.ACCOUNT_DIRECTORY.valueSerde().deserializer()
            .deserialize(Topics.ACCOUNT_DIRECTORY.name(), entry));
      } catch (SerializationException e) {
        return Optional.empty(); // not vouched for: the credit stage decides, as for any unknown account
      }
    }
  }

  /**
   * Keeps the global copy of the account directory: every entry the projector sealed, as written.
   * It also runs when the store is restored from the topic, so a forged entry never gets in.
   */
  private static final class LoadDirectory implements Processor<byte[], byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(LoadDirectory.class);

    private final Authenticity authenticity;
    private KeyValueStore<String, byte[]> directory;

    LoadDirectory(Authenticity authenticity) {
      this.authenticity = authenticity;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      directory = context.getStateStore(DIRECTORY_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.key() == null) {
        return;
      }
      String accountId = new String(record.key(), StandardCharsets.UTF_8);
      if (!authenticity.writtenByProjector(Topics.ACCOUNT_DIRECTORY.name(), record.key(), record.value(),
          record.headers())) {
        // a global store cannot dead-letter; the entry is left out, so the account is as unknown
        // to the debit stage as any other: its credit stage decides
        log.warn("ignoring an account directory entry for {} without the projector's seal (forged, or tampered with)",
            accountId);
        return;
      }
      directory.put(accountId, record.value());
    }
  }
}
