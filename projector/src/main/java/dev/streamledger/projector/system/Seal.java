package dev.streamledger.projector.system;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The projector's mark on the commands it writes itself, so that no other producer can write
 * one: the time it was sealed (8 bytes, epoch milliseconds) and an HMAC-SHA256 over the topic
 * name, that time and the value bytes, in the
 * {@value dev.streamledger.contract.topic.Headers#SEAL} header. The time lets a reader refuse
 * an old sealed record written again (a replay). The key is a secret shared by the projector instances alone
 * ({@code streamledger.projector.seal-keys}); the first key seals, every listed key is accepted,
 * so a key is rotated by listing the new one first, and dropping the old one once no record it
 * sealed is left unprocessed.
 */
public final class Seal {

  private static final String ALGORITHM = "HmacSHA256";
  /** At least as long as the hash (RFC 2104): 32 bytes. */
  static final int MIN_KEY_BYTES = 32;

  private static final int MAC_BYTES = 32;

  private final List<SecretKeySpec> keys;
  private final Clock clock;

  /**
   * @param keys base64 secrets of at least 32 bytes each, the sealing one first
   * @param clock the time of sealing
   */
  public Seal(List<String> keys, Clock clock) {
    this.clock = clock;
    if (keys == null || keys.isEmpty()) {
      throw new IllegalStateException("set streamledger.projector.seal-keys (STREAMLEDGER_PROJECTOR_SEAL_KEYS): one or "
          + "more base64 secrets of at least " + MIN_KEY_BYTES + " bytes, the same on every projector instance, e.g. "
          + "from `head -c 32 /dev/urandom | base64`");
    }
    this.keys = keys.stream().map(Seal::key).toList();
  }

  /** The seal of {@code value} written to {@code topic} at {@code sealedAt}. */
  public byte[] of(String topic, byte[] value, Instant sealedAt) {
    return ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(sealedAt.toEpochMilli())
        .put(mac(keys.get(0), topic, sealedAt.toEpochMilli(), value)).array();
  }

  /** When {@code value} on {@code topic} was sealed, if {@code headers} carry a valid seal of it. */
  public Optional<Instant> sealedAt(String topic, byte[] value, Headers headers) {
    Header seal = headers.lastHeader(dev.streamledger.contract.topic.Headers.SEAL);
    if (seal == null || seal.value() == null || seal.value().length != Long.BYTES + MAC_BYTES || value == null) {
      return Optional.empty();
    }
    ByteBuffer bytes = ByteBuffer.wrap(seal.value());
    long sealedAt = bytes.getLong();
    byte[] mac = new byte[MAC_BYTES];
    bytes.get(mac);
    for (SecretKeySpec key : keys) {
      if (MessageDigest.isEqual(mac(key, topic, sealedAt, value), mac)) {
        return Optional.of(Instant.ofEpochMilli(sealedAt));
      }
    }
    return Optional.empty();
  }

  /** {@code inner}, and a seal of what it wrote in the record's headers. */
  public <T> Serializer<T> sealing(Serializer<T> inner) {
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, T data) {
        throw new UnsupportedOperationException("a sealed record needs its headers");
      }

      @Override
      public byte[] serialize(String topic, Headers headers, T data) {
        byte[] value = inner.serialize(topic, headers, data);
        headers.remove(dev.streamledger.contract.topic.Headers.SEAL);
        headers.add(dev.streamledger.contract.topic.Headers.SEAL, of(topic, value, clock.instant()));
        return value;
      }
    };
  }

  private static byte[] mac(SecretKeySpec key, String topic, long sealedAt, byte[] value) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(topic.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(ByteBuffer.allocate(Long.BYTES).putLong(sealedAt).array());
      return mac.doFinal(value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
    }
  }

  private static SecretKeySpec key(String base64) {
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("a streamledger.projector.seal-keys entry is not base64");
    }
    if (secret.length < MIN_KEY_BYTES) {
      throw new IllegalStateException("a streamledger.projector.seal-keys entry has " + secret.length
          + " bytes, at least " + MIN_KEY_BYTES + " are needed");
    }
    return new SecretKeySpec(secret, ALGORITHM);
  }
}
