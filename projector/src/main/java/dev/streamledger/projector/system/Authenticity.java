package dev.streamledger.projector.system;

import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.security.InvalidCredentialException;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.security.TokenVerifier;
import dev.streamledger.contract.topic.Headers;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Who wrote a command, as far as the projector believes it. A Kafka record says nothing
 * trustworthy about its producer (headers are whatever the producer wrote), so every command
 * proves its origin itself:
 *
 * <ul>
 *   <li>a command a client sent carries its sender's bearer token ({@link Credential}), which
 *       must verify — signature, issuer, audience — and be valid at the time the broker
 *       appended the command (command topics use broker time, so it cannot be backdated);</li>
 *   <li>a command the projector wrote itself (a transfer's credit or refund, an account opening,
 *       a command passed on by the idempotency stage) carries the projector's seal ({@link Seals#own}); a
 *       sealed client command's token was checked when it first arrived, so it is only read (a
 *       signing key retired since cannot lose it). A record appended longer after its sealing
 *       than decided requests are remembered is refused, since it could no longer be told apart
 *       from a replay.</li>
 * </ul>
 * Anything else is refused with {@link InvalidCredentialException}, counted
 * ({@code streamledger.projector.not-authentic}), and dead-lettered by the {@link CommandProcessor}
 * without effect.
 */
public final class Authenticity {

  private final TokenVerifier verifier;
  private final Seals seals;
  private final Duration maxSealedAge;
  private final Counter refused;

  /** @param refused counts the commands refused, and the outcomes and directory entries not sealed by the projector */
  public Authenticity(TokenVerifier verifier, Seals seals, Duration maxSealedAge, Counter refused) {
    this.verifier = verifier;
    this.seals = seals;
    this.maxSealedAge = maxSealedAge;
    this.refused = refused;
  }

  /**
   * The sender of the command {@code record} holds: its principal, or empty for a stage the
   * projector wrote.
   *
   * @param credential the command's credential; null for a stage
   * @throws InvalidCredentialException if the command proves no origin
   */
  public Optional<Principal> of(String topic, Record<byte[], byte[]> record, Credential credential) {
    try {
      return proven(topic, record, credential);
    } catch (InvalidCredentialException e) {
      refused.increment();
      throw e;
    }
  }

  private Optional<Principal> proven(String topic, Record<byte[], byte[]> record, Credential credential) {
    Instant appended = Instant.ofEpochMilli(record.timestamp());
    Optional<Instant> sealedAt = seals.own().sealedAt(topic, null, record.value(), record.headers());
    if (sealedAt.isPresent()) {
      if (sealedAt.get().plus(maxSealedAge).isBefore(appended)) {
        throw new InvalidCredentialException("a command sealed at " + sealedAt.get() + " arrived at " + appended
            + ", later than decided requests are remembered: refused as a possible replay");
      }
      return credential == null ? Optional.empty() : Optional.of(verifier.readVerified(credential.token()));
    }
    if (credential == null) {
      throw new InvalidCredentialException(record.headers().lastHeader(Headers.SEAL) == null
          ? "carries no credential (the sender's bearer token), and is no stage the projector sealed"
          : "carries no credential, and its seal is not the projector's (forged or tampered with)");
    }
    return Optional.of(verifier.verify(credential.token(), appended));
  }

  /** {@code inner}, sealing what it writes: for the commands the projector writes itself. */
  public <T> Serializer<T> sealing(Serializer<T> inner) {
    return seals.own().sealing(inner);
  }

  /**
   * Whether a record read back from {@code topic} (an outcome, a directory entry) carries the
   * projector's own seal over its key and value; one that does not is counted as refused.
   */
  public boolean writtenByProjector(String topic, byte[] key, byte[] value, org.apache.kafka.common.header.Headers headers) {
    boolean sealed = seals.own().holds(topic, key, value, headers);
    if (!sealed) {
      refused.increment();
    }
    return sealed;
  }

  /** The seals the projector puts on what it writes. */
  Seals seals() {
    return seals;
  }
}
