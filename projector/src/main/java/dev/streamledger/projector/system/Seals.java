package dev.streamledger.projector.system;

import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.SealedFor;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * The projector's seals: its own, on the stages it writes and the records it reads back, and one
 * for each other service that acts on records only the projector writes ({@link SealedFor}).
 * The projector holds every reader's keys; each reader holds only its own.
 */
public final class Seals {

  private final Map<SealedFor, Seal> seals = new EnumMap<>(SealedFor.class);

  /**
   * @param keys each reader's keys (base64, at least 32 bytes, the sealing one first), as the
   *     projector's settings name them ({@link SealedFor#projectorSetting()})
   */
  public Seals(Map<SealedFor, List<String>> keys, Clock clock) {
    for (SealedFor reader : SealedFor.values()) {
      seals.put(reader, reader.sealOnProjector(keys.get(reader), clock));
    }
  }

  public static Seals of(ProjectorSettings settings) {
    return new Seals(Map.of(
        SealedFor.PROJECTOR, nonNull(settings.sealKeys()),
        SealedFor.COMMAND_SERVICE, nonNull(settings.commandServiceSealKeys()),
        SealedFor.QUERY_SERVICE, nonNull(settings.queryServiceSealKeys())), Clock.systemUTC());
  }

  /** The projector's own seal: checked on what it reads back, and on stages (which it seals over value only). */
  public Seal own() {
    return seals.get(SealedFor.PROJECTOR);
  }

  /** Seals a record written to {@code topic} for each of {@code readers}, in {@code headers}. */
  public void seal(String topic, List<SealedFor> readers, byte[] key, byte[] value, Headers headers) {
    for (SealedFor reader : readers) {
      seals.get(reader).seal(topic, key, value, headers);
    }
  }

  private static List<String> nonNull(List<String> keys) {
    return keys == null ? List.of() : keys;
  }
}
