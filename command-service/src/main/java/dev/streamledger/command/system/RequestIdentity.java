package dev.streamledger.command.system;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.web.ApiSecurity;
import java.util.List;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The id of one request, made from its {@code Idempotency-Key} when it has one.
 *
 * <p>With a key, the request id is {@code <key id>.<fingerprint>} ({@link RequestIds}): a retry
 * with the same key and the same request is the same request — wherever and whenever it is
 * sent — and the same key with another request is a different one, which the projector refuses.
 * Without a key every request is new.
 *
 * @param requestId the request's id, carried by its command and its outcome
 */
public record RequestIdentity(String requestId) {

  /** The header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"). */
  public static final String HEADER = "Idempotency-Key";

  static final int MAX_KEY_LENGTH = 255;

  private static final String KEY_ATTRIBUTE = RequestIdentity.class.getName() + ".key";

  /**
   * The {@code Idempotency-Key} the request being served made its id from ({@link #of}), as its
   * command carries it ({@link dev.streamledger.contract.topic.Headers#IDEMPOTENCY_KEY}); null
   * without one.
   */
  static String keyOfThisRequest() {
    RequestAttributes request = RequestContextHolder.getRequestAttributes();
    return request == null ? null : (String) request.getAttribute(KEY_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
  }

  /**
   * @param idempotencyKey the header's value, or {@code null}; a Structured Field string
   *     ({@code "…"}) or the bare text, 1 to 255 visible ASCII characters
   * @param request what the request asks for: method, path, and its canonical body values, so
   *     that two requests that mean the same have the same fingerprint
   */
  public static RequestIdentity of(String idempotencyKey, String... request) {
    if (idempotencyKey == null) {
      return new RequestIdentity(RequestIds.random());
    }
    String key = unquoted(idempotencyKey);
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH
        || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')) {
      throw new InvalidRequestException(ProblemType.INVALID_IDEMPOTENCY_KEY, "an " + HEADER + " is 1 to "
          + MAX_KEY_LENGTH + " visible ASCII characters (without quotes or backslashes), ideally a random UUID");
    }
    // keys are the sender's own: two subjects using the same key make two different requests
    String keyId = RequestIds.keyId(ApiSecurity.principal().subject(), key);
    // the command carries the key too, so the projector can check the key id is the sender's
    RequestContextHolder.currentRequestAttributes().setAttribute(KEY_ATTRIBUTE, key, RequestAttributes.SCOPE_REQUEST);
    return new RequestIdentity(RequestIds.keyed(keyId, RequestIds.fingerprint(List.of(request))));
  }

  /**
   * An id for what this request creates (an account, a transfer): with a key, one derived from
   * the request id, so every retry names the same thing (and a key reused for another request,
   * which another account may decide, names another); otherwise a new random one.
   */
  public String newId() {
    return RequestIds.keyIdOf(requestId).isPresent() ? RequestIds.derivedId(requestId) : RequestIds.random();
  }

  private static String unquoted(String value) {
    String trimmed = value.strip();
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1)
        : trimmed;
  }
}
