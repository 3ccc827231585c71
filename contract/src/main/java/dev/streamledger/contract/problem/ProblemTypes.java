package dev.streamledger.contract.problem;

import dev.streamledger.contract.outcome.OutcomeCode;
import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Stable RFC 9457 problem {@code type} URIs: {@code /problems/<code>}. These are the problems of
 * requests refused before a command is written (malformed input, no token, over the rate limit,
 * Kafka unavailable); a command the rules refuse is answered with its
 * {@link OutcomeCode.Rejection}'s problem type. Relative, so they
 * resolve against whichever host serves the API; clients compare them as strings.
 */
public final class ProblemTypes {

  public static final String PREFIX = "/problems/";

  public static final String INVALID_REQUEST = "invalid-request";
  public static final String INVALID_USERNAME = "invalid-username";
  public static final String INVALID_DISPLAY_NAME = "invalid-display-name";
  public static final String INVALID_AMOUNT = "invalid-amount";
  public static final String INVALID_CURRENCY = "invalid-currency";
  public static final String INVALID_ACCOUNT_ID = "invalid-account-id";
  /** A Client-Created-At / Client-Sent-At header that is no RFC 3339 time, or out of bounds. */
  public static final String INVALID_CLIENT_TIME = "invalid-client-time";
  public static final String INVALID_IDEMPOTENCY_KEY = "invalid-idempotency-key";
  /** A transfer from an account to itself ({@code 422}). */
  public static final String SAME_ACCOUNT = "same-account";
  public static final String MALFORMED_REQUEST = "malformed-request";
  /** A request body with a field the endpoint does not have (a misspelt optional field, say). */
  public static final String UNKNOWN_FIELD = "unknown-field";
  public static final String CONTENT_TOO_LARGE = "content-too-large";
  public static final String NOT_FOUND = "not-found";
  public static final String INVALID_CONSISTENCY_TOKEN = "invalid-consistency-token";
  /** A read whose view did not include its Consistency-Token's writes in time. */
  public static final String NOT_YET_CONSISTENT = "not-yet-consistent";
  /** A client over its rate limit ({@code 429} with {@code Retry-After}). */
  public static final String TOO_MANY_REQUESTS = "too-many-requests";
  /** A request without a valid bearer token ({@code 401} with {@code WWW-Authenticate}). */
  public static final String UNAUTHORIZED = "unauthorized";
  /**
   * A request its sender may not make: someone else's account or user, or an operator's task
   * ({@code 403}); the same problem as the rejection of such a command by the projector.
   */
  public static final String FORBIDDEN = OutcomeCode.Rejection.FORBIDDEN.wireName();
  public static final String KAFKA_UNAVAILABLE = "kafka-unavailable";
  public static final String NOT_READY = "not-ready";
  public static final String INTERNAL = "internal-error";

  private ProblemTypes() {}

  public static URI of(String code) {
    return URI.create(PREFIX + code);
  }

  /** A problem of type {@code /problems/<code>}, titled after the code. */
  public static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(of(code));
    String words = code.replace('-', ' ');
    problem.setTitle(Character.toUpperCase(words.charAt(0)) + words.substring(1));
    return problem;
  }
}
