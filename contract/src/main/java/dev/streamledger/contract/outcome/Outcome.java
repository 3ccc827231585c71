package dev.streamledger.contract.outcome;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The decision on one command, keyed by its request id on
 * {@link dev.streamledger.contract.topic.Topics#OUTCOMES}: exactly one per request.
 *
 * @param status {@code ACCEPTED} for an {@link Accepted} code, {@code REJECTED} for a
 *     {@link Rejection} (written for readers that do not know every code)
 * @param code what happened; for rejections also the problem type's last segment
 * @param subject the aggregate the command was about (canonical username, account id, …)
 * @param detail a human-readable sentence, safe to show a client
 * @param data what the client's answer needs beside the code (the account after a deposit, …)
 * @param replayed this is the outcome of an earlier use of the request's idempotency key, given
 *     again to a retry (written only when {@code true}; absent reads as {@code false})
 * @param requester the token subject that sent the request (for a transfer's later stage: the
 *     transfer's sender), who may read the outcome besides operators ({@code GET /requests/{id}});
 *     null when not known (outcomes written before it was recorded: operators only), and then not
 *     written
 */
public record Outcome(String requestId, Status status, OutcomeCode code, String subject, String detail,
    OutcomeData data, Instant decidedAt, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean replayed,
    @JsonInclude(JsonInclude.Include.NON_NULL) String requester) {

  public enum Status { ACCEPTED, REJECTED }

  public Outcome {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(code, "code");
    data = data == null ? OutcomeData.NONE : data;
    Status implied = code instanceof Rejection ? Status.REJECTED : Status.ACCEPTED;
    if (status != null && status != implied) {
      throw new IllegalArgumentException("an outcome '" + code + "' is " + implied + ", not " + status);
    }
    status = implied;
  }

  /** Reads an outcome as written: the code by its name, the data by the names it holds. */
  @JsonCreator
  static Outcome read(@JsonProperty("requestId") String requestId, @JsonProperty("status") Status status,
      @JsonProperty("code") String code, @JsonProperty("subject") String subject,
      @JsonProperty("detail") String detail, @JsonProperty("data") Map<String, String> data,
      @JsonProperty("decidedAt") Instant decidedAt, @JsonProperty("replayed") Boolean replayed,
      @JsonProperty("requester") String requester) {
    return new Outcome(requestId, status, OutcomeCode.of(code), subject, detail, OutcomeData.of(data), decidedAt,
        Boolean.TRUE.equals(replayed), requester);
  }

  /** This outcome given again to a retry of its request. */
  public Outcome asReplay() {
    return new Outcome(requestId, status, code, subject, detail, data, decidedAt, true, requester);
  }

  /** This outcome, recorded as the answer to a request {@code requester} sent. */
  public Outcome by(String requester) {
    return new Outcome(requestId, status, code, subject, detail, data, decidedAt, replayed, requester);
  }

  public static Outcome accepted(String requestId, Accepted code, String subject, String detail, OutcomeData data,
      Instant decidedAt) {
    return new Outcome(requestId, Status.ACCEPTED, code, subject, detail, data, decidedAt, false, null);
  }

  public static Outcome rejected(String requestId, Rejection code, String subject, String detail, Instant decidedAt) {
    return rejected(requestId, code, subject, detail, OutcomeData.NONE, decidedAt);
  }

  public static Outcome rejected(String requestId, Rejection code, String subject, String detail, OutcomeData data,
      Instant decidedAt) {
    return new Outcome(requestId, Status.REJECTED, code, subject, detail, data, decidedAt, false, null);
  }

  /** Written as {@code accepted}, as every outcome has been (readers may read it or {@code status}). */
  @JsonProperty("accepted")
  public boolean isAccepted() {
    return status == Status.ACCEPTED;
  }

  /** The rejection, for a rejected outcome. */
  public java.util.Optional<Rejection> rejection() {
    return code instanceof Rejection rejection ? java.util.Optional.of(rejection) : java.util.Optional.empty();
  }
}
