package dev.streamledger.contract.topic;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;

/** Names of the Kafka record headers Streamledger writes and reads. */
public final class Headers {

  /** On every command: the request id, also inside the value; lets tools correlate without parsing. */
  public static final String REQUEST_ID = "streamledger.request-id";

  /**
   * Optional, set by a producer on a command: any text (at most 200 bytes) that it wants back. The
   * projector copies it onto the command's outcome and onto the later stages it writes.
   */
  public static final String CORRELATION_ID = "streamledger.correlation-id";

  /**
   * On every command the projector writes itself (a transfer's later stages, an account opening,
   * a command passed on once its idempotency key is checked): its HMAC-SHA256 seal over the topic
   * and value, with a key only projector instances hold. A command without a valid seal must
   * prove its sender with a credential instead; a stage cannot. Also on every outcome and
   * account directory entry: the projector's seal for itself over topic, key and value
   * ({@link SealedFor#PROJECTOR}).
   */
  public static final String SEAL = "streamledger.seal";

  /** On every outcome: the projector's seal for the command service, with a key only the two hold. */
  public static final String SEAL_FOR_COMMAND_SERVICE = "streamledger.seal.command-service";

  /** On every outcome and user, account and transfer event: the projector's seal for the query service. */
  public static final String SEAL_FOR_QUERY_SERVICE = "streamledger.seal.query-service";

  /**
   * Optional, on a command sent with an {@code Idempotency-Key}: names this one sending of the
   * request (each HTTP call makes a new one), so that an answer meant for this attempt alone —
   * the key is still in use by an earlier attempt — is published under
   * {@code <request id>/<attempt>} and reaches only it. Without it, such a retry is answered
   * with the original's outcome once that is decided.
   */
  public static final String ATTEMPT = "streamledger.attempt";

  /**
   * On a client's command whose request id is keyed ({@code <key id>.<fingerprint>}): the
   * {@code Idempotency-Key} itself. The projector refuses (dead-letters) the command unless the
   * key id is the one {@link dev.streamledger.contract.request.RequestIds#keyId} makes from the
   * sender's own subject and this key, so nobody can use — and spoil — another's key ids.
   */
  public static final String IDEMPOTENCY_KEY = "streamledger.idempotency-key";

  /** On dead letters: why the record could not be processed. */
  public static final String DLT_REASON = "streamledger.dlt.reason";
  public static final String DLT_SOURCE_TOPIC = "streamledger.dlt.source-topic";
  public static final String DLT_SOURCE_PARTITION = "streamledger.dlt.source-partition";
  public static final String DLT_SOURCE_OFFSET = "streamledger.dlt.source-offset";
  public static final String DLT_PROCESSOR = "streamledger.dlt.processor";

  private Headers() {}

  public static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  public static String text(Header header) {
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
