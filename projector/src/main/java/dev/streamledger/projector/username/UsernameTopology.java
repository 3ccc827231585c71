package dev.streamledger.projector.username;

import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.projector.request.CommandProcessor;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.system.Sinks;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Username uniqueness, and the owner's stage of opening an account.
 *
 * <ul>
 *   <li>in: {@link Topics#USER_COMMANDS} — canonical username → {@link UserCommand}, read as raw
 *       bytes so that no record can stop the partition;</li>
 *   <li>out: {@link Topics#USER_EVENTS} — canonical username → user event, for accepted commands;</li>
 *   <li>out: {@link Topics#OUTCOMES} — request id → outcome, exactly one per request id (an account
 *       request is answered by the account's stage instead);</li>
 *   <li>out: {@link Topics#ACCOUNT_COMMANDS} — account id → {@code OpenAccount}, once the owner is
 *       known to be registered;</li>
 *   <li>out: {@link Topics#DEAD_LETTERS} — anything that is not a well-formed, correctly keyed command.</li>
 * </ul>
 * All commands for one name sit in one partition, so the processor sees them in log order and
 * the first claim wins. Under {@code exactly_once_v2} the store updates and all outputs of one
 * input commit together.
 */
public final class UsernameTopology {

  public static final String NAMES_STORE = "usernames";
  public static final String REQUESTS_STORE = "username-requests";

  private static final String SOURCE = "user-commands";
  private static final String PROCESSOR = "decide-username";
  private static final String EVENTS_SINK = "user-events";
  private static final String OUTCOMES_SINK = "username-outcomes";
  private static final String OPEN_ACCOUNT_SINK = "open-account";
  private static final String DEAD_LETTER_SINK = "user-command-dead-letters";

  private UsernameTopology() {}

  public static Topology build(Authenticity authenticity) {
    return addTo(new Topology(), authenticity);
  }

  public static Topology addTo(Topology topology, Authenticity authenticity) {
    topology
        .addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.USER_COMMANDS.name())
        .addProcessor(PROCESSOR, () -> new DecideUsername(authenticity), SOURCE)
        .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES_STORE),
            Serdes.String(), new JsonSerde<>(NameState.class)), PROCESSOR)
        .addStateStore(CommandProcessor.requestsStore(REQUESTS_STORE), PROCESSOR);
    Sinks.trusted(topology, EVENTS_SINK, Topics.USER_EVENTS, authenticity, PROCESSOR);
    Sinks.trusted(topology, OUTCOMES_SINK, Topics.OUTCOMES, authenticity, PROCESSOR);
    Sinks.sealed(topology, OPEN_ACCOUNT_SINK, Topics.ACCOUNT_COMMANDS, authenticity, PROCESSOR);
    return Sinks.add(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTERS, PROCESSOR);
  }

  private static final class DecideUsername extends CommandProcessor<UserCommand> {

    private KeyValueStore<String, NameState> names;

    DecideUsername(Authenticity authenticity) {
      super(PROCESSOR, Topics.USER_COMMANDS, REQUESTS_STORE, DEAD_LETTER_SINK, UserCommand::username,
          UserCommand::requestId, UserCommand::credential, authenticity);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      super.init(context);
      names = context.getStateStore(NAMES_STORE);
    }

    @Override
    protected void decide(String key, UserCommand command, Optional<Principal> sender, long timestamp) {
      NameState state = names.get(key);
      var decision = UsernameRules.decide(command, sender.orElseThrow(
          () -> new IllegalArgumentException("a user command without a proven sender")),
          state == null ? NameState.UNSEEN : state, Instant.ofEpochMilli(timestamp));
      // the rules' hierarchy is sealed: these are all the cases
      if (decision instanceof UsernameRules.Accepted accepted) {
        names.put(key, accepted.state());
        forward(key, accepted.event(), timestamp, EVENTS_SINK);
        accepted.next().ifPresent(open -> forward(open.accountId(), open, timestamp, OPEN_ACCOUNT_SINK));
        accepted.answer().ifPresent(outcome -> answer(outcome, timestamp, OUTCOMES_SINK));
      } else {
        Outcome outcome = ((UsernameRules.Rejected) decision).outcome();
        answer(outcome, timestamp, OUTCOMES_SINK);
      }
    }
  }
}
