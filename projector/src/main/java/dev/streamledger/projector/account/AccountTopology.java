package dev.streamledger.projector.account;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.projector.system.CommandProcessor;
import dev.streamledger.projector.system.Sinks;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Balances that never go negative, and transfers as debit / credit / refund stages.
 *
 * <ul>
 *   <li>in: {@link Topics#ACCOUNT_COMMANDS} — account id → {@link AccountCommand}, as raw bytes;</li>
 *   <li>out: {@link Topics#ACCOUNT_EVENTS} — account id → account event, for accepted commands;</li>
 *   <li>out: {@link Topics#OUTCOMES} — request id → outcome, one per request id (for a transfer,
 *       from the last stage it reaches);</li>
 *   <li>out: {@link Topics#TRANSFER_EVENTS} — transfer id → the transfer's status after each stage;</li>
 *   <li>out: {@link Topics#ACCOUNT_COMMANDS} — the next stage of a transfer (credit, or refund),
 *       keyed by the account that decides it;</li>
 *   <li>out: {@link Topics#DEAD_LETTERS} — anything that is not a well-formed, correctly keyed command.</li>
 * </ul>
 * Every command for one account is decided on the account's partition, where its balance lives,
 * so the check and the change happen in one step and no two withdrawals can race.
 */
public final class AccountTopology {

  public static final String ACCOUNTS_STORE = "accounts";
  public static final String REQUESTS_STORE = "account-requests";

  private static final String SOURCE = "account-commands";
  private static final String PROCESSOR = "decide-account";
  private static final String EVENTS_SINK = "account-events";
  private static final String OUTCOMES_SINK = "account-outcomes";
  private static final String NEXT_STAGE_SINK = "transfer-next-stage";
  private static final String TRANSFERS_SINK = "transfer-events";
  private static final String DEAD_LETTER_SINK = "account-command-dead-letters";

  private AccountTopology() {}

  public static Topology build() {
    return addTo(new Topology());
  }

  public static Topology addTo(Topology topology) {
    topology
        .addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.ACCOUNT_COMMANDS.name())
        .addProcessor(PROCESSOR, DecideAccount::new, SOURCE)
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS_STORE),
            Serdes.String(), new JsonSerde<>(AccountState.class)), PROCESSOR)
        .addStateStore(CommandProcessor.requestsStore(REQUESTS_STORE), PROCESSOR);
    Sinks.add(topology, EVENTS_SINK, Topics.ACCOUNT_EVENTS, PROCESSOR);
    Sinks.add(topology, OUTCOMES_SINK, Topics.OUTCOMES, PROCESSOR);
    Sinks.add(topology, TRANSFERS_SINK, Topics.TRANSFER_EVENTS, PROCESSOR);
    Sinks.add(topology, NEXT_STAGE_SINK, Topics.ACCOUNT_COMMANDS, PROCESSOR);
    return Sinks.add(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTERS, PROCESSOR);
  }

  private static final class DecideAccount extends CommandProcessor<AccountCommand> {

    private KeyValueStore<String, AccountState> accounts;

    DecideAccount() {
      super(PROCESSOR, Topics.ACCOUNT_COMMANDS, REQUESTS_STORE, DEAD_LETTER_SINK, AccountCommand::accountId,
          AccountCommand::deduplicationKey);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      super.init(context);
      accounts = context.getStateStore(ACCOUNTS_STORE);
    }

    @Override
    protected void decide(String key, AccountCommand command, long timestamp) {
      var decision = AccountRules.decide(command, Optional.ofNullable(accounts.get(key)),
          Instant.ofEpochMilli(timestamp));
      decision.state().ifPresent(state -> accounts.put(key, state));
      decision.event().ifPresent(event -> forward(key, event, timestamp, EVENTS_SINK));
      decision.transfer().ifPresent(transfer -> forward(transfer.transferId(), transfer, timestamp, TRANSFERS_SINK));
      decision.next().ifPresent(next -> forward(next.accountId(), next, timestamp, NEXT_STAGE_SINK));
      decision.outcome().ifPresent(outcome -> forward(outcome.requestId(), outcome, timestamp, OUTCOMES_SINK));
    }
  }
}
