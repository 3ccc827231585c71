package dev.streamledger.projector.request;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.security.InvalidCredentialException;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.topic.DeadLetters;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.trace.TraceParent;
import dev.streamledger.projector.system.Authenticity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every deciding processor does before it decides: read the record as raw bytes, park
 * anything that is not a well-formed command keyed as its topic promises, or that does not
 * prove who sent it ({@link Authenticity}), on the dead-letter topic (so no record can stop the
 * partition, and no forged one has an effect), and drop a command whose request id it has
 * already decided (a redelivery has no second effect and no second outcome).
 *
 * <p>A processor that {@link #rememberKeys remembers idempotency keys} checks the key of each
 * command a client sent with one before it decides ({@link KeyedRequests}): a retry gets the
 * original's answer, not a second decision, and every outcome the processor gives a keyed request
 * is remembered with its key, in the same step.
 *
 * @param <C> the command type of the input topic
 */
public abstract class CommandProcessor<C> implements Processor<byte[], byte[], Object, Object> {

  /** The largest command value read; a larger one is dead-lettered unread. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  /** The largest key read (usernames, account ids and request ids are far shorter). */
  public static final int MAX_KEY_BYTES = 1024;

  /** Request ids are remembered this long, in stream time. */
  public static final Duration REQUEST_RETENTION = Duration.ofDays(7);

  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

  private final String name;
  private final Topic<String, C> input;
  private final String requestsStore;
  private final String deadLetterSink;
  private final Function<C, String> keyOf;
  private final Function<C, String> requestIdOf;
  private final Function<C, Credential> credentialOf;
  private final Authenticity authenticity;
  protected ProcessorContext<Object, Object> context;
  private WindowStore<String, Long> requests;
  /** The headers of the command being decided that its results carry too. */
  private RecordHeaders passedOn = new RecordHeaders();
  private String keysStore;
  private Function<C, String> keyedRequestIdOf;
  private Function<C, String> keyScopeOf;
  private String outcomesSink;
  private KeyedRequests keys;
  /** The outcomes of requests given while deciding the current command, and whether they were published. */
  private final List<Outcome> published = new ArrayList<>();
  private final List<Outcome> learned = new ArrayList<>();
  /** Who sent the request being decided ({@link #requesterOf}): the outcomes given for it name them. */
  private String requester;
  /** The client's key a keyed command came with, which {@link #passOn} keeps with it. */
  private Header idempotencyKey;

  /**
   * @param requestsStore the store of decided request ids ({@link #requestsStore(String)})
   * @param requestIdOf what a command is remembered by to drop its redeliveries
   * @param credentialOf the credential a command carries (null for a stage the projector writes)
   */
  protected CommandProcessor(String name, Topic<String, C> input, String requestsStore, String deadLetterSink,
      Function<C, String> keyOf, Function<C, String> requestIdOf, Function<C, Credential> credentialOf,
      Authenticity authenticity) {
    this.name = name;
    this.input = input;
    this.requestsStore = requestsStore;
    this.deadLetterSink = deadLetterSink;
    this.keyOf = keyOf;
    this.requestIdOf = requestIdOf;
    this.credentialOf = credentialOf;
    this.authenticity = authenticity;
  }

  /** A processor that decides every command it reads, redeliveries included (it remembers by itself). */
  protected CommandProcessor(String name, Topic<String, C> input, String deadLetterSink, Function<C, String> keyOf,
      Function<C, Credential> credentialOf, Authenticity authenticity) {
    this(name, input, null, deadLetterSink, keyOf, null, credentialOf, authenticity);
  }

  /**
   * Makes this processor keep the memory of idempotency keys in {@code keysStore}
   * ({@link KeyedRequests#store}) for the commands clients send, named by {@code requestIdOf},
   * each key within the scope {@code scopeOf} names; answers from the memory go to
   * {@code outcomesSink}. Called by a constructor.
   */
  protected final void rememberKeys(String keysStore, Function<C, String> requestIdOf, Function<C, String> scopeOf,
      String outcomesSink) {
    this.keysStore = keysStore;
    this.keyedRequestIdOf = requestIdOf;
    this.keyScopeOf = scopeOf;
    this.outcomesSink = outcomesSink;
  }

  /** The store of decided request ids a processor of this kind needs. */
  public static StoreBuilder<WindowStore<String, Long>> requestsStore(String name) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(name, REQUEST_RETENTION, REQUEST_RETENTION, false),
        Serdes.String(), Serdes.Long());
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.requests = requestsStore == null ? null : context.getStateStore(requestsStore);
    this.keys = keysStore == null ? null : new KeyedRequests(context.getStateStore(keysStore));
  }

  @Override
  public final void process(Record<byte[], byte[]> record) {
    Header correlation = record.headers().lastHeader(Headers.CORRELATION_ID);
    passedOn = correlation == null ? new RecordHeaders() : new RecordHeaders(new Header[] {correlation});
    // the trace goes on with every record this command leads to (an invalid one is dropped)
    Optional<TraceParent> trace = TraceParent.parse(Headers.text(record.headers().lastHeader(TraceParent.HEADER)));
    trace.ifPresent(span -> {
      passedOn.add(TraceParent.HEADER, Headers.utf8(span.header()));
      MDC.put(TraceParent.TRACE_ID, span.traceId());
    });
    idempotencyKey = record.headers().lastHeader(Headers.IDEMPOTENCY_KEY);
    try {
      handle(record);
    } finally {
      MDC.remove(TraceParent.TRACE_ID);
      MDC.remove(TraceParent.REQUEST_ID);
    }
  }

  private void handle(Record<byte[], byte[]> record) {
    if (record.key() == null) {
      deadLetter(record, "missing key");
      return;
    }
    if (record.value() == null) {
      deadLetter(record, "missing value");
      return;
    }
    if (record.key().length > MAX_KEY_BYTES || record.value().length > MAX_VALUE_BYTES) {
      deadLetter(record, "too large: a key has at most " + MAX_KEY_BYTES + " bytes and a value at most "
          + MAX_VALUE_BYTES + ", this record has " + record.key().length + " and " + record.value().length);
      return;
    }
    C command;
    try {
      command = input.valueSerde().deserializer().deserialize(input.name(), record.value());
    } catch (SerializationException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (!key.equals(keyOf.apply(command))) {
      deadLetter(record, "key '" + key + "' is not the command's '" + keyOf.apply(command) + "'");
      return;
    }
    Optional<Principal> sender;
    try {
      sender = authenticity.of(input.name(), record, credentialOf.apply(command));
    } catch (InvalidCredentialException e) {
      deadLetter(record, "not authentic: " + e.getMessage());
      return;
    }
    if (sender.isPresent() && !keyIdIsTheSenders(command, sender.get())) {
      deadLetter(record, "not authentic: a keyed request id must be made from its sender's own idempotency key, "
          + "sent in the header " + Headers.IDEMPOTENCY_KEY);
      return;
    }
    requester = sender.map(Principal::subject).orElseGet(() -> requesterOf(key, command));
    // a client's request made with an idempotency key: the key's first use is decided, any other use answered
    String keyed = keys == null || sender.isEmpty() ? null : keyedRequestIdOf.apply(command);
    if (keyed != null && KeyedRequests.isKeyed(keyed)) {
      MDC.put(TraceParent.REQUEST_ID, keyed);
      KeyedRequests.Use use = keys.use(keyScopeOf.apply(command), keyed, attemptOutcomeKey(keyed, command, record),
          record.timestamp());
      if (use instanceof KeyedRequests.Use.Answer answer) {
        forward(answer.key(), recorded(answer.outcome()), record.timestamp(), outcomesSink);
      }
      if (!(use instanceof KeyedRequests.Use.Decide)) {
        return;
      }
    } else {
      keyed = null;
    }
    String requestId = requests == null ? null : requestIdOf.apply(command);
    if (requestId != null) {
      MDC.put(TraceParent.REQUEST_ID, requestId);
    }
    if (requestId != null && seenBefore(requestId, record.timestamp())) {
      if (keyed != null) {
        // decided, but before this memory of keys existed: ask the memory that knew it then
        keyForgotten(command, record, record.timestamp());
        return;
      }
      log.debug("dropping redelivered request {}", requestId);
      return;
    }
    published.clear();
    learned.clear();
    try {
      decide(key, command, sender, record.timestamp());
    } catch (IllegalArgumentException e) {
      // well-formed but undecidable (a later transfer stage with an amount that is not one, say):
      // only a forged or corrupt record gets here, and it must not stop the partition. Rules are
      // pure and stores are written only after they return, so nothing was changed.
      deadLetter(record, "cannot be decided: " + e.getMessage());
      return;
    }
    if (requestId != null) {
      requests.put(requestId, record.timestamp(), record.timestamp());
    }
    if (keys != null) {
      rememberAnswers(keyScopeOf.apply(command), keyed, record.timestamp());
    }
  }

  /**
   * A client's request id that is keyed ({@code <key id>.<fingerprint>}) names a key of its
   * sender's: its key id is the one made from the sender's subject and the key in
   * {@link Headers#IDEMPOTENCY_KEY}. Else anyone could send commands under another's key ids, be
   * remembered as their first use, and have their outcome taken for the other's answer.
   */
  private boolean keyIdIsTheSenders(C command, Principal sender) {
    String requestId = keyedRequestIdOf != null ? keyedRequestIdOf.apply(command)
        : requestIdOf != null ? requestIdOf.apply(command) : null;
    Optional<String> keyId = requestId == null ? Optional.empty() : RequestIds.keyIdOf(requestId);
    if (keyId.isEmpty()) {
      return true;
    }
    String key = Headers.text(idempotencyKey);
    return key != null && RequestIds.keyId(sender.subject(), key).equals(keyId.get());
  }

  /** Remembers the key's first use, and the outcomes given with their keys (publishing one a retry waits for). */
  private void rememberAnswers(String scope, String firstUse, long timestamp) {
    Optional<Outcome> firstAnswer = published.stream().filter(outcome -> outcome.requestId().equals(firstUse))
        .findFirst();
    if (firstUse != null) {
      keys.firstUse(scope, firstUse, firstAnswer, timestamp);
    }
    for (Outcome outcome : published) {
      if (firstAnswer.isEmpty() || outcome != firstAnswer.get()) {
        keys.answered(scope, outcome, timestamp); // published just now: a waiting retry hears it too
      }
    }
    for (Outcome outcome : learned) {
      keys.answered(scope, outcome, timestamp).ifPresent(replay ->
          forward(replay.requestId(), replay, timestamp, outcomesSink));
    }
  }

  /**
   * Where an answer to this attempt of {@code requestId} alone goes ({@link Headers#ATTEMPT});
   * empty when the command names no attempt.
   */
  protected Optional<String> attemptOutcomeKey(String requestId, C command, Record<byte[], byte[]> record) {
    return Optional.ofNullable(Headers.text(record.headers().lastHeader(Headers.ATTEMPT)))
        .filter(RequestIds::isWellFormed)
        .map(attempt -> RequestIds.attemptKey(requestId, attempt));
  }

  /**
   * A retry of a keyed request this processor decided before it remembered keys (an upgrade):
   * by default dropped, as any redelivery.
   */
  protected void keyForgotten(C command, Record<byte[], byte[]> record, long timestamp) {
    log.debug("dropping a retry of a request decided before its key was remembered here");
  }

  /**
   * Decides one new command, in log order for its key; {@code timestamp} is the record's. Throws
   * {@link IllegalArgumentException} only before it has written anything.
   *
   * @param sender who sent it, proven; empty for a stage the projector wrote itself
   */
  protected abstract void decide(String key, C command, Optional<Principal> sender, long timestamp);

  /**
   * Writes {@code value} to {@code sink}, with the {@value Headers#CORRELATION_ID} and
   * {@value TraceParent#HEADER} headers of the command being decided, so a producer finds them on
   * its outcome and on every later stage.
   */
  protected final void forward(Object key, Object value, long timestamp, String sink) {
    context.forward(new Record<>(key, value, timestamp, new RecordHeaders(passedOn.toArray())), sink);
  }

  /**
   * Forwards a client's command itself (not a result of it) to where it is decided, with the
   * {@link Headers#IDEMPOTENCY_KEY} it came with: checked again there, and on no other record.
   */
  protected final void passOn(Object key, Object value, long timestamp, String sink) {
    var headers = new RecordHeaders(passedOn.toArray());
    if (idempotencyKey != null) {
      headers.add(idempotencyKey);
    }
    context.forward(new Record<>(key, value, timestamp, headers), sink);
  }

  /**
   * Publishes the outcome of a request to {@code sink}, like {@link #forward}; a processor that
   * remembers keys also remembers it with the request's key.
   */
  protected final void answer(Outcome outcome, long timestamp, String sink) {
    Outcome recorded = recorded(outcome);
    forward(recorded.requestId(), recorded, timestamp, sink);
    published.add(recorded);
  }

  /** {@code outcome} naming the requester of the command being decided ({@link #requesterOf}), as it is published. */
  protected final Outcome recorded(Outcome outcome) {
    return outcome.requester() != null || requester == null ? outcome : outcome.by(requester);
  }

  /**
   * Who sent the request a command without a proven sender of its own belongs to (a transfer's
   * later stage: the transfer's sender), for its outcome's {@link Outcome#requester()}; null if
   * not known. Commands with a sender are that sender's.
   */
  protected String requesterOf(String key, C command) {
    return null;
  }

  /** Remembers with its key an outcome another partition published (a processor that remembers keys). */
  protected final void learn(Outcome outcome) {
    learned.add(outcome);
  }

  private boolean seenBefore(String requestId, long timestamp) {
    long retention = REQUEST_RETENTION.toMillis();
    try (var seen = requests.fetch(requestId, Math.max(0, timestamp - retention), timestamp + retention)) {
      return seen.hasNext();
    }
  }

  protected final void deadLetter(Record<byte[], byte[]> record, String reason) {
    log.warn("dead-lettering a record of {}: {}", input.name(), reason);
    context.forward(DeadLetters.of(record, context.recordMetadata().orElse(null), name, reason), deadLetterSink);
  }
}
