package dev.streamledger.projector.username;

import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.topic.DeadLetters;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.UserCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Username uniqueness.
 *
 * <ul>
 *   <li>in: {@link Topics#USER_COMMANDS} — canonical username → {@link UserCommand}, read as raw
 *       bytes so that no record can stop the partition;</li>
 *   <li>out: {@link Topics#USER_EVENTS} — canonical username → user event, for accepted commands;</li>
 *   <li>out: {@link Topics#OUTCOMES} — request id → outcome, exactly one per request id;</li>
 *   <li>out: {@link Topics#DEAD_LETTERS} — anything that is not a well-formed, correctly keyed command.</li>
 * </ul>
 * All commands for one name sit in one partition, so the processor sees them in log order and
 * the first claim wins. Under {@code exactly_once_v2} the store updates and the three outputs of
 * one input commit together.
 */
public final class UsernameTopology {

  public static final String NAMES_STORE = "usernames";
  public static final String REQUESTS_STORE = "username-requests";
  /** Request ids are remembered this long (in stream time) to drop redelivered commands. */
  public static final Duration REQUEST_RETENTION = Duration.ofDays(7);

  private static final String SOURCE = "user-commands";
  private static final String PROCESSOR = "decide-username";
  private static final String EVENTS_SINK = "user-events";
  private static final String OUTCOMES_SINK = "outcomes";
  private static final String DEAD_LETTER_SINK = "user-command-dead-letters";

  private UsernameTopology() {}

  public static Topology build() {
    var names = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAMES_STORE),
        Serdes.String(), new JsonSerde<>(NameState.class));
    var requests = Stores.windowStoreBuilder(
        Stores.persistentWindowStore(REQUESTS_STORE, REQUEST_RETENTION, REQUEST_RETENTION, false),
        Serdes.String(), Serdes.Long());
    return new Topology()
        .addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
            Topics.USER_COMMANDS.name())
        .addProcessor(PROCESSOR, DecideUsername::new, SOURCE)
        .addStateStore(names, PROCESSOR)
        .addStateStore(requests, PROCESSOR)
        .addSink(EVENTS_SINK, Topics.USER_EVENTS.name(),
            Topics.USER_EVENTS.keySerde().serializer(), Topics.USER_EVENTS.valueSerde().serializer(), PROCESSOR)
        .addSink(OUTCOMES_SINK, Topics.OUTCOMES.name(),
            Topics.OUTCOMES.keySerde().serializer(), Topics.OUTCOMES.valueSerde().serializer(), PROCESSOR)
        .addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(),
            Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
  }

  private static final class DecideUsername implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(DecideUsername.class);

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, NameState> names;
    private WindowStore<String, Long> requests;

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      this.context = context;
      this.names = context.getStateStore(NAMES_STORE);
      this.requests = context.getStateStore(REQUESTS_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.key() == null) {
        deadLetter(record, "missing key: user commands are keyed by canonical username");
        return;
      }
      if (record.value() == null) {
        deadLetter(record, "missing value");
        return;
      }
      UserCommand command;
      try {
        command = Topics.USER_COMMANDS.valueSerde().deserializer().deserialize(Topics.USER_COMMANDS.name(), record.value());
      } catch (SerializationException e) {
        deadLetter(record, e.getMessage());
        return;
      }
      String key = new String(record.key(), StandardCharsets.UTF_8);
      if (!key.equals(command.username())) {
        deadLetter(record, "key '" + key + "' is not the command's canonical username '" + command.username() + "'");
        return;
      }
      if (seenBefore(command.requestId(), record.timestamp())) {
        log.debug("dropping redelivered request {}", command.requestId());
        return;
      }
      NameState state = names.get(key);
      var decision = UsernameRules.decide(command, state == null ? NameState.UNSEEN : state,
          Instant.ofEpochMilli(record.timestamp()));
      names.put(key, decision.state());
      requests.put(command.requestId(), record.timestamp(), record.timestamp());
      decision.event().ifPresent(event ->
          context.forward(new Record<Object, Object>(key, event, record.timestamp()), EVENTS_SINK));
      context.forward(new Record<Object, Object>(command.requestId(), decision.outcome(), record.timestamp()),
          OUTCOMES_SINK);
    }

    private boolean seenBefore(String requestId, long timestamp) {
      long retention = REQUEST_RETENTION.toMillis();
      try (var seen = requests.fetch(requestId, Math.max(0, timestamp - retention), timestamp + retention)) {
        return seen.hasNext();
      }
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
      log.warn("dead-lettering a user command: {}", reason);
      context.forward(DeadLetters.of(record, context.recordMetadata().orElse(null), PROCESSOR, reason),
          DEAD_LETTER_SINK);
    }
  }
}
