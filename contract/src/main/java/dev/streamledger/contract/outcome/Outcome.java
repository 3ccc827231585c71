package dev.streamledger.contract.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The decision on one command, keyed by its request id on
 * {@link dev.streamledger.contract.topic.Topics#OUTCOMES}: exactly one per request.
 *
 * @param code a stable, kebab-case name of what happened ({@code user-registered},
 *     {@code username-taken}, …); for rejections it is also the problem type's last segment
 * @param subject the aggregate the command was about (canonical username, account id, …)
 * @param detail a human-readable sentence, safe to show a client
 * @param data a few named values the client's answer needs (e.g. {@code displayName})
 * @param replayed this is the outcome of an earlier use of the request's idempotency key, given
 *     again to a retry (written only when {@code true}; absent reads as {@code false})
 */
public record Outcome(String requestId, Status status, String code, String subject, String detail,
    Map<String, String> data, Instant decidedAt,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY) boolean replayed) {

  public enum Status { ACCEPTED, REJECTED }

  public Outcome {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(code, "code");
    data = data == null ? Map.of() : Map.copyOf(data);
  }

  public Outcome(String requestId, Status status, String code, String subject, String detail,
      Map<String, String> data, Instant decidedAt) {
    this(requestId, status, code, subject, detail, data, decidedAt, false);
  }

  /** This outcome given again to a retry of its request. */
  public Outcome asReplay() {
    return new Outcome(requestId, status, code, subject, detail, data, decidedAt, true);
  }

  public static Outcome accepted(String requestId, String code, String subject, String detail,
      Map<String, String> data, Instant decidedAt) {
    return new Outcome(requestId, Status.ACCEPTED, code, subject, detail, data, decidedAt);
  }

  public static Outcome rejected(String requestId, String code, String subject, String detail, Instant decidedAt) {
    return new Outcome(requestId, Status.REJECTED, code, subject, detail, Map.of(), decidedAt);
  }

  public static Outcome rejected(String requestId, String code, String subject, String detail,
      Map<String, String> data, Instant decidedAt) {
    return new Outcome(requestId, Status.REJECTED, code, subject, detail, data, decidedAt);
  }

  public boolean isAccepted() {
    return status == Status.ACCEPTED;
  }
}
