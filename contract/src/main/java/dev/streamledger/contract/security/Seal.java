package dev.streamledger.contract.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Proof that a record was written by the projector, for one reader: the time it was sealed
 * (8 bytes, epoch milliseconds) and an HMAC-SHA256 over the topic name, the record key (where
 * covered), that time and the value bytes, in one header. The time lets a reader refuse an old
 * sealed record written again (a replay).
 *
 * <p>The key is a secret the projector shares with that one reader (the topic package's
 * {@code SealedFor} names them), so a
 * reader can check the projector wrote a record and cannot forge one for any other reader; a
 * producer that only holds Kafka credentials can forge none. The first key seals, every listed
 * key is accepted, so a key is rotated by listing the new one first (reader and projector
 * alike), and dropping the old one once no record it sealed is left to be read.
 *
 * <p>The commands the projector writes itself (a transfer's later stages) are sealed over topic,
 * time and value only, as they always were: a stage still in flight during an upgrade must stay
 * valid, and each names its own account in its value. Records the projector writes for other
 * readers (outcomes, events, the account directory) cover their key as well.
 */
public final class Seal {

  private static final String ALGORITHM = "HmacSHA256";
  /** Each thread's MACs by key (weak: the keys of a replaced seal are dropped with it). */
  private static final ThreadLocal<Map<SecretKeySpec, Mac>> MACS = ThreadLocal.withInitial(WeakHashMap::new);
  /** At least as long as the hash (RFC 2104): 32 bytes. */
  public static final int MIN_KEY_BYTES = 32;

  private static final int MAC_BYTES = 32;

  private final String header;
  private final List<SecretKeySpec> keys;
  private final Clock clock;

  /**
   * @param header the header it travels in: one per reader
   * @param setting the setting {@code keys} come from, for messages
   * @param sharedWith who holds the same keys, for messages
   * @param keys base64 secrets of at least 32 bytes each, the sealing one first
   * @param clock the time of sealing
   */
  public Seal(String header, String setting, String sharedWith, List<String> keys, Clock clock) {
    this.header = header;
    this.clock = clock;
    if (keys == null || keys.isEmpty()) {
      throw new IllegalStateException("set " + setting + " (" + environmentVariable(setting) + "): one or "
          + "more base64 secrets of at least " + MIN_KEY_BYTES + " bytes, " + sharedWith + ", e.g. "
          + "from `head -c 32 /dev/urandom | base64`");
    }
    this.keys = keys.stream().map(key -> key(key, setting)).toList();
  }

  /** {@code setting} as an environment variable (Spring's relaxed binding). */
  private static String environmentVariable(String setting) {
    return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The header this seal travels in. */
  public String header() {
    return header;
  }

  /** The seal of {@code value} written to {@code topic} under {@code key} (null: key not covered) at {@code sealedAt}. */
  public byte[] of(String topic, byte[] key, byte[] value, Instant sealedAt) {
    return ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(sealedAt.toEpochMilli())
        .put(mac(keys.get(0), topic, key, sealedAt.toEpochMilli(), value)).array();
  }

  /** Seals {@code value} written to {@code topic} under {@code key} now, in {@code headers}. */
  public void seal(String topic, byte[] key, byte[] value, Headers headers) {
    headers.remove(header);
    headers.add(header, of(topic, key, value, clock.instant()));
  }

  /**
   * When {@code value} on {@code topic} under {@code key} (null: key not covered) was sealed, if
   * {@code headers} carry a valid seal of it.
   */
  public Optional<Instant> sealedAt(String topic, byte[] key, byte[] value, Headers headers) {
    Header seal = headers.lastHeader(header);
    if (seal == null || seal.value() == null || seal.value().length != Long.BYTES + MAC_BYTES || value == null) {
      return Optional.empty();
    }
    ByteBuffer bytes = ByteBuffer.wrap(seal.value());
    long sealedAt = bytes.getLong();
    byte[] mac = new byte[MAC_BYTES];
    bytes.get(mac);
    for (SecretKeySpec candidate : keys) {
      if (MessageDigest.isEqual(mac(candidate, topic, key, sealedAt, value), mac)) {
        return Optional.of(Instant.ofEpochMilli(sealedAt));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code headers} carry a valid seal of this record. */
  public boolean holds(String topic, byte[] key, byte[] value, Headers headers) {
    return sealedAt(topic, key, value, headers).isPresent();
  }

  /** {@code inner}, and a seal of what it wrote (key not covered) in the record's headers: for commands. */
  public <T> Serializer<T> sealing(Serializer<T> inner) {
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, T data) {
        throw new UnsupportedOperationException("a sealed record needs its headers");
      }

      @Override
      public byte[] serialize(String topic, Headers headers, T data) {
        byte[] value = inner.serialize(topic, headers, data);
        seal(topic, null, value, headers);
        return value;
      }
    };
  }

  private static byte[] mac(SecretKeySpec secret, String topic, byte[] key, long sealedAt, byte[] value) {
    try {
      Mac mac = macOf(secret);
      mac.update(topic.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      if (key != null) {
        // length-prefixed, so that no key/value split of the same bytes seals alike
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(key.length).array());
        mac.update(key);
      }
      mac.update(ByteBuffer.allocate(Long.BYTES).putLong(sealedAt).array());
      return mac.doFinal(value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
    }
  }

  /**
   * A {@link Mac} of this thread initialised with {@code secret}, made once and reused: looking up
   * the algorithm and deriving the key's pads for every MAC were most of a seal's cost
   * (docs/performance.md, change 9). {@code doFinal} leaves it ready for the next MAC; it is reset
   * anyway, in case an earlier one stopped half way.
   */
  private static Mac macOf(SecretKeySpec secret) throws GeneralSecurityException {
    Map<SecretKeySpec, Mac> macs = MACS.get();
    Mac mac = macs.get(secret);
    if (mac == null) {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      macs.put(secret, mac);
    } else {
      mac.reset();
    }
    return mac;
  }

  private static SecretKeySpec key(String base64, String setting) {
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("a " + setting + " entry is not base64");
    }
    if (secret.length < MIN_KEY_BYTES) {
      throw new IllegalStateException("a " + setting + " entry has " + secret.length
          + " bytes, at least " + MIN_KEY_BYTES + " are needed");
    }
    return new SecretKeySpec(secret, ALGORITHM);
  }
}
