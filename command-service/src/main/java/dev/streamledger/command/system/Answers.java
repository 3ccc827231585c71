package dev.streamledger.command.system;

import dev.streamledger.command.outcome.CommandGateway.CommandNotWrittenException;
import dev.streamledger.command.outcome.CommandGateway;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.web.ApiSecurity;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Turns what became of a command into the HTTP answer, the same way for every endpoint; the
 * future it returns is written to the client by {@link DirectAnswers} when it completes.
 */
@Component
public class Answers {

  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  /** On an answer given again to a retry with the same Idempotency-Key. */
  public static final String REPLAYED = "Idempotent-Replayed";

  /** The members RFC 9457 defines for every problem: no outcome field may take their names. */
  static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "instance");

  /**
   * Outcome fields named like a problem member, and the names they take in a problem body: a
   * refused transfer says {@code "status":422} and {@code "transferStatus":"REJECTED"}, never
   * two members of one name. ({@code status} is a transfer's only: {@link OutcomeData#of}.)
   */
  private static final Map<String, String> PROBLEM_NAMES = Map.of("status", "transferStatus");

  private final CommandSettings settings;
  private final CommandGateway gateway;
  private final ObjectProvider<MeterRegistry> meters;

  public Answers(CommandSettings settings, CommandGateway gateway, ObjectProvider<MeterRegistry> meters) {
    this.settings = settings;
    this.gateway = gateway;
    this.meters = meters;
  }

  /**
   * Publishes {@code command} and answers with its outcome, the same way for every endpoint:
   * {@code onAccepted} builds the success answer; rejections are problems, no outcome within the
   * wait is {@code 202}, a command Kafka did not take is {@code 503}.
   */
  public CompletableFuture<ResponseEntity<Object>> send(UserCommand command,
      Function<Outcome, ResponseEntity<Object>> onAccepted) {
    String key = RequestIdentity.keyOfThisRequest();
    return waitingAsPreferred(wait -> answered(command.requestId(), gateway.submit(command, key, wait), onAccepted));
  }

  /** {@link #send(UserCommand, Function)} for account commands. */
  public CompletableFuture<ResponseEntity<Object>> send(AccountCommand command,
      Function<Outcome, ResponseEntity<Object>> onAccepted) {
    String key = RequestIdentity.keyOfThisRequest();
    return waitingAsPreferred(wait -> answered(command.requestId(), gateway.submit(command, key, wait), onAccepted));
  }

  /**
   * {@link #send(AccountCommand, Function)} for a command whose subject is not the resource the
   * request addresses (a transfer names its accounts in its body), with its own pending answer
   * (see {@link #answer(String, Optional, Function, boolean, String, Map)}).
   */
  public CompletableFuture<ResponseEntity<Object>> send(AccountCommand command,
      Function<Outcome, ResponseEntity<Object>> onAccepted, String statusUrl, Map<String, Object> pending) {
    String requestId = command.requestId();
    String key = RequestIdentity.keyOfThisRequest();
    return waitingAsPreferred(wait -> gateway.submit(command, key, wait)
        .thenApply(outcome -> answer(requestId, outcome, onAccepted, false, statusUrl, pending))
        .exceptionally(error -> failed(requestId, error)));
  }

  /**
   * {@code answer} given the wait the client prefers ({@link PreferredWait}), or the configured
   * one; a preferred wait is said on the answer.
   */
  private CompletableFuture<ResponseEntity<Object>> waitingAsPreferred(
      Function<Duration, CompletableFuture<ResponseEntity<Object>>> answerWithin) {
    Optional<Duration> preferred = PreferredWait.ofRequest();
    CompletableFuture<ResponseEntity<Object>> answer = answerWithin.apply(preferred.orElse(settings.outcomeWait()));
    return preferred.isEmpty() ? answer : answer.thenApply(response -> PreferredWait.applied(response, preferred.get()));
  }

  private CompletableFuture<ResponseEntity<Object>> answered(String requestId,
      CompletableFuture<Optional<Outcome>> outcome, Function<Outcome, ResponseEntity<Object>> onAccepted) {
    return outcome
        .thenApply(decided -> answer(requestId, decided, onAccepted))
        .exceptionally(error -> failed(requestId, error));
  }

  /**
   * @param onAccepted the success answer built from an accepted outcome
   */
  public ResponseEntity<Object> answer(String requestId, Optional<Outcome> outcome,
      Function<Outcome, ResponseEntity<Object>> onAccepted) {
    return answer(requestId, outcome, onAccepted, true, statusUrl(requestId), Map.of());
  }

  /**
   * @param subjectAddressed whether the request's URL names the command's subject (see
   *     {@link Rejection#status(boolean)})
   * @param statusUrl where a {@code 202} points for the final outcome
   * @param pending more fields of the {@code 202} body
   */
  public ResponseEntity<Object> answer(String requestId, Optional<Outcome> outcome,
      Function<Outcome, ResponseEntity<Object>> onAccepted, boolean subjectAddressed, String statusUrl,
      Map<String, Object> pending) {
    if (outcome.isEmpty()) {
      return withToken(pending(requestId, statusUrl, pending), ConsistencyToken.NONE);
    }
    Outcome decided = outcome.get();
    ConsistencyToken token = ConsistencyToken.of(decided.data());
    if (decided.isAccepted()) {
      return replayMarked(withToken(onAccepted.apply(decided), token), decided);
    }
    Rejection rejection = decided.rejection().orElseThrow();
    HttpStatusCode status = HttpStatusCode.valueOf(rejection.status(subjectAddressed));
    if (rejection == Rejection.IDEMPOTENCY_KEY_IN_USE) {
      ProblemDetail problem = ProblemType.of(rejection, status.value(), decided.detail());
      problem.setProperty("requestId", requestId);
      return withToken(ResponseEntity.status(status).header(HttpHeaders.RETRY_AFTER, "1").body(problem), token);
    }
    if (rejection == Rejection.FORBIDDEN) {
      // decided by the projector, where the user's or account's owner is known
      meters.ifAvailable(registry -> ApiSecurity.countDenied(registry, "projector"));
    }
    ProblemDetail problem = ProblemType.of(rejection, status.value(), decided.detail());
    problem.setProperty("requestId", requestId);
    decided.data().fields().forEach((name, value) -> problem.setProperty(problemMember(name), value));
    return replayMarked(withToken(ResponseEntity.status(status).body(problem), token), decided);
  }

  /** The name an outcome's field takes in a problem body ({@link #PROBLEM_NAMES}). */
  static String problemMember(String field) {
    return PROBLEM_NAMES.getOrDefault(field, field);
  }

  /**
   * An answer given again to a retry of its request (the outcome of an earlier use of the
   * Idempotency-Key) says so: {@code Idempotent-Replayed: true}.
   */
  private static ResponseEntity<Object> replayMarked(ResponseEntity<Object> answer, Outcome outcome) {
    return !outcome.replayed() ? answer : withHeader(answer, REPLAYED, "true");
  }

  /**
   * Every command answer carries a {@code Consistency-Token}: what the command changed, which a
   * query sends back to see it (none for a rejection that changed nothing, or an undecided one).
   */
  private static ResponseEntity<Object> withToken(ResponseEntity<Object> answer, ConsistencyToken token) {
    return withHeader(answer, ConsistencyToken.HEADER, token.encode());
  }

  /** {@code answer} with one more header (a {@link ResponseEntity} is immutable). */
  static ResponseEntity<Object> withHeader(ResponseEntity<Object> answer, String name, String value) {
    return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).header(name, value)
        .body(answer.getBody());
  }

  /** The answer when writing the command failed: nothing happened, retrying is safe. */
  public ResponseEntity<Object> failed(String requestId, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CommandNotWrittenException) {
      log.warn("request {}: {}", requestId, cause.getMessage());
      ProblemDetail problem = ProblemType.KAFKA_UNAVAILABLE.problem(
          "the command could not be recorded; nothing was changed, retry later");
      problem.setProperty("requestId", requestId);
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }
    log.error("request {} failed", requestId, cause);
    ProblemDetail problem = ProblemType.INTERNAL_ERROR.problem(
        "the outcome of the request could not be read; look it up at its status URL");
    problem.setProperty("requestId", requestId);
    problem.setProperty("statusUrl", statusUrl(requestId));
    return ResponseEntity.internalServerError().body(problem);
  }

  private ResponseEntity<Object> pending(String requestId, String statusUrl, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>(extra);
    body.put("requestId", requestId);
    body.put("status", "PENDING");
    body.put("statusUrl", statusUrl);
    return ResponseEntity.accepted().location(URI.create(statusUrl)).header(HttpHeaders.RETRY_AFTER, "1").body(body);
  }

  public String statusUrl(String requestId) {
    return settings.readLocation("/requests/" + requestId);
  }
}
