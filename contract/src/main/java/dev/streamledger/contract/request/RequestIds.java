package dev.streamledger.contract.request;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Request ids: the name of one request everywhere — its command, its outcome, its status URL.
 *
 * <p>A request without an {@code Idempotency-Key} gets a random UUID. A request with one gets
 * {@code <key id>.<fingerprint>}: the key id is a hash of the client's scope and key (so every
 * retry of the key names the same thing, also across command-service instances and restarts),
 * the fingerprint a hash of what was asked (method, path, body). A retry with the same body has
 * the same request id, and so waits for — and gets — the same outcome; the same key with another
 * body has another request id, and gets its own answer.
 *
 * <p>Topics keyed by request id ({@code idempotent-commands}, {@code outcomes}) are partitioned
 * by the key id alone ({@link #PARTITIONER}), so every request made with one key, and every
 * outcome of those requests, meet on one partition where the key's memory lives.
 */
public final class RequestIds {

  private static final char SEPARATOR = '.';
  private static final char ATTEMPT_SEPARATOR = '/';
  private static final int MAX_LENGTH = 128;

  private RequestIds() {}

  public static String random() {
    return UUID.randomUUID().toString();
  }

  /** The key id of {@code key} for a client {@code scope}: a name-based UUID (SHA-256, version 8). */
  public static String keyId(String scope, String key) {
    return uuid(sha256(List.of("idempotency-key", scope, key)));
  }

  /** A version 8 UUID of the first 16 bytes of {@code hash}. */
  private static String uuid(byte[] hash) {
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x80);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong()).toString();
  }

  /** An id derived from {@code requestId} alone: a name-based UUID (SHA-256, version 8). */
  public static String derivedId(String requestId) {
    return uuid(sha256(List.of("derived-id", requestId)));
  }

  /** A fingerprint of a request's parts (method, path, canonical body values): 128 bits, hex. */
  public static String fingerprint(List<String> parts) {
    return HexFormat.of().formatHex(sha256(parts), 0, 16);
  }

  public static String keyed(String keyId, String fingerprint) {
    return keyId + SEPARATOR + fingerprint;
  }

  /** The outcome key of an answer meant for one attempt of a request alone (see {@link IdempotentCommand}). */
  public static String attemptKey(String requestId, String attempt) {
    return requestId + ATTEMPT_SEPARATOR + attempt;
  }

  /** The key id of a request id made from an idempotency key; empty for any other request id. */
  public static Optional<String> keyIdOf(String requestId) {
    int separator = requestId.indexOf(SEPARATOR);
    return separator <= 0 ? Optional.empty() : Optional.of(requestId.substring(0, separator));
  }

  /** Whether {@code text} could be a request id this system made (used to validate input). */
  public static boolean isWellFormed(String text) {
    return text != null && !text.isEmpty() && text.length() <= MAX_LENGTH
        && text.chars().allMatch(c -> c == SEPARATOR || c == '-' || Character.isLetterOrDigit(c) && c < 128);
  }

  /** What a request-id key is partitioned by: its key id, or the whole id when there is none. */
  public static String partitionKey(String requestId) {
    return keyIdOf(requestId).orElse(requestId);
  }

  private static byte[] sha256(List<String> parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // length-prefixed, so ("ab","c") and ("a","bc") differ
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
