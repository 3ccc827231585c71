package dev.streamledger.contract.outcome;

import com.fasterxml.jackson.annotation.JsonValue;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What became of a command: one of a closed set of codes, written on the wire as a stable
 * kebab-case name ({@code user-registered}, {@code insufficient-funds}, …). An {@link Accepted}
 * code says what happened; a {@link Rejection} says why nothing did, and carries the HTTP status
 * and RFC 9457 problem type the command service answers it with — the one place a rejection
 * becomes an HTTP error.
 *
 * <p>A code, once written, keeps its name: outcomes are remembered for eight days (memory of
 * idempotency keys) and read by every service. A new code is a new constant here; readers that
 * do not know it yet refuse the record rather than guess.
 */
public sealed interface OutcomeCode permits OutcomeCode.Accepted, OutcomeCode.Rejection {

  /** The code as written in outcomes and, for rejections, as the problem type's last segment. */
  @JsonValue
  String wireName();

  /** A command that changed something. */
  enum Accepted implements OutcomeCode {
    USER_REGISTERED("user-registered"),
    USER_DELETED("user-deleted"),
    ACCOUNT_OPENED("account-opened"),
    FUNDS_DEPOSITED("funds-deposited"),
    FUNDS_WITHDRAWN("funds-withdrawn"),
    TRANSFER_COMPLETED("transfer-completed");

    private final String wireName;

    Accepted(String wireName) {
      this.wireName = wireName;
    }

    @Override
    public String wireName() {
      return wireName;
    }

    @Override
    public String toString() {
      return wireName;
    }
  }

  /**
   * A command refused by the rules, or a transfer whose money went back: nothing it asked for
   * happened. Each is answered with a problem of type {@code /problems/<code>}.
   */
  enum Rejection implements OutcomeCode {
    USERNAME_TAKEN("username-taken", 409),
    USER_NOT_FOUND("user-not-found", 404),
    USER_HAS_ACCOUNTS("user-has-accounts", 409),
    OWNER_NOT_FOUND("owner-not-found", 422),
    ACCOUNT_NOT_FOUND("account-not-found", 404),
    ACCOUNT_EXISTS("account-exists", 409),
    INSUFFICIENT_FUNDS("insufficient-funds", 422),
    INVALID_AMOUNT("invalid-amount", 422),
    CURRENCY_MISMATCH("currency-mismatch", 422),
    /** Someone else's account or user, or an operator's task. */
    FORBIDDEN("forbidden", 403),
    /** The request's {@code Idempotency-Key} was already used for another request. */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422),
    /**
     * A retry while the first request with its {@code Idempotency-Key} is still being processed
     * (the IETF draft's {@code 409}, answered with {@code Retry-After}); never remembered.
     */
    IDEMPOTENCY_KEY_IN_USE("idempotency-key-in-use", 409);

    /** Where every problem type of the API is: {@code /problems/<code>}. */
    public static final String PROBLEM_PREFIX = "/problems/";

    private final String wireName;
    private final int status;

    Rejection(String wireName, int status) {
      this.wireName = wireName;
      this.status = status;
    }

    @Override
    public String wireName() {
      return wireName;
    }

    /** The HTTP status of this rejection when the request addresses its subject (the account, the user). */
    public int status() {
      return status;
    }

    /**
     * The HTTP status of this rejection for a request about {@code subjectAddressed} or not: a
     * subject that does not exist is {@code 404} only when the request's URL names it; in a
     * transfer, a missing account makes the request unprocessable ({@code 422}), not unfound.
     */
    public int status(boolean subjectAddressed) {
      return status == 404 && !subjectAddressed ? 422 : status;
    }

    /** The RFC 9457 problem type: relative, so it resolves against whichever host serves the API. */
    public URI problemType() {
      return URI.create(PROBLEM_PREFIX + wireName);
    }

    @Override
    public String toString() {
      return wireName;
    }

    /**
     * The rejection written as {@code wireName}.
     *
     * @throws IllegalArgumentException if no rejection has that name
     */
    public static Rejection of(String wireName) {
      if (OutcomeCode.of(wireName) instanceof Rejection rejection) {
        return rejection;
      }
      throw new IllegalArgumentException("'" + wireName + "' is no rejection");
    }
  }

  /** Every code there is. */
  static Stream<OutcomeCode> all() {
    return Stream.concat(Stream.of(Accepted.values()), Stream.of(Rejection.values()));
  }

  /**
   * The code written as {@code wireName}.
   *
   * @throws IllegalArgumentException if no code has that name
   */
  static OutcomeCode of(String wireName) {
    OutcomeCode code = ByName.CODES.get(wireName);
    if (code == null) {
      throw new IllegalArgumentException("no outcome code '" + wireName + "'");
    }
    return code;
  }

  /** Every code by its name: read once per outcome read, so a lookup, not a search. */
  final class ByName {
    private static final Map<String, OutcomeCode> CODES =
        all().collect(Collectors.toUnmodifiableMap(OutcomeCode::wireName, code -> code));

    private ByName() {}
  }
}
