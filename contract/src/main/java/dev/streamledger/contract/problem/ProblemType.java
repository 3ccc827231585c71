package dev.streamledger.contract.problem;

import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Every RFC 9457 problem a request can be answered with before a command decides anything —
 * malformed input, no token, over the rate limit, Kafka unavailable — with its HTTP status: the
 * one place an error of the HTTP services gets its type and status. A command the rules refuse is
 * answered with its {@link Rejection}'s type and status instead ({@link #of(Rejection, int, String)}).
 *
 * <p>Types are {@code /problems/<code>}: relative, so they resolve against whichever host serves
 * the API; clients compare them as strings. A code, once published, keeps its name.
 */
public enum ProblemType {

  MALFORMED_REQUEST(400),
  /** A request body with a field the endpoint does not have (a misspelt optional field, say). */
  UNKNOWN_FIELD(400),
  /** A request Spring MVC refused with a status no other type names, or a query parameter out of range. */
  INVALID_REQUEST(400),
  INVALID_USERNAME(400),
  INVALID_DISPLAY_NAME(400),
  INVALID_CURRENCY(400),
  /** An amount that is no positive decimal within bounds (one finer than its currency is the rules' {@code 422}). */
  INVALID_AMOUNT(400),
  INVALID_ACCOUNT_ID(400),
  INVALID_IDEMPOTENCY_KEY(400),
  /** A Client-Created-At / Client-Sent-At header that is no RFC 3339 time, or out of bounds. */
  INVALID_CLIENT_TIME(400),
  INVALID_CONSISTENCY_TOKEN(400),
  /** A request without a valid bearer token (with {@code WWW-Authenticate}). */
  UNAUTHORIZED(401),
  /** A request its sender may not make: the same problem as the rules' {@link Rejection#FORBIDDEN}. */
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  NOT_ACCEPTABLE(406),
  /** A request body that did not arrive whole within its time (the connection is closed). */
  REQUEST_TIMEOUT(408),
  CONTENT_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  /** A transfer from an account to itself. */
  SAME_ACCOUNT(422),
  /** A client over its rate limit (with {@code Retry-After}). */
  TOO_MANY_REQUESTS(429),
  INTERNAL_ERROR(500),
  /** A service behind the console did not answer it (the console's own problem): retry. */
  BAD_GATEWAY(502),
  /** Kafka did not take the command: nothing changed, retry (with {@code Retry-After}). */
  KAFKA_UNAVAILABLE(503),
  /** The views are rebalancing or restoring (with {@code Retry-After}). */
  NOT_READY(503),
  /** A read whose view did not include its Consistency-Token's writes in time (with {@code Retry-After}). */
  NOT_YET_CONSISTENT(503);

  public static final String PREFIX = Rejection.PROBLEM_PREFIX;

  private final int status;
  private final String code;

  ProblemType(int status) {
    this.status = status;
    this.code = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kebab-case name, the type's last segment. */
  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public URI type() {
    return URI.create(PREFIX + code());
  }

  /** The problem, titled after the code. */
  public ProblemDetail problem(String detail) {
    return problem(status, code(), detail);
  }

  /** The problem of a command refused by the rules, answered with {@code status}. */
  public static ProblemDetail of(Rejection rejection, int status, String detail) {
    ProblemDetail problem = problem(status, rejection.wireName(), detail);
    problem.setType(rejection.problemType());
    return problem;
  }

  /**
   * The type of an error answered by the server or the framework with nothing more than its
   * {@code status}: the one type of that status where it is unambiguous, {@code invalid-request}
   * for any other client error, {@code internal-error} for any other server error.
   */
  public static ProblemType forStatus(int status) {
    return switch (status) {
      case 400 -> MALFORMED_REQUEST;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 413 -> CONTENT_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> NOT_READY;
      default -> status < 500 ? INVALID_REQUEST : INTERNAL_ERROR;
    };
  }

  /** {@code code} in words, capitalised: {@code username-taken} is "Username taken". */
  public static String title(String code) {
    String words = code.replace('-', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  private static ProblemDetail problem(int status, String code, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
    problem.setType(URI.create(PREFIX + code));
    problem.setTitle(title(code));
    return problem;
  }
}
