package dev.streamledger.contract.topic;

import dev.streamledger.contract.security.Seal;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The services that act on records only the projector writes, each with a {@link Seal} of its
 * own: the header it travels in, the setting that holds the reader's keys, and the setting that
 * holds the same keys on the projector, which seals for every reader of a topic ({@link #readersOf}).
 */
public enum SealedFor {

  /** The projector itself: its own stages, the outcomes it remembers for retries, the account directory. */
  PROJECTOR(Headers.SEAL, "streamledger.projector.seal-keys", "streamledger.projector.seal-keys",
      "the same on every projector instance"),
  /** The command service: the outcomes it answers clients with. */
  COMMAND_SERVICE(Headers.SEAL_FOR_COMMAND_SERVICE, "streamledger.command.seal-keys",
      "streamledger.projector.command-service-seal-keys", "the same on the command service and the projector"),
  /** The query service: the events it folds into its views and the outcomes it shows. */
  QUERY_SERVICE(Headers.SEAL_FOR_QUERY_SERVICE, "streamledger.query.seal-keys",
      "streamledger.projector.query-service-seal-keys", "the same on the query service and the projector");

  private static final Map<String, List<SealedFor>> READERS = Map.of(
      Topics.OUTCOMES.name(), List.of(PROJECTOR, COMMAND_SERVICE, QUERY_SERVICE),
      Topics.USER_EVENTS.name(), List.of(QUERY_SERVICE),
      Topics.ACCOUNT_EVENTS.name(), List.of(QUERY_SERVICE),
      Topics.TRANSFER_EVENTS.name(), List.of(QUERY_SERVICE),
      Topics.ACCOUNT_DIRECTORY.name(), List.of(PROJECTOR));

  private final String header;
  private final String setting;
  private final String projectorSetting;
  private final String sharedWith;

  SealedFor(String header, String setting, String projectorSetting, String sharedWith) {
    this.header = header;
    this.setting = setting;
    this.projectorSetting = projectorSetting;
    this.sharedWith = sharedWith;
  }

  /** The services that act on {@code topic}'s records, each of which needs its seal on them; none for a topic others write too. */
  public static List<SealedFor> readersOf(Topic<?, ?> topic) {
    return READERS.getOrDefault(topic.name(), List.of());
  }

  public String header() {
    return header;
  }

  /** The reader's own setting for its keys. */
  public String setting() {
    return setting;
  }

  /** The projector's setting for the same keys. */
  public String projectorSetting() {
    return projectorSetting;
  }

  /** The seal this reader checks, with the keys of its own setting. */
  public Seal seal(List<String> keys) {
    return new Seal(header, setting, sharedWith, keys, Clock.systemUTC());
  }

  /** The same seal on the projector, which seals with it: the keys of its setting for this reader. */
  public Seal sealOnProjector(List<String> keys, Clock clock) {
    return new Seal(header, projectorSetting, sharedWith, keys, clock);
  }
}
