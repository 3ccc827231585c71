package dev.streamledger.contract.topic;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The registry of every topic Streamledger owns. No other code spells a topic name.
 *
 * <p>Command and event topics keep their full history ({@code retention.ms=-1}, delete
 * policy, never compacted): a command is an intent and an event a fact about one moment, and
 * the state they lead to is only known by folding <em>all</em> of them, so no record may be
 * dropped because a later one has the same key. Only topics that hold derived state — the
 * Streams changelogs (Kafka Streams creates those itself) and the account directory — are
 * compacted.
 */
public final class Topics {

  private static final Map<String, String> FULL_HISTORY = Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
      TopicConfig.RETENTION_MS_CONFIG, "-1",
      TopicConfig.RETENTION_BYTES_CONFIG, "-1");

  /**
   * Command topics also keep their full history, and their records carry the time the broker
   * appended them, not one the producer chose: the projector checks a command's credential
   * against that time, and no producer can backdate a command to use an expired token.
   */
  private static final Map<String, String> COMMANDS = Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
      TopicConfig.RETENTION_MS_CONFIG, "-1",
      TopicConfig.RETENTION_BYTES_CONFIG, "-1",
      TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

  /** Outcomes answer requests; a client that has not looked within a week never will. */
  public static final Duration OUTCOME_RETENTION = Duration.ofDays(7);

  /**
   * Partitions a request-id key by its key id ({@link RequestIds#partitionKey}), or the whole id
   * when there is none: every use of one Idempotency-Key lands in one partition.
   */
  public static final KeyPartitioner<String> BY_KEY_ID =
      (requestId, partitions) -> KeyPartitioner.murmur2(RequestIds.partitionKey(requestId), partitions);

  public static final Topic<String, UserCommand> USER_COMMANDS = new Topic<>(
      "streamledger.user-commands.v1",
      Serdes.String(), new JsonSerde<>(UserCommand.class, Schemas.COMMANDS),
      Topic.AS_DEPLOYED, COMMANDS,
      "Username claims and releases and account requests, keyed by canonical username (RFC 8265 UsernameCaseMapped).");

  public static final Topic<String, UserEvent> USER_EVENTS = new Topic<>(
      "streamledger.user-events.v1",
      Serdes.String(), new JsonSerde<>(UserEvent.class, Schemas.USER_EVENTS),
      Topic.AS_DEPLOYED, FULL_HISTORY,
      "Registrations and deletions decided by the projector, keyed by canonical username.");

  public static final Topic<String, AccountCommand> ACCOUNT_COMMANDS = new Topic<>(
      "streamledger.account-commands.v1",
      Serdes.String(), new JsonSerde<>(AccountCommand.class, Schemas.COMMANDS),
      Topic.AS_DEPLOYED, COMMANDS,
      "Deposits, withdrawals and transfer debits (from the command service and Kafka clients), and the later stages the projector writes (openings, credits, refunds), keyed by account id.");

  public static final Topic<String, AccountEvent> ACCOUNT_EVENTS = new Topic<>(
      "streamledger.account-events.v1",
      Serdes.String(), new JsonSerde<>(AccountEvent.class, Schemas.ACCOUNT_EVENTS),
      Topic.AS_DEPLOYED, FULL_HISTORY,
      "Openings, deposits and withdrawals with the balance after each, keyed by account id.");

  public static final Topic<String, OpenedAccount> ACCOUNT_DIRECTORY = new Topic<>(
      "streamledger.account-directory.v1",
      Serdes.String(), new JsonSerde<>(OpenedAccount.class, Schemas.UNCHANGED),
      Topic.AS_DEPLOYED,
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
      "Every account that exists, with its owner and currency, keyed by account id: state, so compacted.");

  public static final Topic<String, TransferEvent> TRANSFER_EVENTS = new Topic<>(
      "streamledger.transfer-events.v1",
      Serdes.String(), new JsonSerde<>(TransferEvent.class, Schemas.TRANSFER_EVENTS),
      Topic.AS_DEPLOYED, FULL_HISTORY,
      "Each transfer's status as its stages decide it (PENDING, then COMPLETED / REFUNDED, or REJECTED), keyed by transfer id.");

  public static final Topic<String, IdempotentCommand> IDEMPOTENT_COMMANDS = new Topic<>(
      "streamledger.idempotent-commands.v1",
      Serdes.String(), new JsonSerde<>(IdempotentCommand.class, Schemas.IDEMPOTENT_COMMANDS),
      Topic.AS_DEPLOYED, COMMANDS,
      "User commands sent with an Idempotency-Key (and account commands, from command services before account commands went to their account), keyed by request id and partitioned by its key id; passed on once per key.",
      BY_KEY_ID);

  public static final Topic<String, Outcome> OUTCOMES = new Topic<>(
      "streamledger.outcomes.v1",
      Serdes.String(), new JsonSerde<>(Outcome.class, Schemas.UNCHANGED),
      Topic.AS_DEPLOYED,
      Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG, Long.toString(OUTCOME_RETENTION.toMillis())),
      "Exactly one outcome per command, keyed by request id (partitioned by its key id, if any): accepted or rejected with a reason.",
      BY_KEY_ID);

  public static final Topic<byte[], byte[]> DEAD_LETTERS = new Topic<>(
      "streamledger.dead-letters.v1",
      Serdes.ByteArray(), Serdes.ByteArray(),
      1, FULL_HISTORY,
      "Records no processor could handle, byte for byte, with headers naming the reason and origin.");

  public static final List<Topic<?, ?>> ALL = List.of(USER_COMMANDS, USER_EVENTS, ACCOUNT_COMMANDS, ACCOUNT_EVENTS,
      ACCOUNT_DIRECTORY, TRANSFER_EVENTS, IDEMPOTENT_COMMANDS, OUTCOMES, DEAD_LETTERS);

  private Topics() {}
}
